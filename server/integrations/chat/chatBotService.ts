import type { DomainEvents } from '../../contracts/events.js'
import type { NormalizedPlatformEvent, OutboxMessageView } from '../../contracts/integrations.js'
import { randomToken } from '../../security/tokens.js'
import type { IntegrationConfigService } from '../configService.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import { renderThankYou, tipLinkMessage } from '../owncast/chatText.js'
import { privateThanksPurpose } from './chatClients.js'
import type { ChatOutboxService } from './outboxService.js'

/** `!tip` is answered at most once per this interval, however many viewers type it. */
export const TIP_COMMAND_INTERVAL_MS = 30_000

const TIP_COMMAND = /^!tip(?:\s|$)/i

export interface ChatBotDeps {
  config: IntegrationConfigService
  outbox: ChatOutboxService
  now(): number
  /** The public tip page (`${publicUrl}/tip`). */
  tipPageUrl(): string
}

export interface ChatBotService {
  onTipCompleted(tip: DomainEvents['support.recorded']): void
  onChatMessage(event: NormalizedPlatformEvent): void
  /** Owncast base URL and access token are both set. */
  owncastReady(): boolean
  /** Queues "connected" for the dashboard's test button; refused until Owncast is configured. */
  sendTestMessage(): OutboxMessageView
}

/** Talks back in Owncast chat, always through the durable outbox. */
export function createChatBotService(deps: ChatBotDeps): ChatBotService {
  function owncastReady(): boolean {
    return deps.config.owncast().baseUrl !== '' && Boolean(deps.config.secret('accessToken'))
  }

  return {
    owncastReady,
    sendTestMessage() {
      if (!owncastReady()) {
        throw new IntegrationError(
          IntegrationErrorCode.NotConfigured,
          'Set the Owncast server address and access token first.',
        )
      }
      return deps.outbox.enqueue({
        platform: 'owncast',
        kind: 'chat',
        purpose: 'test',
        dedupeKey: `test:${randomToken(9)}`,
        body: 'WM Companion is connected to this chat.',
      }).message
    },
    onTipCompleted(tip) {
      const settings = deps.config.owncast()
      if (!settings.thankYouEnabled || !owncastReady()) return
      const viewer = settings.privateThanks === true ? tip.tip?.chatUserId : null
      deps.outbox.enqueue({
        platform: 'owncast',
        kind: viewer ? 'system' : 'chat',
        purpose: viewer ? privateThanksPurpose(viewer) : 'tip-thanks',
        dedupeKey: `tip-thanks:${tip.tip?.flowId ?? tip.id}`,
        body: renderThankYou(settings.chatTemplate, tip),
      })
    },
    onChatMessage(event) {
      if (event.platform !== 'owncast' || !event.chat) return
      if (!TIP_COMMAND.test(event.chat.text.trim())) return
      if (!deps.config.owncast().tipCommandEnabled || !owncastReady()) return
      const now = deps.now()
      const last = deps.outbox.lastQueuedAt('tip-command')
      if (last !== null && now - last < TIP_COMMAND_INTERVAL_MS) return
      deps.outbox.enqueue({
        platform: 'owncast',
        kind: 'chat',
        purpose: 'tip-command',
        dedupeKey: `tip-command:${event.eventId ?? now}`,
        body: tipLinkMessage(deps.tipPageUrl()),
      })
    },
  }
}
