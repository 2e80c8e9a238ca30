import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type {
  OwncastConnectionReport,
  OwncastScope,
  TestEventReport,
} from '../contracts/integrations.js'
import { randomToken } from '../security/tokens.js'
import { IntegrationError, IntegrationErrorCode } from './errors.js'
import type { IntegrationsServices } from './feature.js'
import { ErrorBody } from './http.js'
import { ospTemplates } from './osp/events.js'
import { TEST_EVENT_ID_PREFIX } from './owncast/normalize.js'
import { signOwncastBody } from './owncast/signature.js'
import {
  ConnectionReport,
  EventsQuery,
  ExternalActionJson,
  IdParams,
  IntegrationsOverview,
  LimitQuery,
  OspTemplate,
  OutboxMessageView,
  OwncastSettingsPatch,
  OwncastSettingsView,
  PlatformEventView,
  SecretValue,
  StreamSessionView,
  TestEventReport as TestEventReportSchema,
} from './schemas.js'

const Errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/** Scopes each feature of the bot needs (DESIGN §7). */
const REQUIRED_SCOPES: OwncastScope[] = ['CAN_SEND_MESSAGES']
const ALL_SCOPES: OwncastScope[] = [
  'CAN_SEND_MESSAGES',
  'CAN_SEND_SYSTEM_MESSAGES',
  'HAS_ADMIN_ACCESS',
]

const owncastName = (version: string | null) => (version ? `Owncast ${version}` : 'Owncast')

/**
 * Reachability, token and scopes, in that order, each failure said in plain words. Scopes are probed
 * with requests Owncast refuses after its scope check, so nothing is posted to chat.
 */
export async function testOwncastConnection(
  services: IntegrationsServices,
): Promise<OwncastConnectionReport> {
  const settings = services.config.owncast()
  const token = services.config.secret('accessToken')
  const report: OwncastConnectionReport = {
    ok: false,
    reachable: false,
    version: null,
    online: null,
    tokenConfigured: Boolean(token),
    tokenAccepted: false,
    scopes: { CAN_SEND_MESSAGES: null, CAN_SEND_SYSTEM_MESSAGES: null, HAS_ADMIN_ACCESS: null },
    missing: [],
    message: '',
  }
  if (settings.baseUrl === '') {
    report.message =
      'Enter the address of your Owncast server first (such as https://live.example.org).'
    return report
  }
  const client = services.owncastClient()
  try {
    const status = await client.status()
    report.reachable = true
    report.version = status.versionNumber
    report.online = status.online
  } catch (error) {
    report.message = `${(error as Error).message} Check the address and that Owncast is running.`
    return report
  }
  if (!token) {
    report.message = `${owncastName(report.version)} answers, but no access token is set: create one in Owncast admin → Integrations → Access Tokens with "Can send chat messages", then paste it here.`
    return report
  }
  try {
    for (const scope of ALL_SCOPES) {
      report.scopes[scope] = (await client.probeScope(scope)) === 'granted'
    }
  } catch (error) {
    report.message = (error as Error).message
    return report
  }
  report.tokenAccepted = ALL_SCOPES.some((scope) => report.scopes[scope] === true)
  report.missing = REQUIRED_SCOPES.filter((scope) => report.scopes[scope] !== true)
  if (!report.tokenAccepted) {
    report.message =
      'Owncast refuses this access token: it is wrong, was deleted, or has no scopes. Create a new one in Owncast admin → Integrations → Access Tokens with "Can send chat messages".'
  } else if (report.missing.length > 0) {
    report.message = `The token works but lacks ${report.missing.join(', ')}: thank-you messages and the !tip answer cannot be posted. Create a token with "Can send chat messages".`
  } else {
    report.ok = true
    report.message = `Connected to ${owncastName(report.version)}: the token can post chat messages.`
  }
  return report
}

function redactKey(url: string): string {
  return url.replace(/([?&]key=)[^&]*/, '$1[secret]')
}

/** A CHAT event shaped like the fixtures, with a test id, posted to our own public URL. */
export async function sendTestEvent(services: IntegrationsServices): Promise<TestEventReport> {
  const id = `${TEST_EVENT_ID_PREFIX}${randomToken(9)}`
  const nowMs = services.now()
  const body = JSON.stringify({
    eventData: {
      status: {
        lastConnectTime: null,
        lastDisconnectTime: null,
        versionNumber: '0.2.5',
        streamTitle: '',
        viewerCount: 0,
        overallMaxViewerCount: 0,
        sessionMaxViewerCount: 0,
        online: false,
      },
      serverURL: services.config.owncast().baseUrl,
      user: {
        createdAt: new Date(nowMs).toISOString(),
        id: 'wm-companion-test',
        displayName: 'WM Companion',
        previousNames: ['WM Companion'],
        displayColor: 0,
        isBot: true,
        authenticated: false,
      },
      timestamp: new Date(nowMs).toISOString(),
      body: '<p>Test event from WM Companion</p>',
      rawBody: 'Test event from WM Companion',
      id,
      visible: true,
    },
    type: 'CHAT',
  })
  const url = services.owncastWebhookUrl()
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Go-http-client/1.1',
  }
  const signingSecret = services.config.secret('signingSecret')
  if (signingSecret) {
    headers['owncast-signature'] = signOwncastBody(body, signingSecret, Math.floor(nowMs / 1000))
  }
  const shownUrl = redactKey(url)
  let status: number | null = null
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    })
    status = response.status
    await response.arrayBuffer()
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    return {
      arrived: false,
      url: shownUrl,
      httpStatus: null,
      message: `Could not reach ${shownUrl} (${cause ?? (error as Error).message}): is the tunnel running and WM_PUBLIC_URL right?`,
    }
  }
  const arrived = services.store.countByEventId('owncast', id) === 1
  return {
    arrived,
    url: shownUrl,
    httpStatus: status,
    message: arrived
      ? 'The test event went through the public URL and was stored: Owncast can reach WM Companion.'
      : `The public URL answered HTTP ${status}, but the event did not arrive here: the tunnel points somewhere else, or WM_PUBLIC_URL is wrong.`,
  }
}

