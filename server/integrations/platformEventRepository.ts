import {
  NormalizedEventType,
  type NormalizedPlatformEvent,
  type PlatformEventView,
  type PlatformName,
} from '../contracts/integrations.js'
import type { SettingKey } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import { normalizeOspEvent, parseOspBody } from './osp/parse.js'
import { normalizeOwncastEvent } from './owncast/normalize.js'

export interface IncomingPlatformEvent {
  platform: PlatformName
  /** Deduplication key: the platform's event id (or a body hash); null = never deduplicated. */
  eventId: string | null
  sourceType: string
  normalized: NormalizedPlatformEvent
  /**
   * The body as text: the received bytes when they are UTF-8 already (bound as they are, no second
   * encoding pass), or the decoded text (OSP bodies in Latin-1). Either way the column holds UTF-8 text.
   */
  payload: string | Buffer
  receivedAt: number
  occurredAt: number | null
  /** The stream the event belongs to when that is already certain at arrival (else the processor's). */
  streamId: string | null
}

export interface StoreResult {
  /** False when the same event id was already stored (a duplicate delivery). */
  inserted: boolean
  rowId: number | null
}

/** A stored event handed to the processor. */
export interface PendingEvent {
  rowId: number
  platform: PlatformName
  normalized: NormalizedPlatformEvent
  receivedAt: number
  occurredAt: number | null
  /** What was stored in stream_id at arrival. */
  streamId: string | null
  /** True when picked up again after a restart rather than straight from a request. */
  recovered: boolean
}

/**
 * The `platform_events` table: every accepted webhook body exactly as received, written in group
 * commits, and the watermark of what has been processed.
 */
export interface PlatformEventRepository {
  /**
   * Stores the raw event durably. Calls made in the same event-loop turn share one transaction (group
   * commit); each promise settles once that transaction has committed.
   */
  store(event: IncomingPlatformEvent): Promise<StoreResult>
  /** Stored events after the processed watermark (after a crash or restart), oldest first. */
  unprocessed(limit: number, afterId?: number): PendingEvent[]
  /**
   * Records processing: stream attributions that differ from what was stored, and the watermark (every
   * event up to this id is processed). Call inside the processing transaction.
   */
  markProcessed(streamIds: { rowId: number; streamId: string | null }[], throughId: number): void
  processedThrough(): number
  lastEvent(platform: PlatformName): PlatformEventView | null
  list(options: { platform?: PlatformName; limit: number; beforeId?: number }): PlatformEventView[]
  countByEventId(platform: PlatformName, eventId: string): number
  /** Waits for writes queued so far (shutdown). */
  flush(): Promise<void>
  /** Write transactions and events written since start (group commit efficiency, for the bench). */
  stats(): { batches: number; events: number }
}

interface Queued {
  event: IncomingPlatformEvent
  resolve(result: StoreResult): void
  reject(error: unknown): void
}

interface EventRow {
  id: number
  platform: PlatformName
  type: string
  normalized_type: string | null
  stream_id: string | null
  payload: string
  received_at: number
  occurred_at: number | null
}

/**
 * The normalized event of a stored row. Rows keep the raw body only (half the bytes to write per
 * event); normalizing again is pure and cheap, and always uses the current normalizer.
 */
export function normalizeStored(
  platform: string,
  type: string,
  payload: string,
): NormalizedPlatformEvent | null {
  try {
    if (platform === 'owncast') return normalizeOwncastEvent(JSON.parse(payload))
    if (platform === 'osp') return normalizeOspEvent(parseOspBody(Buffer.from(payload), type))
  } catch {
    // A row this version cannot read (written by hand or by another build): shown without details.
  }
  return null
}

export interface PlatformEventRepositoryOptions {
  /** Called after each committed batch with the newly inserted events. */
  onStored?(events: PendingEvent[]): void
  /**
   * Runs inside each write batch's transaction, before the inserts (the processor catches up on earlier
   * events there: one commit instead of two). The returned function runs after the commit.
   */
  inTransaction?(): (() => void) | undefined
}

const WATERMARK_KEY = 'platformEvents.processedThrough' satisfies SettingKey
/** A write batch started less than this long after the previous one means a flood of webhooks. */
const BUSY_WINDOW_MS = 2

const KNOWN_TYPES: ReadonlySet<string> = new Set(
  NormalizedEventType.anyOf.map((type) => type.const),
)

/** A stored type this version knows, else 'unknown' (a row written by another build). */
function knownType(type: string | null): NormalizedEventType {
  return type !== null && KNOWN_TYPES.has(type) ? (type as NormalizedEventType) : 'unknown'
}

