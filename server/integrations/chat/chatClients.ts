import type { NormalizedPlatformEvent } from '../../contracts/integrations.js'

const PRIVATE_THANKS = 'tip-thanks-private:'

/** The outbox purpose of a thank-you meant for one chat user only; the purpose carries who. */
export function privateThanksPurpose(chatUserId: string): string {
  return `${PRIVATE_THANKS}${chatUserId}`
}

/** The chat user a private thank-you is for, or null for any other message. */
export function privateThanksRecipient(purpose: string | undefined): string | null {
  if (!purpose?.startsWith(PRIVATE_THANKS)) return null
  const id = purpose.slice(PRIVATE_THANKS.length)
  return id === '' ? null : id
}

/** At most this many viewers are remembered; the oldest seen is forgotten first. */
const MAX_TRACKED = 5000

/**
 * Which Owncast chat connection each chat user spoke from last. Owncast addresses private system
 * messages to a connection (client id), while a tip knows only the chat user id; CHAT webhooks carry
 * both. Kept in memory: connections do not survive an Owncast restart either.
 */
export interface ChatClientDirectory {
  /** Learns from a live webhook event (a chat message, a join, a part). */
  observe(event: NormalizedPlatformEvent): void
  clientOf(chatUserId: string): number | null
  /** Owncast said this connection is gone. */
  forget(chatUserId: string, clientId: number): void
}

export function createChatClientDirectory(): ChatClientDirectory {
  const clients = new Map<string, number>()

  return {
    observe(event) {
      if (event.platform !== 'owncast' || event.isTest) return
      const userId = event.user?.id
      if (!userId || event.clientId === undefined) return
      if (event.type === 'viewer.parted') {
        if (clients.get(userId) === event.clientId) clients.delete(userId)
        return
      }
      if (event.type !== 'chat.message' && event.type !== 'viewer.joined') return
      clients.delete(userId)
      clients.set(userId, event.clientId)
      if (clients.size > MAX_TRACKED) {
        const oldest = clients.keys().next().value
        if (oldest !== undefined) clients.delete(oldest)
      }
    },
    clientOf: (chatUserId) => clients.get(chatUserId) ?? null,
    forget(chatUserId, clientId) {
      if (clients.get(chatUserId) === clientId) clients.delete(chatUserId)
    },
  }
}
