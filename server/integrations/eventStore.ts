import type {
  NormalizedPlatformEvent,
  PlatformEventView,
  PlatformName,
} from '../contracts/integrations.js'
import type { Db } from '../storage/db.js'

export interface IncomingPlatformEvent {
  platform: PlatformName
  /** Deduplication key: the platform's event id (or a body hash); null = never deduplicated. */
  eventId: string | null
  sourceType: string
  normalized: NormalizedPlatformEvent
  /** The body exactly as received (decoded text). */
  payload: string
  receivedAt: number
  occurredAt: number | null
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
  /** True when picked up again after a restart rather than straight from a request. */
  recovered: boolean
}

export interface PlatformEventStore {
  /**
   * Stores the raw event durably. Calls made in the same event-loop turn share one transaction (group
   * commit); each promise settles once that transaction has committed.
   */
  store(event: IncomingPlatformEvent): Promise<StoreResult>
  /** Stored events not processed yet (after a crash or restart), oldest first. */
  unprocessed(limit: number, afterId?: number): PendingEvent[]
  markProcessed(rows: { rowId: number; streamId: string | null }[], at: number): void
  lastEvent(platform: PlatformName): PlatformEventView | null
  list(options: { platform?: PlatformName; limit: number; beforeId?: number }): PlatformEventView[]
  countByEventId(platform: PlatformName, eventId: string): number
  /** Waits for writes queued so far (shutdown). */
  flush(): Promise<void>
}

interface Queued {
  event: IncomingPlatformEvent
  resolve(result: StoreResult): void
  reject(error: unknown): void
}

interface EventRow {
  id: number
  platform: PlatformName
  event_id: string | null
  type: string
  normalized_type: string | null
  stream_id: string | null
  normalized: string | null
  received_at: number
  occurred_at: number | null
  processed_at: number | null
}

function toView(row: EventRow): PlatformEventView {
  const normalized = row.normalized ? (JSON.parse(row.normalized) as NormalizedPlatformEvent) : null
  return {
    id: row.id,
    platform: row.platform,
    type: (row.normalized_type ?? 'unknown') as PlatformEventView['type'],
    sourceType: row.type,
    eventId: normalized?.eventId ?? null,
    streamId: row.stream_id,
    receivedAt: new Date(row.received_at).toISOString(),
    occurredAt: row.occurred_at === null ? null : new Date(row.occurred_at).toISOString(),
    processed: row.processed_at !== null,
    normalized,
  }
}

export interface PlatformEventStoreOptions {
  /** Called after each committed batch with the newly inserted events. */
  onStored?(events: PendingEvent[]): void
}

export function createPlatformEventStore(
  db: Db,
  options: PlatformEventStoreOptions = {},
): PlatformEventStore {
  const insert = db.prepare(`INSERT OR IGNORE INTO platform_events
    (platform, event_id, type, normalized_type, payload, normalized, received_at, occurred_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const markOne = db.prepare(
    'UPDATE platform_events SET stream_id = ?, processed_at = ? WHERE id = ? AND processed_at IS NULL',
  )
  const selectUnprocessed = db.prepare(`SELECT id, platform, normalized, received_at, occurred_at
    FROM platform_events WHERE processed_at IS NULL AND id > ? ORDER BY id LIMIT ?`)
  const columns = `id, platform, event_id, type, normalized_type, stream_id, normalized, received_at,
    occurred_at, processed_at`
  const selectLast = db.prepare(
    `SELECT ${columns} FROM platform_events WHERE platform = ? ORDER BY id DESC LIMIT 1`,
  )
  const selectList = db.prepare(`SELECT ${columns} FROM platform_events
    WHERE (@platform IS NULL OR platform = @platform) AND (@beforeId IS NULL OR id < @beforeId)
    ORDER BY id DESC LIMIT @limit`)
  const countById = db.prepare(
    'SELECT COUNT(*) AS n FROM platform_events WHERE platform = ? AND event_id = ?',
  )

  let queue: Queued[] = []
  let scheduled = false
  let idle: Promise<void> = Promise.resolve()
  let settleIdle: (() => void) | undefined

  const writeBatch = db.transaction((batch: Queued[]) => {
    const results: StoreResult[] = []
    for (const { event } of batch) {
      const info = insert.run(
        event.platform,
        event.eventId,
        event.sourceType,
        event.normalized.type,
        event.payload,
        JSON.stringify(event.normalized),
        event.receivedAt,
        event.occurredAt,
      )
      results.push(
        info.changes === 1
          ? { inserted: true, rowId: Number(info.lastInsertRowid) }
          : { inserted: false, rowId: null },
      )
    }
    return results
  })

  function flushQueue(): void {
    scheduled = false
    const batch = queue
    queue = []
    let results: StoreResult[]
    try {
      results = writeBatch(batch)
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
          recovered: false,
        })
      }
      item.resolve(result)
    })
    settleIdle?.()
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
          // Everything that arrives before the loop's check phase joins this transaction.
          setImmediate(flushQueue)
        }
      })
    },
    unprocessed(limit, afterId = 0) {
      const rows = selectUnprocessed.all(afterId, limit) as {
        id: number
        platform: PlatformName
        normalized: string | null
        received_at: number
        occurred_at: number | null
      }[]
      const pending: PendingEvent[] = []
      for (const row of rows) {
        if (!row.normalized) {
          // Nothing to act on (not written by this feature): never pick it up again.
          markOne.run(null, Date.now(), row.id)
          continue
        }
        pending.push({
          rowId: row.id,
          platform: row.platform,
          normalized: JSON.parse(row.normalized) as NormalizedPlatformEvent,
          receivedAt: row.received_at,
          occurredAt: row.occurred_at,
          recovered: true,
        })
      }
      return pending
    },
    markProcessed(rows, at) {
      for (const row of rows) markOne.run(row.streamId, at, row.rowId)
    },
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
  }
}
