import type { DomainEvents } from '../../contracts/events.js'
import type { NormalizedPlatformEvent } from '../../contracts/integrations.js'
import type { IntegrationConfig } from '../config.js'
import { renderThankYou, tipLinkMessage } from '../owncast/chatText.js'
import type { ChatOutbox } from './outbox.js'

/** `!tip` is answered at most once per this interval, however many viewers type it. */
export const TIP_COMMAND_INTERVAL_MS = 30_000

const TIP_COMMAND = /^!tip(?:\s|$)/i

export interface ChatBotDeps {
  config: IntegrationConfig
  outbox: ChatOutbox
  now(): number
  /** The public tip page (`${publicUrl}/tip`). */
  tipPageUrl(): string
}

export interface ChatBot {
  onTipCompleted(tip: DomainEvents['support.recorded']): void
  onChatMessage(event: NormalizedPlatformEvent): void
  /** Owncast base URL and access token are both set. */
  owncastReady(): boolean
}

/** Talks back in Owncast chat, always through the durable outbox. */
export function createChatBot(deps: ChatBotDeps): ChatBot {
  function owncastReady(): boolean {
    return deps.config.owncast().baseUrl !== '' && Boolean(deps.config.secret('accessToken'))
  }

  return {
    owncastReady,
    onTipCompleted(tip) {
      const settings = deps.config.owncast()
      if (!settings.thankYouEnabled || !owncastReady()) return
      deps.outbox.enqueue({
        platform: 'owncast',
        kind: 'chat',
        purpose: 'tip-thanks',
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
