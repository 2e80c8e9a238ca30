import type {
  ExternalActionJson,
  OwncastConnectionReport,
  OwncastScope,
  OwncastSettingsView,
  owncastWebhookRoutes,
  TestEventReport,
} from '../../contracts/integrations.js'
import { splitRouteKey } from '../../contracts/route.js'
import type { EventBus } from '../../events/bus.js'
import { randomToken } from '../../security/tokens.js'
import type { Db } from '../../storage/db.js'
import { privateThanksRecipient, type ChatClientDirectory } from '../chat/chatClients.js'
import type { OutgoingMessage } from '../chat/outboxService.js'
import type { IntegrationConfigService, IntegrationSecret } from '../configService.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import type { PlatformEventRepository } from '../platformEventRepository.js'
import type { StreamSessionService } from '../streams/streamSessionService.js'
import { createOwncastClient, OwncastApiError, type OwncastClient } from './client.js'
import { TEST_EVENT_ID_PREFIX } from './normalize.js'
import { signOwncastBody } from './signature.js'

/** Where Owncast posts: the route table's own path, so the URL shown and the route cannot drift. */
export const OWNCAST_WEBHOOK_PATH = splitRouteKey(
  'POST /webhooks/owncast' satisfies keyof typeof owncastWebhookRoutes,
)[1]

/** Scopes each feature of the bot needs (DESIGN §7). */
const REQUIRED_SCOPES: OwncastScope[] = ['CAN_SEND_MESSAGES']
const ALL_SCOPES: OwncastScope[] = [
  'CAN_SEND_MESSAGES',
  'CAN_SEND_SYSTEM_MESSAGES',
  'HAS_ADMIN_ACCESS',
]

const SECRET_LABELS = {
  accessToken: 'access token',
  signingSecret: 'signing secret',
} as const satisfies Partial<Record<IntegrationSecret, string>>

/** The secrets the streamer pastes (the URL key and the OSP token are generated). */
export type PastedOwncastSecret = keyof typeof SECRET_LABELS

const owncastName = (version: string | null) => (version ? `Owncast ${version}` : 'Owncast')

function redactKey(url: string): string {
  return url.replace(/([?&]key=)[^&]*/, '$1[secret]')
}

export interface OwncastServiceDeps {
  config: IntegrationConfigService
  /** Which chat connection each viewer uses, for private thank-yous. */
  clients: Pick<ChatClientDirectory, 'clientOf' | 'forget'>
  db: Db
  sessions: StreamSessionService
  platformEvents: Pick<PlatformEventRepository, 'countByEventId'>
  bus: Pick<EventBus, 'emit'>
  /** WM_PUBLIC_URL, else the public listener's own address. */
  publicUrl(): string
  /** WM_PUBLIC_URL is set: without it a test webhook only proves the loopback path. */
  publicUrlConfigured: boolean
  now(): number
}

/** Everything the streamer's Owncast server and its webhook setup need from this side. */
export interface OwncastService {
  client(): OwncastClient
  settingsView(): OwncastSettingsView
  /** Stores a pasted secret (refusing spaces and line breaks); answers the new settings view. */
  setSecret(name: PastedOwncastSecret, value: string): OwncastSettingsView
  clearSecret(name: PastedOwncastSecret): OwncastSettingsView
  /** The URL to paste into Owncast, secret key included. */
  webhookUrl(): string
  rotateWebhookKey(): string
  externalAction(): ExternalActionJson
  /**
   * Delivers one outbox message to Owncast chat (the outbox retries on failure). Answers a note when
   * a private thank-you had to go to public chat, saying why.
   */
  send(message: OutgoingMessage): Promise<string | null>
  testConnection(): Promise<OwncastConnectionReport>
  sendTestEvent(): Promise<TestEventReport>
  /** Reads Owncast's status once and applies it to the sessions (no-op without a base URL). */
  pollStatus(): Promise<void>
}

