import type { FastifyBaseLogger } from 'fastify'
import type { OutboxMessageView, PlatformName } from '../../contracts/integrations.js'
import type { Db } from '../../storage/db.js'

export interface OutgoingMessage {
  kind: 'chat' | 'system'
  body: string
}

/** What a failed send tells the outbox. */
export interface SendFailure {
  message: string
  /** False: sending the same message again cannot succeed. */
  retryable: boolean
}

export interface ChatOutboxDeps {
  db: Db
  now(): number
  /** Delivers one message; throws on failure (an Error with `retryable`, default true). */
  send(message: OutgoingMessage): Promise<void>
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

export interface ChatOutbox {
  enqueue(message: NewOutgoingMessage): { inserted: boolean; message: OutboxMessageView }
  /** Sends what is due now, then sleeps until the next due message. */
  kick(): void
  start(): void
  stop(): Promise<void>
  list(limit: number): OutboxMessageView[]
  get(id: number): OutboxMessageView | null
  counts(): { pending: number; failed: number }
  lastFailure(): OutboxMessageView | null
  /** Puts a failed or pending message back in line for an immediate attempt. */
  retry(id: number): OutboxMessageView | null
  /** When a message with this purpose was last queued (ms), for rate limits that survive restarts. */
  lastQueuedAt(purpose: string): number | null
}

interface OutboxRow {
  id: number
  platform: PlatformName
  kind: 'chat' | 'system'
  purpose: string
  body: string
  state: 'pending' | 'sent' | 'failed'
  attempts: number
  next_attempt_at: number
  last_error: string | null
  created_at: number
  sent_at: number | null
}

function toView(row: OutboxRow): OutboxMessageView {
  return {
    id: row.id,
    platform: row.platform,
    kind: row.kind,
    purpose: row.purpose,
    body: row.body,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at).toISOString(),
  }
}

/**
 * A durable outbox for chat messages (thank-yous, the `!tip` answer): queued in SQLite in the same turn
 * as the event that asks for them, sent in order by one worker, retried with exponential backoff, then
 * given up, logged and shown (admin API). Nothing that records a tip ever waits for Owncast.
 */
export function createChatOutbox(deps: ChatOutboxDeps): ChatOutbox {
  const maxAttempts = deps.maxAttempts ?? 10
  const baseDelay = deps.baseDelayMs ?? 2000
  const maxDelay = deps.maxDelayMs ?? 5 * 60_000
  const expireAfter = deps.expireAfterMs ?? 30 * 60_000
  const { db } = deps
  const columns = `id, platform, kind, purpose, body, state, attempts, next_attempt_at, last_error,
    created_at, sent_at`
  const insert = db.prepare(`INSERT INTO integration_outbox
    (platform, kind, purpose, dedupe_key, body, state, attempts, next_attempt_at, created_at, updated_at)
    VALUES (@platform, @kind, @purpose, @dedupeKey, @body, 'pending', 0, @now, @now, @now)
    ON CONFLICT (dedupe_key) DO NOTHING`)
  const byKey = db.prepare(`SELECT ${columns} FROM integration_outbox WHERE dedupe_key = ?`)
  const byId = db.prepare(`SELECT ${columns} FROM integration_outbox WHERE id = ?`)
  const nextDue = db.prepare(`SELECT ${columns} FROM integration_outbox
    WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1`)
  const nextTime = db.prepare(
    `SELECT min(next_attempt_at) AS at FROM integration_outbox WHERE state = 'pending'`,
  )
  const markSent = db.prepare(`UPDATE integration_outbox
    SET state = 'sent', attempts = attempts + 1, sent_at = ?, updated_at = ?, last_error = NULL WHERE id = ?`)
  const markRetry = db.prepare(`UPDATE integration_outbox
    SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`)
  const markFailed = db.prepare(`UPDATE integration_outbox
    SET state = 'failed', attempts = attempts + ?, last_error = ?, updated_at = ? WHERE id = ?`)
  const requeue = db.prepare(`UPDATE integration_outbox
    SET state = 'pending', next_attempt_at = @now, attempts = 0, created_at = @now, updated_at = @now
    WHERE id = @id AND state != 'sent'`)
  const recent = db.prepare(`SELECT ${columns} FROM integration_outbox ORDER BY id DESC LIMIT ?`)
  const countStates = db.prepare(
    `SELECT state, COUNT(*) AS n FROM integration_outbox WHERE state != 'sent' GROUP BY state`,
  )
  const latestFailure = db.prepare(`SELECT ${columns} FROM integration_outbox
    WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT 1`)
  const lastOfPurpose = db.prepare(
    'SELECT max(created_at) AS at FROM integration_outbox WHERE purpose = ?',
  )

  let running: Promise<void> | null = null
  let timer: NodeJS.Timeout | undefined
  let started = false
  let stopped = false

  function scheduleNext(): void {
    if (!started || stopped) return
    if (timer) clearTimeout(timer)
    timer = undefined
    const next = (nextTime.get() as { at: number | null }).at
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
      const row = nextDue.get(now) as OutboxRow | undefined
      if (!row) return
      if (now - row.created_at > expireAfter) {
        const reason = `Not sent: still failing ${Math.round(expireAfter / 60_000)} minutes after it was queued (last error: ${row.last_error ?? 'none'}).`
        markFailed.run(0, reason, now, row.id)
        deps.log().error({ outboxId: row.id, purpose: row.purpose }, reason)
        continue
      }
      try {
        await deps.send({ kind: row.kind, body: row.body })
        markSent.run(deps.now(), deps.now(), row.id)
      } catch (error) {
        const failure = error as Partial<SendFailure> & Error
        const message = failure.message || String(error)
        const attempts = row.attempts + 1
        const at = deps.now()
        if (failure.retryable === false || attempts >= maxAttempts) {
          markFailed.run(1, message, at, row.id)
          deps
            .log()
            .error(
              { outboxId: row.id, purpose: row.purpose, attempts },
              `chat message given up: ${message}`,
            )
        } else {
          const delay = Math.min(maxDelay, baseDelay * 2 ** (attempts - 1))
          markRetry.run(at + delay, message, at, row.id)
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
      const now = deps.now()
      const result = insert.run({
        platform: message.platform,
        kind: message.kind,
        purpose: message.purpose,
        dedupeKey: message.dedupeKey,
        body: message.body,
        now,
      })
      const row = byKey.get(message.dedupeKey) as OutboxRow
      if (result.changes === 1) queueMicrotask(kick)
      return { inserted: result.changes === 1, message: toView(row) }
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
      return (recent.all(limit) as OutboxRow[]).map(toView)
    },
    get(id) {
      const row = byId.get(id) as OutboxRow | undefined
      return row ? toView(row) : null
    },
    counts() {
      const counts = { pending: 0, failed: 0 }
      for (const row of countStates.all() as { state: 'pending' | 'failed'; n: number }[])
        counts[row.state] = row.n
      return counts
    },
    lastFailure() {
      const row = latestFailure.get() as OutboxRow | undefined
      return row ? toView(row) : null
    },
    retry(id) {
      const now = deps.now()
      requeue.run({ now, id })
      const row = byId.get(id) as OutboxRow | undefined
      if (!row) return null
      kick()
      return toView(row)
    },
    lastQueuedAt(purpose) {
      return (lastOfPurpose.get(purpose) as { at: number | null }).at
    },
  }
}
