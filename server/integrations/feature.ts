import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type {
  ExternalActionJson,
  IntegrationsOverview,
  OwncastSettingsView,
} from '../contracts/integrations.js'
import { registerIntegrationAdminRoutes } from './adminRoutes.js'
import { createChatBot, type ChatBot } from './chat/chatBot.js'
import { createChatOutbox, type ChatOutbox } from './chat/outbox.js'
import { createCheckpointer } from './checkpointer.js'
import { createIntegrationConfig, type IntegrationConfig } from './config.js'
import { createPlatformEventStore, type PlatformEventStore } from './eventStore.js'
import { keepRawBodies } from './http.js'
import { OSP_TOKEN_HEADER, ospHeaderJson } from './osp/events.js'
import { OSP_WEBHOOK_PATH, registerOspWebhook } from './osp/webhook.js'
import { createOwncastClient, OwncastApiError } from './owncast/client.js'
import { OWNCAST_WEBHOOK_PATH, registerOwncastWebhook } from './owncast/webhook.js'
import { createEventProcessor, type EventProcessor } from './processor.js'
import { createStreamSessions, type StreamSessions } from './streams/sessions.js'

export interface IntegrationsOptions {
  /** The clock (ms): injected by tests to freeze time for webhook signatures. */
  now?: () => number
  /** How often Owncast's public /api/status is read to repair sessions when webhooks were lost. */
  statusPollMs?: number
}

/** The pieces of the feature, for its routes and tests. */
export interface IntegrationsServices {
  ctx: Infrastructure
  now(): number
  config: IntegrationConfig
  store: PlatformEventStore
  sessions: StreamSessions
  processor: EventProcessor
  outbox: ChatOutbox
  chatBot: ChatBot
  owncastClient(): ReturnType<typeof createOwncastClient>
  owncastWebhookUrl(): string
  ospWebhookUrl(): string
  ospHeader(): string
  externalAction(): ExternalActionJson
  owncastSettings(): OwncastSettingsView
  overview(): IntegrationsOverview
  /** Reads Owncast's status once and applies it to the sessions (no-op without a base URL). */
  pollOwncastStatus(): Promise<void>
}

export type IntegrationsFeature = Feature & { services: IntegrationsServices }

/**
 * Owncast and OSP (issue 4): webhooks in (stored first, processed after), stream sessions, and chat out
 * through a durable outbox; its stream sessions say which stream is live.
 */