export function registerIntegrationAdminRoutes(
  app: FastifyInstance,
  services: IntegrationsServices,
): void {
  const { config } = services

  app.get('/integrations', { schema: { response: { 200: IntegrationsOverview } } }, async () =>
    services.overview(),
  )

  app.patch<{ Body: Static<typeof OwncastSettingsPatch> }>(
    '/integrations/owncast',
    { schema: { body: OwncastSettingsPatch, response: { 200: OwncastSettingsView, ...Errors } } },
    async (request) => {
      config.updateOwncast(request.body)
      return services.owncastSettings()
    },
  )

  for (const [path, secret, label] of [
    ['/integrations/owncast/access-token', 'accessToken', 'access token'],
    ['/integrations/owncast/signing-secret', 'signingSecret', 'signing secret'],
  ] as const) {
    app.put<{ Body: Static<typeof SecretValue> }>(
      path,
      { schema: { body: SecretValue, response: { 200: OwncastSettingsView, ...Errors } } },
      async (request) => {
        const value = request.body.value.trim()
        if (value === '' || /\s/.test(value)) {
          throw new IntegrationError(
            IntegrationErrorCode.InvalidSetting,
            `body.value must be the ${label} without spaces or line breaks.`,
            'body.value',
          )
        }
        config.setSecret(secret, value)
        return services.owncastSettings()
      },
    )
    app.delete(path, { schema: { response: { 200: OwncastSettingsView } } }, async () => {
      config.clearSecret(secret)
      return services.owncastSettings()
    })
  }

  app.post(
    '/integrations/owncast/rotate-webhook-key',
    { schema: { response: { 200: Type.Object({ webhookUrl: Type.String() }) } } },
    async () => {
      config.rotate('webhookUrlKey')
      return { webhookUrl: services.owncastWebhookUrl() }
    },
  )

  app.post(
    '/integrations/owncast/test-connection',
    { schema: { response: { 200: ConnectionReport } } },
    async () => testOwncastConnection(services),
  )

  app.post(
    '/integrations/owncast/test-event',
    { schema: { response: { 200: TestEventReportSchema } } },
    async () => sendTestEvent(services),
  )

  app.post(
    '/integrations/owncast/test-message',
    { schema: { response: { 200: OutboxMessageView, ...Errors } } },
    async () => {
      if (!services.chatBot.owncastReady()) {
        throw new IntegrationError(
          IntegrationErrorCode.NotConfigured,
          'Set the Owncast server address and access token first.',
        )
      }
      return services.outbox.enqueue({
        platform: 'owncast',
        kind: 'chat',
        purpose: 'test',
        dedupeKey: `test:${randomToken(9)}`,
        body: 'WM Companion is connected to this chat.',
      }).message
    },
  )

  app.get(
    '/integrations/owncast/external-action',
    { schema: { response: { 200: ExternalActionJson } } },
    async () => services.externalAction(),
  )

  app.get(
    '/integrations/osp/templates',
    {
      schema: {
        response: {
          200: Type.Object({ header: Type.String(), templates: Type.Array(OspTemplate) }),
        },
      },
    },
    async () => ({
      header: services.ospHeader(),
      templates: ospTemplates(services.ospWebhookUrl(), config.generatedSecret('ospToken')),
    }),
  )

  app.post(
    '/integrations/osp/rotate-token',
    { schema: { response: { 200: Type.Object({ header: Type.String() }) } } },
    async () => {
      config.rotate('ospToken')
      return { header: services.ospHeader() }
    },
  )

  app.get<{ Querystring: Static<typeof EventsQuery> }>(
    '/integrations/events',
    {
      schema: {
        querystring: EventsQuery,
        response: { 200: Type.Object({ events: Type.Array(PlatformEventView) }), ...Errors },
      },
    },
    async (request) => ({
      events: services.store.list({
        platform: request.query.platform,
        limit: request.query.limit ?? 50,
        beforeId: request.query.beforeId,
      }),
    }),
  )

  app.get<{ Querystring: Static<typeof LimitQuery> }>(
    '/integrations/streams',
    {
      schema: {
        querystring: LimitQuery,
        response: {
          200: Type.Object({
            live: Type.Union([StreamSessionView, Type.Null()]),
            streams: Type.Array(StreamSessionView),
          }),
          ...Errors,
        },
      },
    },
    async (request) => ({
      live: services.sessions.live(services.now()),
      streams: services.sessions.list(request.query.limit ?? 50),
    }),
  )

  app.get<{ Querystring: Static<typeof LimitQuery> }>(
    '/integrations/outbox',
    {
      schema: {
        querystring: LimitQuery,
        response: {
          200: Type.Object({
            pending: Type.Integer(),
            failed: Type.Integer(),
            messages: Type.Array(OutboxMessageView),
          }),
          ...Errors,
        },
      },
    },
    async (request) => ({
      ...services.outbox.counts(),
      messages: services.outbox.list(request.query.limit ?? 50),
    }),
  )

  app.post<{ Params: Static<typeof IdParams> }>(
    '/integrations/outbox/:id/retry',
    { schema: { params: IdParams, response: { 200: OutboxMessageView, ...Errors } } },
    async (request) => {
      const message = services.outbox.retry(request.params.id)
      if (!message) {
        throw new IntegrationError(
          IntegrationErrorCode.NotFound,
          `No chat message ${request.params.id}.`,
          'params.id',
        )
      }
      return message
    },
  )
}
