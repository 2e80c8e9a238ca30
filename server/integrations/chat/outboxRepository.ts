import type { OutboxMessageView, PlatformName } from '../../contracts/integrations.js'
import type { Db } from '../../storage/db.js'

export interface OutboxRow {
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

export interface NewOutboxRow {
  platform: PlatformName
  kind: 'chat' | 'system'
  purpose: string
  dedupeKey: string
  body: string
}

export function toOutboxView(row: OutboxRow): OutboxMessageView {
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

/** The SQL of `integration_outbox`: one row per chat message, unique by its dedupe key. */
export interface OutboxRepository {
  /** Inserts a pending message unless its dedupe key exists; true when inserted. */
  insert(message: NewOutboxRow, now: number): boolean
  byKey(dedupeKey: string): OutboxRow | undefined
  byId(id: number): OutboxRow | undefined
  /** The oldest pending message due at `now`. */
  nextDue(now: number): OutboxRow | undefined
  /** When the next pending message is due, or null when none is pending. */
  nextDueAt(): number | null
  /** `note` says why it went otherwise than asked (kept in last_error), null for a plain success. */
  markSent(id: number, at: number, note: string | null): void
  markRetry(id: number, nextAttemptAt: number, error: string, at: number): void
  /** `attempt` is 1 when this failure was an attempt, 0 when the message was given up unsent. */
  markFailed(id: number, attempt: 0 | 1, error: string, at: number): void
  /** Puts a message that was not sent back in line at `now`, attempts reset. */
  requeue(id: number, now: number): void
  /** Every unsent message due now, with a fresh count of attempts; answers how many. */
  requeueUnsent(now: number): number
  recent(limit: number): OutboxRow[]
  countUnsent(): { pending: number; failed: number }
  latestFailure(): OutboxRow | undefined
  /** The unsent message (waiting or given up) that failed last: why chat messages are not arriving. */
  latestProblem(): OutboxRow | undefined
  latestSentWithNote(): OutboxRow | undefined
  lastCreatedAt(purpose: string): number | null
}

export function createOutboxRepository(db: Db): OutboxRepository {
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
    SET state = 'sent', attempts = attempts + 1, sent_at = ?, updated_at = ?, last_error = ? WHERE id = ?`)
  const markRetry = db.prepare(`UPDATE integration_outbox
    SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`)
  const markFailed = db.prepare(`UPDATE integration_outbox
    SET state = 'failed', attempts = attempts + ?, last_error = ?, updated_at = ? WHERE id = ?`)
  const requeue = db.prepare(`UPDATE integration_outbox
    SET state = 'pending', next_attempt_at = @now, attempts = 0, created_at = @now, updated_at = @now
    WHERE id = @id AND state != 'sent'`)
  const requeueUnsent = db.prepare(`UPDATE integration_outbox
    SET state = 'pending', next_attempt_at = @now, attempts = 0, updated_at = @now
    WHERE state != 'sent'`)
  const latestProblem = db.prepare(`SELECT ${columns} FROM integration_outbox
    WHERE state != 'sent' AND last_error IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT 1`)
  const recent = db.prepare(`SELECT ${columns} FROM integration_outbox ORDER BY id DESC LIMIT ?`)
  const countStates = db.prepare(
    `SELECT state, COUNT(*) AS n FROM integration_outbox WHERE state != 'sent' GROUP BY state`,
  )
  const latestFailure = db.prepare(`SELECT ${columns} FROM integration_outbox
    WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT 1`)
  const latestNote = db.prepare(`SELECT ${columns} FROM integration_outbox
    WHERE state = 'sent' AND last_error IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1`)
  const lastOfPurpose = db.prepare(
    'SELECT max(created_at) AS at FROM integration_outbox WHERE purpose = ?',
  )

  return {
    insert: (message, now) => insert.run({ ...message, now }).changes === 1,
    byKey: (dedupeKey) => byKey.get(dedupeKey) as OutboxRow | undefined,
    byId: (id) => byId.get(id) as OutboxRow | undefined,
    nextDue: (now) => nextDue.get(now) as OutboxRow | undefined,
    nextDueAt: () => (nextTime.get() as { at: number | null }).at,
    markSent: (id, at, note) => void markSent.run(at, at, note, id),
    markRetry: (id, nextAttemptAt, error, at) => void markRetry.run(nextAttemptAt, error, at, id),
    markFailed: (id, attempt, error, at) => void markFailed.run(attempt, error, at, id),
    requeue: (id, now) => void requeue.run({ now, id }),
    requeueUnsent: (now) => requeueUnsent.run({ now }).changes,
    recent: (limit) => recent.all(limit) as OutboxRow[],
    countUnsent() {
      const counts = { pending: 0, failed: 0 }
      for (const row of countStates.all() as { state: 'pending' | 'failed'; n: number }[])
        counts[row.state] = row.n
      return counts
    },
    latestFailure: () => latestFailure.get() as OutboxRow | undefined,
    latestProblem: () => latestProblem.get() as OutboxRow | undefined,
    latestSentWithNote: () => latestNote.get() as OutboxRow | undefined,
    lastCreatedAt: (purpose) => (lastOfPurpose.get(purpose) as { at: number | null }).at,
  }
}