export function createIntegrationsFeature(
  ctx: Infrastructure,
  options: IntegrationsOptions = {},
): IntegrationsFeature {
  const now = options.now ?? Date.now
  const statusPollMs = options.statusPollMs ?? 60_000
  const config = createIntegrationConfig(ctx.settings, ctx.secrets)
  const sessions = createStreamSessions(ctx.db, now)
  const store = createPlatformEventStore(ctx.db, ctx.settings, {
    // Called only after a write has committed, long after `processor` below exists.
    onStored: (events) => processor.enqueue(events),
    inTransaction: () => processor.processInWriteTransaction(),
  })

  function owncastClient() {
    return createOwncastClient({
      baseUrl: config.owncast().baseUrl,
      accessToken: config.secret('accessToken'),
    })
  }

  const outbox = createChatOutbox({
    db: ctx.db,
    now,
    log: () => ctx.log,
    async send(message) {
      if (config.owncast().baseUrl === '') {
        throw new OwncastApiError('No Owncast server URL is configured.', null, true)
      }
      const client = owncastClient()
      if (message.kind === 'system') await client.sendSystem(message.body)
      else await client.sendChat(message.body)
    },
  })
  const chatBot = createChatBot({
    config,
    outbox,
    now,
    tipPageUrl: () => `${ctx.urls.public()}/tip`,
  })
  const processor: EventProcessor = createEventProcessor({
    db: ctx.db,
    store,
    sessions,
    bus: ctx.bus,
    log: () => ctx.log,
    now,
    onChat: (event) => chatBot.onChatMessage(event),
  })
  const eventProcessor = processor

  const owncastWebhookUrl = () =>
    `${ctx.urls.public()}${OWNCAST_WEBHOOK_PATH}?key=${encodeURIComponent(config.generatedSecret('webhookUrlKey'))}`
  const ospWebhookUrl = () => `${ctx.urls.public()}${OSP_WEBHOOK_PATH}`
  const ospHeader = () => ospHeaderJson(config.generatedSecret('ospToken'))

  function owncastSettings(): OwncastSettingsView {
    const settings = config.owncast()
    const signing = Boolean(config.secret('signingSecret'))
    return {
      ...settings,
      accessTokenConfigured: Boolean(config.secret('accessToken')),
      signingSecretConfigured: signing,
      authMode: signing ? 'signature' : 'url-key',
    }
  }

  function externalAction(): ExternalActionJson {
    return {
      url: `${ctx.urls.public()}/tip`,
      title: 'Tip',
      description: 'Send a tip straight from your own wallet (Open Payments). No account, no fee.',
      icon: '',
      color: '#6d28d9',
      openExternally: false,
    }
  }

  async function pollOwncastStatus(): Promise<void> {
    if (config.owncast().baseUrl === '') return
    const status = await owncastClient().status()
    const at = now()
    const parse = (value: string | null) => (value ? Date.parse(value) || null : null)
    const outcome = ctx.db.transaction(() =>
      sessions.apply({
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
      if (event.name === 'stream.started') ctx.bus.emit('stream.started', event.payload)
      else ctx.bus.emit('stream.stopped', event.payload)
    }
  }

  const services: IntegrationsServices = {
    ctx,
    now,
    config,
    store,
    sessions,
    processor: eventProcessor,
    outbox,
    chatBot,
    owncastClient,
    owncastWebhookUrl,
    ospWebhookUrl,
    ospHeader,
    externalAction,
    owncastSettings,
    pollOwncastStatus,
    overview() {
      const counts = outbox.counts()
      return {
        publicUrl: ctx.urls.public(),
        publicUrlConfigured: ctx.config.publicUrl !== null,
        owncast: {
          ...owncastSettings(),
          webhookUrl: owncastWebhookUrl(),
          lastEvent: store.lastEvent('owncast'),
          externalAction: externalAction(),
        },
        osp: {
          webhookUrl: ospWebhookUrl(),
          header: ospHeader(),
          lastEvent: store.lastEvent('osp'),
        },
        outbox: { ...counts, lastFailure: counts.failed > 0 ? outbox.lastFailure() : null },
        liveStream: sessions.live(now()),
      }
    },
  }

  const checkpointer = createCheckpointer(ctx.db, {
    onError: (error) => ctx.log.warn({ err: error }, 'background WAL checkpoint failed'),
  })
  let unsubscribe: (() => void) | undefined
  let poller: NodeJS.Timeout | undefined

  return {
    name: 'integrations',
    services,
    publicRoutes(app) {
      keepRawBodies(app)
      const attribute = eventProcessor.attribute
      registerOwncastWebhook(app, { config, store, now, attribute })
      registerOspWebhook(app, { config, store, now, attribute })
    },
    adminRoutes(app) {
      registerIntegrationAdminRoutes(app, services)
    },
    start() {
      unsubscribe = ctx.bus.on('support.recorded', (support) => {
        if (support.tip) chatBot.onTipCompleted(support)
      })
      checkpointer.start()
      eventProcessor.recover()
      outbox.start()
      poller = setInterval(() => {
        pollOwncastStatus().catch((error: unknown) =>
          ctx.log.debug({ err: error }, 'Owncast status poll failed'),
        )
      }, statusPollMs)
      poller.unref()
    },
    async stop() {
      unsubscribe?.()
      if (poller) clearInterval(poller)
      await store.flush()
      await eventProcessor.idle()
      eventProcessor.stop()
      await outbox.stop()
      await checkpointer.stop()
    },
    bannerLines() {
      return [
        `Owncast webhook: ${owncastWebhookUrl()}`,
        `                 (Owncast admin → Integrations → Webhooks; select the events to send)`,
        `OSP webhooks:    ${ospWebhookUrl()}?event=<event>   header ${OSP_TOKEN_HEADER}: ${config.generatedSecret('ospToken')}`,
      ]
    },
  }
}