export function createOwncastService(deps: OwncastServiceDeps): OwncastService {
  const { config } = deps

  function client(): OwncastClient {
    return createOwncastClient({
      baseUrl: config.owncast().baseUrl,
      accessToken: config.secret('accessToken'),
    })
  }

  function settingsView(): OwncastSettingsView {
    const settings = config.owncast()
    const signing = Boolean(config.secret('signingSecret'))
    return {
      ...settings,
      privateThanks: settings.privateThanks ?? false,
      accessTokenConfigured: Boolean(config.secret('accessToken')),
      signingSecretConfigured: signing,
      authMode: signing ? 'signature' : 'url-key',
    }
  }

  const webhookUrl = () =>
    `${deps.publicUrl()}${OWNCAST_WEBHOOK_PATH}?key=${encodeURIComponent(config.generatedSecret('webhookUrlKey'))}`

  /**
   * Reachability, token and scopes, in that order, each failure said in plain words. Scopes are probed
   * with requests Owncast refuses after its scope check, so nothing is posted to chat.
   */
  async function testConnection(): Promise<OwncastConnectionReport> {
    const settings = config.owncast()
    const token = config.secret('accessToken')
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
    const owncast = client()
    try {
      const status = await owncast.status()
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
        report.scopes[scope] = (await owncast.probeScope(scope)) === 'granted'
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
      report.message =
        report.scopes.CAN_SEND_SYSTEM_MESSAGES === true
          ? `Connected to ${owncastName(report.version)}: the token can post chat messages and send system messages (private thank-yous).`
          : `Connected to ${owncastName(report.version)}: the token can post chat messages, but not system messages, so private thank-yous go to public chat. Add "Can send system messages" to the token for them.`
    }
    return report
  }

  /** A CHAT event shaped like the fixtures, with a test id, posted to our own public URL. */
  async function sendTestEvent(): Promise<TestEventReport> {
    const id = `${TEST_EVENT_ID_PREFIX}${randomToken(9)}`
    const nowMs = deps.now()
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
        serverURL: config.owncast().baseUrl,
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
    const url = webhookUrl()
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Go-http-client/1.1',
    }
    const signingSecret = config.secret('signingSecret')
    if (signingSecret) {
      headers['owncast-signature'] = signOwncastBody(body, signingSecret, Math.floor(nowMs / 1000))
    }
    const shownUrl = redactKey(url)
    const reach = deps.publicUrlConfigured ? 'public-url' : 'loopback'
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
        reach,
        url: shownUrl,
        httpStatus: null,
        message: `Could not reach ${shownUrl} (${cause ?? (error as Error).message}): is the tunnel running and WM_PUBLIC_URL right?`,
      }
    }
    const arrived = deps.platformEvents.countByEventId('owncast', id) === 1
    return { arrived, reach, url: shownUrl, httpStatus: status, message: testEventMessage() }

    function testEventMessage(): string {
      if (!arrived)
        return reach === 'public-url'
          ? `The public URL answered HTTP ${status}, but the event did not arrive here: the tunnel points somewhere else, or WM_PUBLIC_URL is wrong.`
          : `The public listener on this machine answered HTTP ${status}, but the event was not stored.`
      return reach === 'public-url'
        ? 'The test event went out through your public URL and came back here: Owncast can reach WM Companion.'
        : 'The test event reached WM Companion on this machine only. WM_PUBLIC_URL is not set, so nothing outside this computer can reach it yet: an Owncast on this machine works; for any other, start a tunnel to the public port and set WM_PUBLIC_URL.'
    }
  }

  /**
   * A system message to the viewer's own chat connection. When that cannot work (connection unknown or
   * gone, token without the scope) the thank-you goes to public chat and the note says why; when
   * Owncast is unreachable the error stands, so the outbox retries the private message.
   */
  async function sendPrivately(
    owncast: OwncastClient,
    chatUserId: string,
    body: string,
  ): Promise<string | null> {
    const clientId = deps.clients.clientOf(chatUserId)
    let reason: string
    if (clientId === null) {
      reason =
        'this viewer has not written in chat since WM Companion started, so their chat connection is unknown'
    } else {
      try {
        await owncast.sendSystemToClient(clientId, body)
        return null
      } catch (error) {
        if (!(error instanceof OwncastApiError) || error.status === null) throw error
        if (error.status === 404) {
          deps.clients.forget(chatUserId, clientId)
          reason = `the viewer has left the chat (Owncast: no chat connection ${clientId}, HTTP 404)`
        } else if (error.status === 401 || error.status === 403) {
          reason = `the access token cannot send system messages: give it "Can send system messages" in Owncast admin → Integrations → Access Tokens (HTTP ${error.status})`
        } else {
          throw error
        }
      }
    }
    await owncast.sendChat(body)
    return `Sent in public chat instead of privately: ${reason}.`
  }

  async function pollStatus(): Promise<void> {
    if (config.owncast().baseUrl === '') return
    const status = await client().status()
    const at = deps.now()
    const parse = (value: string | null) => (value ? Date.parse(value) || null : null)
    const outcome = deps.db.transaction(() =>
      deps.sessions.apply({
        platform: 'owncast',
        at,
        kind: 'other',
        online: status.online,
        sessionStart: parse(status.lastConnectTime),
        sessionEnd: parse(status.lastDisconnectTime),
        title: status.streamTitle,
      }),
    )()
    for (const event of outcome.events) {
      if (event.name === 'stream.started') deps.bus.emit('stream.started', event.payload)
      else deps.bus.emit('stream.stopped', event.payload)
    }
  }

  return {
    client,
    settingsView,
    setSecret(name, value) {
      const trimmed = value.trim()
      if (trimmed === '' || /\s/.test(trimmed)) {
        throw new IntegrationError(
          IntegrationErrorCode.InvalidSetting,
          `body.value must be the ${SECRET_LABELS[name]} without spaces or line breaks.`,
          'body.value',
        )
      }
      config.setSecret(name, trimmed)
      return settingsView()
    },
    clearSecret(name) {
      config.clearSecret(name)
      return settingsView()
    },
    webhookUrl,
    rotateWebhookKey() {
      config.rotate('webhookUrlKey')
      return webhookUrl()
    },
    externalAction: () => ({
      url: `${deps.publicUrl()}/tip`,
      title: 'Tip',
      description: 'Send a tip straight from your own wallet (Open Payments). No account, no fee.',
      icon: '',
      color: '#6d28d9',
      openExternally: false,
    }),
    async send(message) {
      if (config.owncast().baseUrl === '') {
        throw new OwncastApiError('No Owncast server URL is configured.', null, true)
      }
      const owncast = client()
      const viewer = privateThanksRecipient(message.purpose)
      if (viewer !== null) return sendPrivately(owncast, viewer, message.body)
      if (message.kind === 'system') await owncast.sendSystem(message.body)
      else await owncast.sendChat(message.body)
      return null
    },
    testConnection,
    sendTestEvent,
    pollStatus,
  }
}
