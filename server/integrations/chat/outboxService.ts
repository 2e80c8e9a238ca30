import type { FastifyBaseLogger } from 'fastify'
import type { OutboxMessageView, PlatformName } from '../../contracts/integrations.js'
import { toOutboxView, type OutboxRepository } from './outboxRepository.js'

export interface OutgoingMessage {
  kind: 'chat' | 'system'
  body: string
  /** What the message is for ('tip-thanks', a private thank-you's purpose names its viewer). */
  purpose?: string
}

/** What a failed send tells the outbox. */
export interface SendFailure {
  message: string
  /** False: sending the same message again cannot succeed. */
  retryable: boolean
}

export interface ChatOutboxDeps {
  messages: OutboxRepository
  now(): number
  /**
   * Delivers one message; throws on failure (an Error with `retryable`, default true). Resolves to a
   * note when it was delivered otherwise than asked (a private thank-you posted publicly, and why).
   */
  send(message: OutgoingMessage): Promise<string | null | void>
  log(): FastifyBaseLogger
  /** Attempts before a message is given up (default 10, about 17 minutes with the default backoff). */
  maxAttempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** A thank-you posted this late no longer makes sense (default 30 minutes). */
  expireAfterMs?: number
}

export interface NewOutgoingMessage extends OutgoingMessage {
  platform: PlatformName
  /** 'tip-thanks', 'tip-command', 'test'. */
  purpose: string
  /** Exactly one message per key: a tip emitted twice is thanked once. */
  dedupeKey: string
}

export interface ChatOutboxService {
  enqueue(message: NewOutgoingMessage): { inserted: boolean; message: OutboxMessageView }
  /** Sends what is due now, then sleeps until the next due message. */
  kick(): void
  start(): void
  stop(): Promise<void>
  list(limit: number): OutboxMessageView[]
  get(id: number): OutboxMessageView | null
  counts(): { pending: number; failed: number }
  lastFailure(): OutboxMessageView | null
  /** The latest message that was sent otherwise than asked, with the note why. */
  lastNote(): OutboxMessageView | null
  /** Puts a failed or pending message back in line for an immediate attempt. */
  retry(id: number): OutboxMessageView | null
  /** "Retry now": every waiting or given-up message is tried again at once; answers how many. */
  retryAll(): number
  /** The last error of a message still unsent, waiting or given up. */
  lastProblem(): OutboxMessageView | null
  /** When a message with this purpose was last queued (ms), for rate limits that survive restarts. */
  lastQueuedAt(purpose: string): number | null
}

/**
 * A durable outbox for chat messages (thank-yous, the `!tip` answer): queued in SQLite in the same turn
 * as the event that asks for them, sent in order by one worker, retried with exponential backoff, then
 * given up, logged and shown (admin API). Nothing that records a tip ever waits for Owncast.
 */
export function createChatOutboxService(deps: ChatOutboxDeps): ChatOutboxService {
  const maxAttempts = deps.maxAttempts ?? 10
  const baseDelay = deps.baseDelayMs ?? 2000
  const maxDelay = deps.maxDelayMs ?? 5 * 60_000
  const expireAfter = deps.expireAfterMs ?? 30 * 60_000
  const { messages } = deps

  let running: Promise<void> | null = null
  let timer: NodeJS.Timeout | undefined
  let started = false
  let stopped = false

  function scheduleNext(): void {
    if (!started || stopped) return
    if (timer) clearTimeout(timer)
    timer = undefined
    const next = messages.nextDueAt()
    if (next === null) return
    timer = setTimeout(
      () => {
        timer = undefined
        kick()
      },
      Math.max(0, next - deps.now()),
    )
    timer.unref()
  }

  async function sendDue(): Promise<void> {
    for (;;) {
      if (stopped) return
      const now = deps.now()
      const row = messages.nextDue(now)
      if (!row) return
      if (now - row.created_at > expireAfter) {
        const reason = `Not sent: still failing ${Math.round(expireAfter / 60_000)} minutes after it was queued (last error: ${row.last_error ?? 'none'}).`
        messages.markFailed(row.id, 0, reason, now)
        deps.log().error({ outboxId: row.id, purpose: row.purpose }, reason)
        continue
      }
      try {
        const note = await deps.send({ kind: row.kind, body: row.body, purpose: row.purpose })
        messages.markSent(row.id, deps.now(), note ?? null)
        if (note) deps.log().warn({ outboxId: row.id, purpose: row.purpose }, note)
      } catch (error) {
        const failure = error as Partial<SendFailure> & Error
        const message = failure.message || String(error)
        const attempts = row.attempts + 1
        const at = deps.now()
        if (failure.retryable === false || attempts >= maxAttempts) {
          messages.markFailed(row.id, 1, message, at)
          deps
            .log()
            .error(
              { outboxId: row.id, purpose: row.purpose, attempts },
              `chat message given up: ${message}`,
            )
        } else {
          const delay = Math.min(maxDelay, baseDelay * 2 ** (attempts - 1))
          messages.markRetry(row.id, at + delay, message, at)
          deps
            .log()
            .warn(
              { outboxId: row.id, purpose: row.purpose, attempts, retryInMs: delay },
              `chat message not sent yet: ${message}`,
            )
        }
      }
    }
  }

  function kick(): void {
    if (!started || stopped) return
    if (running) return
    running = sendDue()
      .catch((error: unknown) => deps.log().error({ err: error }, 'chat outbox failed'))
      .finally(() => {
        running = null
        scheduleNext()
      })
  }

  return {
    enqueue(message) {
      const inserted = messages.insert(
        {
          platform: message.platform,
          kind: message.kind,
          purpose: message.purpose,
          dedupeKey: message.dedupeKey,
          body: message.body,
        },
        deps.now(),
      )
      const row = messages.byKey(message.dedupeKey)
      if (!row) throw new Error(`outbox message ${message.dedupeKey} vanished`)
      if (inserted) queueMicrotask(kick)
      return { inserted, message: toOutboxView(row) }
    },
    kick,
    start() {
      started = true
      kick()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
    list(limit) {
      return messages.recent(limit).map(toOutboxView)
    },
    get(id) {
      const row = messages.byId(id)
      return row ? toOutboxView(row) : null
    },
    counts: () => messages.countUnsent(),
    lastFailure() {
      const row = messages.latestFailure()
      return row ? toOutboxView(row) : null
    },
    retryAll() {
      const count = messages.requeueUnsent(deps.now())
      if (count > 0) kick()
      return count
    },
    lastProblem() {
      const row = messages.latestProblem()
      return row ? toOutboxView(row) : null
    },
    lastNote() {
      const row = messages.latestSentWithNote()
      return row ? toOutboxView(row) : null
    },
    retry(id) {
      messages.requeue(id, deps.now())
      const row = messages.byId(id)
      if (!row) return null
      kick()
      return toOutboxView(row)
    },
    lastQueuedAt(purpose) {
      return messages.lastCreatedAt(purpose)
    },
  }
}
