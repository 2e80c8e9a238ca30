import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { StreamerAsset } from '../app/infrastructure.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { TipSettings, WalletStatusResponse } from '../contracts/tips.js'
import { HttpError } from '../http/errors.js'
import type { TipSettingsStore } from '../tips/tipSettings.js'
import type { WalletService } from './walletService.js'

const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})
const WalletStatus = Type.Object({
  configured: Type.Boolean(),
  source: Type.Union([Type.Literal('manual'), Type.Literal('sandbox'), Type.Literal('none')]),
  walletAddress: Type.Union([Type.String(), Type.Null()]),
  clientWalletAddress: Type.Union([Type.String(), Type.Null()]),
  keyId: Type.Union([Type.String(), Type.Null()]),
  publicName: Type.Union([Type.String(), Type.Null()]),
  asset: Type.Union([
    Type.Object({ assetCode: Type.String(), assetScale: Type.Integer() }),
    Type.Null(),
  ]),
  privateKeyConfigured: Type.Boolean(),
  sandboxAvailable: Type.Boolean(),
})
const WalletSetupBody = Type.Object(
  {
    walletAddress: Type.String({ minLength: 1, maxLength: 500 }),
    keyId: Type.String({ minLength: 1, maxLength: 200 }),
    privateKey: Type.Optional(Type.String({ maxLength: 8192 })),
    privateKeyPath: Type.Optional(Type.String({ maxLength: 4096 })),
    clientWalletAddress: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
const TipSettingsBody = Type.Object(
  {
    publicName: Type.String({ maxLength: 64 }),
    minAmount: Type.String({ minLength: 1, maxLength: 32 }),
    maxAmount: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
)

export interface WalletRouteDeps {
  wallets: WalletService
  settings: TipSettingsStore
  asset(): StreamerAsset
}

/** Wallet setup for the Setup page (issue 3 item 1) and the tip limits, on the local admin API. */
export function registerWalletAdminRoutes(app: FastifyInstance, deps: WalletRouteDeps): void {
  const write = { 200: WalletStatus, 400: ErrorBody, 409: ErrorBody, 422: ErrorBody }

  app.get(
    '/wallet',
    { schema: { response: { 200: WalletStatus } } },
    async (): Promise<WalletStatusResponse> => deps.wallets.status(),
  )

  app.post<{ Body: Static<typeof WalletSetupBody> }>(
    '/wallet',
    { schema: { body: WalletSetupBody, response: write } },
    async (request) => deps.wallets.configure(request.body),
  )

  app.post('/wallet/sandbox', { schema: { response: write } }, async () =>
    deps.wallets.useSandbox(),
  )

  app.delete('/wallet', { schema: { response: { 200: WalletStatus } } }, async () => {
    deps.wallets.forget()
    return deps.wallets.status()
  })

  const SettingsResponse = Type.Object({
    publicName: Type.String(),
    minAmount: Type.String(),
    maxAmount: Type.String(),
  })
  app.get(
    '/tips/settings',
    { schema: { response: { 200: SettingsResponse } } },
    async (): Promise<TipSettings> => deps.settings.get(deps.asset()),
  )
  app.put<{ Body: Static<typeof TipSettingsBody> }>(
    '/tips/settings',
    { schema: { body: TipSettingsBody, response: { 200: SettingsResponse, 400: ErrorBody } } },
    async (request): Promise<TipSettings> => {
      const asset = deps.asset()
      const parse = (field: 'minAmount' | 'maxAmount') => {
        try {
          return decimalToMinor(request.body[field], asset.assetScale)
        } catch (error) {
          if (error instanceof MoneyFormatError)
            throw new HttpError(
              400,
              'invalid_amount',
              `body.${field}: ${error.message}`,
              `body.${field}`,
            )
          throw error
        }
      }
      const min = parse('minAmount')
      const max = parse('maxAmount')
      if (min <= 0n)
        throw new HttpError(
          400,
          'invalid_amount',
          'The minimum must be above zero.',
          'body.minAmount',
        )
      if (max < min)
        throw new HttpError(
          400,
          'invalid_amount',
          'The maximum must be at least the minimum.',
          'body.maxAmount',
        )
      return deps.settings.set(request.body, asset)
    },
  )
}