export function createPlatformEventRepository(
  db: Db,
  settings: SettingsStore,
  options: PlatformEventRepositoryOptions = {},
): PlatformEventRepository {
  const insert = db.prepare(`INSERT OR IGNORE INTO platform_events
    (platform, event_id, type, normalized_type, stream_id, payload, received_at, occurred_at)
    VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?)`)
  const setStream = db.prepare('UPDATE platform_events SET stream_id = ? WHERE id = ?')
  const columns =
    'id, platform, type, normalized_type, stream_id, payload, received_at, occurred_at'
  const selectAfter = db.prepare(
    `SELECT ${columns} FROM platform_events WHERE id > ? ORDER BY id LIMIT ?`,
  )
  const selectLast = db.prepare(
    `SELECT ${columns} FROM platform_events WHERE platform = ? ORDER BY id DESC LIMIT 1`,
  )
  const selectList = db.prepare(`SELECT ${columns} FROM platform_events
    WHERE (@platform IS NULL OR platform = @platform) AND (@beforeId IS NULL OR id < @beforeId)
    ORDER BY id DESC LIMIT @limit`)
  const countById = db.prepare(
    'SELECT COUNT(*) AS n FROM platform_events WHERE platform = ? AND event_id = ?',
  )

  let watermark = settings.get(WATERMARK_KEY)

  function toView(row: EventRow): PlatformEventView {
    const normalized = normalizeStored(row.platform, row.type, row.payload)
    return {
      id: row.id,
      platform: row.platform,
      type: knownType(row.normalized_type),
      sourceType: row.type,
      eventId: normalized?.eventId ?? null,
      streamId: row.stream_id,
      receivedAt: new Date(row.received_at).toISOString(),
      occurredAt: row.occurred_at === null ? null : new Date(row.occurred_at).toISOString(),
      processed: row.id <= watermark,
      normalized,
    }
  }

  let queue: Queued[] = []
  let scheduled = false
  let idle: Promise<void> = Promise.resolve()
  let settleIdle: (() => void) | undefined

  const writeBatch = db.transaction((batch: Queued[]) => {
    let afterCommit: (() => void) | undefined
    try {
      afterCommit = options.inTransaction?.()
    } catch {
      // Storing the raw events must never fail because of what comes after them.
      afterCommit = undefined
    }
    const results: StoreResult[] = []
    for (const { event } of batch) {
      const info = insert.run(
        event.platform,
        event.eventId,
        event.sourceType,
        event.normalized.type,
        event.streamId,
        event.payload,
        event.receivedAt,
        event.occurredAt,
      )
      results.push(
        info.changes === 1
          ? { inserted: true, rowId: Number(info.lastInsertRowid) }
          : { inserted: false, rowId: null },
      )
    }
    return { results, afterCommit }
  })

  const counters = { batches: 0, events: 0 }

  let lastFlushAt = -Infinity

  function flushQueue(): void {
    scheduled = false
    lastFlushAt = performance.now()
    const batch = queue
    queue = []
    counters.batches += 1
    counters.events += batch.length
    let results: StoreResult[]
    let afterCommit: (() => void) | undefined
    try {
      ;({ results, afterCommit } = writeBatch(batch))
    } catch (error) {
      for (const item of batch) item.reject(error)
      settleIdle?.()
      return
    }
    const stored: PendingEvent[] = []
    batch.forEach((item, index) => {
      const result = results[index] as StoreResult
      if (result.inserted && result.rowId !== null) {
        stored.push({
          rowId: result.rowId,
          platform: item.event.platform,
          normalized: item.event.normalized,
          receivedAt: item.event.receivedAt,
          occurredAt: item.event.occurredAt,
          streamId: item.event.streamId,
          recovered: false,
        })
      }
      item.resolve(result)
    })
    settleIdle?.()
    afterCommit?.()
    if (stored.length > 0) options.onStored?.(stored)
  }

  return {
    store(event) {
      return new Promise<StoreResult>((resolve, reject) => {
        queue.push({ event, resolve, reject })
        if (!scheduled) {
          scheduled = true
          idle = new Promise<void>((done) => {
            settleIdle = done
          })
          // Everything that arrives before the loop's check phase joins this transaction. Under a flood
          // (the last commit was a moment ago) wait a millisecond more: a commit costs as much as tens of
          // rows, so bigger batches keep up with more traffic for at most 1 ms of extra latency.
          if (performance.now() - lastFlushAt < BUSY_WINDOW_MS) setTimeout(flushQueue, 1)
          else setImmediate(flushQueue)
        }
      })
    },
    unprocessed(limit, afterId = 0) {
      const rows = selectAfter.all(Math.max(afterId, watermark), limit) as EventRow[]
      const pending: PendingEvent[] = []
      for (const row of rows) {
        const normalized = normalizeStored(row.platform, row.type, row.payload)
        if (!normalized) continue
        pending.push({
          rowId: row.id,
          platform: row.platform,
          normalized,
          receivedAt: row.received_at,
          occurredAt: row.occurred_at,
          streamId: row.stream_id,
          recovered: true,
        })
      }
      // Unreadable rows are skipped for good: move past them even if nothing else was readable.
      if (pending.length === 0 && rows.length > 0) {
        const last = rows[rows.length - 1] as EventRow
        watermark = Math.max(watermark, last.id)
        settings.set(WATERMARK_KEY, watermark)
      }
      return pending
    },
    markProcessed(streamIds, throughId) {
      for (const row of streamIds) setStream.run(row.streamId, row.rowId)
      if (throughId > watermark) {
        watermark = throughId
        settings.set(WATERMARK_KEY, watermark)
      }
    },
    processedThrough: () => watermark,
    lastEvent(platform) {
      const row = selectLast.get(platform) as EventRow | undefined
      return row ? toView(row) : null
    },
    list({ platform, limit, beforeId }) {
      const rows = selectList.all({
        platform: platform ?? null,
        beforeId: beforeId ?? null,
        limit,
      }) as EventRow[]
      return rows.map(toView)
    },
    countByEventId(platform, eventId) {
      return (countById.get(platform, eventId) as { n: number }).n
    },
    flush() {
      return scheduled ? idle : Promise.resolve()
    },
    stats: () => ({ ...counters }),
  }
}
