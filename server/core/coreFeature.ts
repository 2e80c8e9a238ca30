import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext, Feature } from '../app/context.js'
import type { SessionResponse, StatusResponse } from '../contracts/api.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import { HttpError } from '../http/errors.js'
import { SESSION_COOKIE } from '../security/adminSessions.js'
import { randomToken } from '../security/tokens.js'
import type { AppSettings } from '../settings/schema.js'

const Amount = Type.Object({
  value: Type.String(),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})
const SupportEventView = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([
    Type.Literal('tip'),
    Type.Literal('web-monetization'),
    Type.Literal('redemption'),
  ]),
  amount: Amount,
  supporterName: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  tierId: Type.Union([Type.String(), Type.Null()]),
  streamId: Type.Union([Type.String(), Type.Null()]),
  isTest: Type.Boolean(),
  occurredAt: Type.String(),
})
const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})

const SettingsPatch = Type.Object(
  {
    setupCompleted: Type.Optional(Type.Boolean()),
    alertsPaused: Type.Optional(Type.Boolean()),
    notificationsEnabled: Type.Optional(Type.Boolean()),
    theme: Type.Optional(
      Type.Union([Type.Literal('system'), Type.Literal('light'), Type.Literal('dark')]),
    ),
    sandboxEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
const SettingsBody = Type.Object({
  setupCompleted: Type.Boolean(),
  alertsPaused: Type.Boolean(),
  notificationsEnabled: Type.Boolean(),
  theme: Type.String(),
  sandboxEnabled: Type.Boolean(),
})

/** Single-line text from a user: control characters removed, trimmed, bounded. */
export function cleanText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()
  return cleaned ? [...cleaned].slice(0, max).join('') : null
}

const TestAlertBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 64 })),
    message: Type.Optional(Type.String({ maxLength: 400 })),
    amount: Type.Optional(
      Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.String({ maxLength: 32 })]),
    ),
  },
  { additionalProperties: false },
)

/**
 * The foundation's own routes: session, status, settings, the dashboard's SSE stream, test alerts and
 * pause, overlay key rotation, and the seed's tip-tiers overlay route. The overlay list with its URLs
 * belongs to the overlays feature (GET /api/overlays/links).
 */
export function createCoreFeature(ctx: AppContext, startedAt: Date): Feature {
  return {
    name: 'core',
    adminRoutes(app: FastifyInstance) {
      app.get(
        '/session',
        { schema: { response: { 200: Type.Object({ authenticated: Type.Literal(true) }) } } },
        async (): Promise<SessionResponse> => ({
          authenticated: true,
        }),
      )

      app.post('/session/logout', async (request, reply) => {
        const sessionId = request.cookies[SESSION_COOKIE]
        if (sessionId) ctx.sessions.endSession(sessionId)
        void reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return { ok: true }
      })

      app.get('/status', async (): Promise<StatusResponse> => ({
        version: ctx.version,
        localUrl: ctx.urls.local(),
        publicUrl: ctx.urls.public(),
        publicUrlConfigured: ctx.config.publicUrl !== null,
        dataDir: ctx.config.dataDir,
        sandbox: ctx.config.sandbox || ctx.settings.get('sandboxEnabled'),
        alertsPaused: ctx.settings.get('alertsPaused'),
        sseClients: ctx.sse.clientCount(),
        startedAt: startedAt.toISOString(),
      }))

      app.get('/settings', { schema: { response: { 200: SettingsBody } } }, async () =>
        ctx.settings.getAll(),
      )

      app.patch<{ Body: Static<typeof SettingsPatch> }>(
        '/settings',
        { schema: { body: SettingsPatch, response: { 200: SettingsBody, 400: ErrorBody } } },
        async (request) => {
          for (const [key, value] of Object.entries(request.body) as [keyof AppSettings, never][]) {
            ctx.settings.set(key, value)
          }
          if (request.body.alertsPaused !== undefined)
            ctx.bus.emit('alerts.paused', { paused: request.body.alertsPaused })
          return ctx.settings.getAll()
        },
      )

      app.get('/events', (request, reply) => ctx.sse.stream(request, reply))

      app.post<{ Body: Static<typeof TestAlertBody> }>(
        '/alerts/test',
        { schema: { body: TestAlertBody, response: { 201: SupportEventView, 400: ErrorBody } } },
        async (request, reply) => {
          const asset = ctx.streamerAsset()
          let amountValue: bigint
          try {
            amountValue = decimalToMinor(request.body.amount ?? '5', asset.assetScale)
          } catch (error) {
            if (error instanceof MoneyFormatError)
              throw new HttpError(
                400,
                'invalid_amount',
                `body.amount: ${error.message}`,
                'body.amount',
              )
            throw error
          }
          if (amountValue <= 0n)
            throw new HttpError(
              400,
              'invalid_amount',
              'body.amount must be more than zero',
              'body.amount',
            )
          const { event } = ctx.supportEvents.record({
            sourceKey: `test:${randomToken(12)}`,
            kind: 'tip',
            amountValue,
            assetCode: asset.assetCode,
            assetScale: asset.assetScale,
            supporterName: cleanText(request.body.name, 32) ?? 'Test Viewer',
            message:
              cleanText(request.body.message, 200) ?? 'This is a test alert from WM Companion.',
            isTest: true,
          })
          ctx.bus.emit('alert.test', event)
          return reply.code(201).send(event)
        },
      )

      app.post<{ Body: { paused: boolean } }>(
        '/alerts/pause',
        {
          schema: {
            body: Type.Object({ paused: Type.Boolean() }, { additionalProperties: false }),
          },
        },
        async (request) => {
          ctx.settings.set('alertsPaused', request.body.paused)
          ctx.bus.emit('alerts.paused', { paused: request.body.paused })
          return { paused: request.body.paused }
        },
      )

      app.post('/overlays/rotate-key', async () => {
        ctx.overlayKeys.rotate()
        return { ok: true }
      })
    },
    overlayRoutes(app: FastifyInstance) {
      app.get<{ Querystring: { streamId?: string; key: string } }>(
        '/plugins/wm/overlay/tip-tiers',
        async (request) => ctx.providers.tipTiers(request.query.streamId ?? null),
      )
    },
  }
}
