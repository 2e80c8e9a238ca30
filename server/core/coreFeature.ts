import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import { ErrorBody, SupportEventView as SupportEventViewSchema } from '../contracts/common.js'
import { coreAdminRoutes, type AppSettings } from '../contracts/core.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import { HttpError } from '../http/errors.js'
import { SESSION_COOKIE } from '../security/adminSessions.js'
import { randomToken } from '../security/tokens.js'
import { registerRoutes } from '../http/routes.js'
import type { SettingKey } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'

const SupportEventView = SupportEventViewSchema

/** Where each switch of the Settings page is kept. */
const APP_SETTING_KEYS = {
  setupCompleted: 'app.setupCompleted',
  alertsPaused: 'alerts.paused',
  notificationsEnabled: 'desktop.notifications',
  theme: 'ui.theme',
  sandboxEnabled: 'sandbox.enabled',
} as const satisfies Record<keyof AppSettings, SettingKey>

export function readAppSettings(settings: SettingsStore): AppSettings {
  return {
    setupCompleted: settings.get(APP_SETTING_KEYS.setupCompleted),
    alertsPaused: settings.get(APP_SETTING_KEYS.alertsPaused),
    notificationsEnabled: settings.get(APP_SETTING_KEYS.notificationsEnabled),
    theme: settings.get(APP_SETTING_KEYS.theme),
    sandboxEnabled: settings.get(APP_SETTING_KEYS.sandboxEnabled),
  }
}

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
 * pause, overlay key rotation. The overlay list with its URLs belongs to the overlays feature
 * (GET /api/overlays/links).
 */
export interface CoreFeatureDeps {
  startedAt: Date
}

export function createCoreFeature(ctx: Infrastructure, deps: CoreFeatureDeps): Feature {
  return {
    name: 'core',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, coreAdminRoutes, {
        'GET /session': async () => ({ authenticated: true }) as const,
        'POST /session/logout': async (request, reply) => {
          const sessionId = request.cookies[SESSION_COOKIE]
          if (sessionId) ctx.sessions.endSession(sessionId)
          void reply.clearCookie(SESSION_COOKIE, { path: '/' })
          return { ok: true }
        },
        'GET /status': async () => ({
          version: ctx.version,
          localUrl: ctx.urls.local(),
          publicUrl: ctx.urls.public(),
          publicUrlConfigured: ctx.config.publicUrl !== null,
          dataDir: ctx.config.dataDir,
          sandbox: ctx.config.sandbox || ctx.settings.get('sandbox.enabled'),
          alertsPaused: ctx.settings.get('alerts.paused'),
          sseClients: ctx.sse.clientCount(),
          startedAt: deps.startedAt.toISOString(),
        }),
        'GET /settings': async () => readAppSettings(ctx.settings),
        'PATCH /settings': async (request) => {
          const patch = request.body
          if (patch.setupCompleted !== undefined)
            ctx.settings.set('app.setupCompleted', patch.setupCompleted)
          if (patch.notificationsEnabled !== undefined)
            ctx.settings.set('desktop.notifications', patch.notificationsEnabled)
          if (patch.theme !== undefined) ctx.settings.set('ui.theme', patch.theme)
          if (patch.sandboxEnabled !== undefined)
            ctx.settings.set('sandbox.enabled', patch.sandboxEnabled)
          if (patch.alertsPaused !== undefined) {
            ctx.settings.set('alerts.paused', patch.alertsPaused)
            ctx.bus.emit('alerts.paused', { paused: patch.alertsPaused })
          }
          return readAppSettings(ctx.settings)
        },
        'GET /events': (request, reply) => ctx.sse.stream(request, reply),
      })

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
          const { event } = ctx.ledger.record({
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
          ctx.settings.set('alerts.paused', request.body.paused)
          ctx.bus.emit('alerts.paused', { paused: request.body.paused })
          return { paused: request.body.paused }
        },
      )

      app.post('/overlays/rotate-key', async () => {
        ctx.overlayKeys.rotate()
        return { ok: true }
      })
    },
  }
}
