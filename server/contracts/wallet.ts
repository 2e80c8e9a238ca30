/**
 * The streamer's wallet setup on the admin API (local listener, under /api): which wallet tips go to
 * and the Open Payments client identity the app signs with. Shared by the server's routes and the
 * renderer's Setup page (type-only). No Node imports.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Asset, ErrorBody, Nullable } from './common.js'

/** GET /api/wallet. The private key is never returned: only whether it is configured. */
export const WalletStatusResponse = Type.Object({
  configured: Type.Boolean(),
  source: Type.Union([Type.Literal('manual'), Type.Literal('sandbox'), Type.Literal('none')]),
  walletAddress: Nullable(Type.String()),
  clientWalletAddress: Nullable(Type.String()),
  keyId: Nullable(Type.String()),
  publicName: Nullable(Type.String()),
  asset: Nullable(Asset),
  privateKeyConfigured: Type.Boolean(),
  sandboxAvailable: Type.Boolean(),
})
export type WalletStatusResponse = Static<typeof WalletStatusResponse>

/** POST /api/wallet: paste the PEM or base64 key, or give a file path. */
export const WalletSetupRequest = Type.Object(
  {
    walletAddress: Type.String({ minLength: 1, maxLength: 500 }),
    keyId: Type.String({ minLength: 1, maxLength: 200 }),
    privateKey: Type.Optional(Type.String({ maxLength: 8192 })),
    privateKeyPath: Type.Optional(Type.String({ maxLength: 4096 })),
    /** The client identity's wallet address when it is not the receiving wallet (advanced). */
    clientWalletAddress: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type WalletSetupRequest = Static<typeof WalletSetupRequest>

/** What a setup attempt may answer: the new status, or why the wallet or key was not accepted. */
const walletWriteResponses = {
  200: WalletStatusResponse,
  400: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
} as const

export const walletAdminRoutes = {
  'GET /wallet': { response: { 200: WalletStatusResponse } },
  'POST /wallet': { body: WalletSetupRequest, response: walletWriteResponses },
  /** "Use the sandbox wallet" in one click (starts the sandbox when it is not running). */
  'POST /wallet/sandbox': { response: walletWriteResponses },
  'DELETE /wallet': { response: { 200: WalletStatusResponse } },
} as const
