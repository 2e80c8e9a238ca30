import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { AlertSettings, AlertVariant } from '../contracts/overlays.js'
import { randomToken } from '../security/tokens.js'
import type { AlertConfigStore } from './alertConfig.js'
import type { AlertQueue } from './alertQueue.js'
import { AlertError, AlertErrorCode } from './errors.js'
import {
  AlertQueueSchema,
  AlertSettingsPatchSchema,
  AlertSettingsSchema,
  AlertVariantsSchema,
  AlertViewSchema,
  DecimalAmount,
  ErrorBodySchema,
} from './schemas.js'
import { ALERT_SOUNDS } from './variants.js'

export interface AlertAdminDeps {
  ctx: Infrastructure
  queue: AlertQueue
  config: AlertConfigStore
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const VariantParams = Type.Object({ variantId: Type.String({ maxLength: 32 }) })
const VariantsBody = Type.Object({ variants: AlertVariantsSchema }, { additionalProperties: false })
const VariantsResponse = Type.Object({
  variants: AlertVariantsSchema,
  sounds: Type.Array(Type.String()),
})
// Test alerts rehearse what a viewer could send (long, hostile text included): the queue cleans and
// bounds it exactly as it does a tip's, so the limits here are generous.
const VariantTestBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 20_000 })),
    message: Type.Optional(Type.String({ maxLength: 20_000 })),
    amount: Type.Optional(DecimalAmount),
  },
  { additionalProperties: false },
)
const errors = { 400: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema }

function checkAmount(value: string, scale: number, field: string): void {
  try {
    decimalToMinor(value, scale)
  } catch (error) {
    if (error instanceof MoneyFormatError)
      throw new AlertError(AlertErrorCode.InvalidAmount, `${field}: ${error.message}`, field)
    throw error
  }
}

/** The dashboard's alert controls: queue, pause/skip/replay, moderation, settings, variants, tests. */
export function registerAlertAdminRoutes(
  app: FastifyInstance,
  { ctx, queue, config }: AlertAdminDeps,
) {
  app.get('/alerts/queue', { schema: { response: { 200: AlertQueueSchema } } }, async () =>
    queue.view(),
  )

  // The alert on screen now (dashboard and tray "Skip").
  app.post(
    '/alerts/skip',
    { schema: { response: { 200: AlertViewSchema, ...errors } } },
    async () => queue.skip(),
  )

  app.post<{ Params: Static<typeof IdParams> }>(
    '/alerts/:id/skip',
    { schema: { params: IdParams, response: { 200: AlertViewSchema, ...errors } } },
    async (request) => queue.skip(request.params.id),
  )

  app.post<{ Params: Static<typeof IdParams> }>(
    '/alerts/:id/replay',
    { schema: { params: IdParams, response: { 201: AlertViewSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(queue.replay(request.params.id)),
  )

  app.post<{ Params: Static<typeof IdParams> }>(
    '/alerts/:id/approve',
    { schema: { params: IdParams, response: { 200: AlertViewSchema, ...errors } } },
    async (request) => queue.approve(request.params.id),
  )

  app.post<{ Params: Static<typeof IdParams> }>(
    '/alerts/:id/reject',
    { schema: { params: IdParams, response: { 200: AlertViewSchema, ...errors } } },
    async (request) => queue.reject(request.params.id),
  )

  app.get('/alerts/settings', { schema: { response: { 200: AlertSettingsSchema } } }, async () =>
    config.settings(),
  )

  app.patch<{ Body: Static<typeof AlertSettingsPatchSchema> }>(
    '/alerts/settings',
    {
      schema: {
        body: AlertSettingsPatchSchema,
        response: { 200: AlertSettingsSchema, 400: ErrorBodySchema },
      },
    },
    async (request) => {
      const scale = ctx.streamerAsset().assetScale
      const patch = request.body
      if (patch.minAmountToAlert !== undefined)
        checkAmount(patch.minAmountToAlert, scale, 'body.minAmountToAlert')
      if (patch.minAmountForMessage !== undefined)
        checkAmount(patch.minAmountForMessage, scale, 'body.minAmountForMessage')
      const next: AlertSettings = { ...config.settings(), ...patch }
      if (patch.blockedWords)
        next.blockedWords = [...new Set(patch.blockedWords.map((word) => word.trim()))].filter(
          Boolean,
        )
      config.saveSettings(next)
      queue.pump()
      return next
    },
  )

  app.get('/alerts/variants', { schema: { response: { 200: VariantsResponse } } }, async () => ({
    variants: config.variants(),
    sounds: [...ALERT_SOUNDS],
  }))

  app.put<{ Body: Static<typeof VariantsBody> }>(
    '/alerts/variants',
    { schema: { body: VariantsBody, response: { 200: VariantsResponse, 400: ErrorBodySchema } } },
    async (request) => {
      const variants = request.body.variants as AlertVariant[]
      const seen = new Set<string>()
      const scale = ctx.streamerAsset().assetScale
      variants.forEach((variant, index) => {
        if (seen.has(variant.id))
          throw new AlertError(
            AlertErrorCode.DuplicateVariantId,
            `body.variants.${index}.id: "${variant.id}" is used twice`,
            `body.variants.${index}.id`,
          )
        seen.add(variant.id)
        if (variant.rule.type === 'atLeast' || variant.rule.type === 'exactly')
          checkAmount(variant.rule.amount, scale, `body.variants.${index}.rule.amount`)
      })
      config.saveVariants(variants)
      return { variants, sounds: [...ALERT_SOUNDS] }
    },
  )

  // A test alert for one variant: recorded as a test support event (never counted in analytics).
  app.post<{ Params: Static<typeof VariantParams>; Body: Static<typeof VariantTestBody> }>(
    '/alerts/variants/:variantId/test',
    {
      schema: {
        params: VariantParams,
        body: VariantTestBody,
        response: { 201: AlertViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const variant = config.variants().find((item) => item.id === request.params.variantId)
      if (!variant)
        throw new AlertError(
          AlertErrorCode.VariantNotFound,
          `There is no alert variant "${request.params.variantId}".`,
          'params.variantId',
        )
      const asset = ctx.streamerAsset()
      const ruleAmount =
        variant.rule.type === 'atLeast' || variant.rule.type === 'exactly'
          ? variant.rule.amount
          : '5'
      const amount = request.body.amount ?? ruleAmount
      checkAmount(amount, asset.assetScale, 'body.amount')
      const { event } = ctx.ledger.record({
        sourceKey: `test:${randomToken(12)}`,
        kind: 'tip',
        amountValue: decimalToMinor(amount, asset.assetScale),
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
        supporterName: request.body.name ?? 'Test Viewer',
        message: request.body.message ?? `Test of the "${variant.name}" alert.`,
        isTest: true,
      })
      const view = queue.enqueue(event, { source: 'test', variantId: variant.id })
      if (!view) throw new Error('a new test event produced no alert')
      // Others (tray, dashboard) hear about it too; the queue already has it, once.
      ctx.bus.emit('alert.test', event)
      return reply.code(201).send(view)
    },
  )
}
