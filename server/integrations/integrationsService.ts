import type { FastifyBaseLogger } from 'fastify'
import type { IntegrationsOverview } from '../contracts/integrations.js'
import type { EventBus } from '../events/bus.js'
import type { SecretStore } from '../settings/secrets.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import { createChatClientDirectory } from './chat/chatClients.js'
import { createChatBotService, type ChatBotService } from './chat/chatBotService.js'
import { createOutboxRepository } from './chat/outboxRepository.js'
import { createChatOutboxService, type ChatOutboxService } from './chat/outboxService.js'
import { createCheckpointer, type Checkpointer } from './checkpointer.js'
import { createIntegrationConfigService, type IntegrationConfigService } from './configService.js'
import {
  createEventProcessingService,
  type EventProcessingService,
} from './eventProcessingService.js'
import { createOspService, type OspService } from './osp/ospService.js'
import { createOwncastService, type OwncastService } from './owncast/owncastService.js'
import {
  createPlatformEventRepository,
  type PlatformEventRepository,
} from './platformEventRepository.js'
import { createStreamRepository } from './streams/streamRepository.js'
import {
  createStreamSessionService,
  type StreamSessionService,
} from './streams/streamSessionService.js'

export interface IntegrationsServiceDeps {
  db: Db
  settings: SettingsStore
  secrets: SecretStore
  /** Where stream.started / stream.stopped are announced. */
  bus: Pick<EventBus, 'emit'>
  log: FastifyBaseLogger
  /** WM_PUBLIC_URL, else the public listener's own address. */
  publicUrl(): string
  /** WM_PUBLIC_URL is set (the URLs shown work beyond this machine). */
  publicUrlConfigured: boolean
}

export interface IntegrationsOptions {
  /** The clock (ms): injected by tests to freeze time for webhook signatures. */
  now?: () => number
}

/** The parts of the integrations feature, each built once (by the composition root's one call). */
export interface IntegrationsService {
  now(): number
  config: IntegrationConfigService
  platformEvents: PlatformEventRepository
  /** Stream sessions: which stream is live (other features get `liveStreamId` from the root). */
  sessions: StreamSessionService
  processor: EventProcessingService
  outbox: ChatOutboxService
  chatBot: ChatBotService
  owncast: OwncastService
  osp: OspService
  /** Background WAL checkpoints of the app database (they keep webhook latency flat). */
  checkpointer: Checkpointer
  overview(): IntegrationsOverview
}

/**
 * Owncast and OSP: webhooks in (stored first, processed after), stream sessions, and chat out through
 * a durable outbox.
 */
export function createIntegrationsService(
  deps: IntegrationsServiceDeps,
  options: IntegrationsOptions = {},
): IntegrationsService {
  const now = options.now ?? Date.now
  const log = () => deps.log
  const config = createIntegrationConfigService(deps)
  const sessions = createStreamSessionService({ streams: createStreamRepository(deps.db), now })
  const platformEvents = createPlatformEventRepository(deps.db, deps.settings, {
    // Called only after a write has committed, long after `processor` below exists.
    onStored: (events) => processor.enqueue(events),
    inTransaction: () => processor.processInWriteTransaction(),
  })
  const chatClients = createChatClientDirectory()
  const owncast = createOwncastService({
    config,
    clients: chatClients,
    db: deps.db,
    sessions,
    platformEvents,
    bus: deps.bus,
    publicUrl: deps.publicUrl,
    publicUrlConfigured: deps.publicUrlConfigured,
    now,
  })
  const osp = createOspService({ config, publicUrl: deps.publicUrl })
  const outbox = createChatOutboxService({
    messages: createOutboxRepository(deps.db),
    now,
    log,
    send: (message) => owncast.send(message),
  })
  const chatBot = createChatBotService({
    config,
    outbox,
    now,
    tipPageUrl: () => `${deps.publicUrl()}/tip`,
  })
  const processor: EventProcessingService = createEventProcessingService({
    db: deps.db,
    platformEvents,
    sessions,
    bus: deps.bus,
    log,
    now,
    onChat: (event) => chatBot.onChatMessage(event),
    onLive: (event) => chatClients.observe(event),
  })
  const checkpointer = createCheckpointer(deps.db, {
    onError: (error) => deps.log.warn({ err: error }, 'background WAL checkpoint failed'),
  })

  return {
    now,
    config,
    platformEvents,
    sessions,
    processor,
    outbox,
    chatBot,
    owncast,
    osp,
    checkpointer,
    overview() {
      const counts = outbox.counts()
      return {
        publicUrl: deps.publicUrl(),
        publicUrlConfigured: deps.publicUrlConfigured,
        owncast: {
          ...owncast.settingsView(),
          webhookUrl: owncast.webhookUrl(),
          lastEvent: platformEvents.lastEvent('owncast'),
          externalAction: owncast.externalAction(),
        },
        osp: {
          webhookUrl: osp.webhookUrl(),
          header: osp.header(),
          lastEvent: platformEvents.lastEvent('osp'),
        },
        outbox: {
          ...counts,
          lastFailure: counts.failed > 0 ? outbox.lastFailure() : null,
          lastProblem: counts.pending + counts.failed > 0 ? outbox.lastProblem() : null,
          lastNote: outbox.lastNote(),
        },
        liveStream: sessions.live(now()),
      }
    },
  }
}
