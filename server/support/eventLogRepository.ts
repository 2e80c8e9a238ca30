import type { SupportEventView, SupportKind } from '../contracts/common.js'
import { makeAmount } from '../contracts/money.js'
import type { Amount } from '../contracts/common.js'
import type { Db } from '../storage/db.js'
import { supporterIdSql } from './supporters.js'
import { toSupportEventView, type SupportEventRow } from './supportRepository.js'

export interface EventLogFilter {
  includeTest?: boolean
  kind?: SupportKind
  streamId?: string
  /** Epoch ms, inclusive. */
  from?: number | null
  /** Epoch ms, exclusive. */
  to?: number | null
  /** Part of the supporter's name, matched literally (no wildcards). */
  q?: string
}

/** An event of the ticker: its own name (null without one) and whose it is (supporters.ts). */
export interface RecentSupport {
  supporterId: string | null
  name: string | null
  amount: Amount
}

/**
 * Reads of the events themselves, one by one: the Events page (newest first, in pages), its export
 * (oldest first), the ticker (latest real support), and whether a support event is the largest of its
 * stream so far (the alert variant "largest this stream").
 */
export interface EventLogRepository {
  /** Newest first, older than `before` (an event id) when given; `more` says a next page exists. */
  page(
    filter: EventLogFilter,
    options: { before?: number; limit: number },
  ): { events: SupportEventView[]; more: boolean }
  /**
   * Every matching event, oldest first, read in pages of 1000: an open better-sqlite3 iterator would
   * keep the connection busy while a response streams, and every other request would fail.
   */
  all(filter: EventLogFilter): Generator<SupportEventView>
  recent(limit: number): RecentSupport[]
  /**
   * The event beats every earlier real one of its stream in its currency; without a stream, "this
   * stream" is the 12 hours before it.
   */
  isLargestThisStream(event: SupportEventView): boolean
}

const COLUMNS = `id, kind, amount_value, asset_code, asset_scale, supporter_name, message, tier_id,
  stream_id, is_test, occurred_at`

/** Escapes LIKE wildcards so a search for "50%" finds "50%" literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function where(filter: EventLogFilter): { clauses: string[]; params: Record<string, unknown> } {
  const clauses: string[] = []
  const params: Record<string, unknown> = {}
  if (!filter.includeTest) clauses.push('is_test = 0')
  if (filter.kind) {
    clauses.push('kind = @kind')
    params.kind = filter.kind
  }
  if (filter.streamId) {
    clauses.push('stream_id = @stream')
    params.stream = filter.streamId
  }
  if (filter.from !== undefined && filter.from !== null) {
    clauses.push('occurred_at >= @from')
    params.from = filter.from
  }
  if (filter.to !== undefined && filter.to !== null) {
    clauses.push('occurred_at < @to')
    params.to = filter.to
  }
  const q = filter.q?.trim()
  if (q) {
    clauses.push(`supporter_name LIKE @q ESCAPE '\\'`)
    params.q = likePattern(q)
  }
  return { clauses, params }
}

const sqlWhere = (clauses: string[]) => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : '')

export function createEventLogRepository(db: Db): EventLogRepository {
  const recent = db
    .prepare(
      `SELECT ${supporterIdSql()} AS supporter_id, supporter_name AS name, amount_value AS value,
         asset_code AS code, asset_scale AS scale
       FROM support_events WHERE is_test = 0 ORDER BY occurred_at DESC, id DESC LIMIT ?`,
    )
    .safeIntegers(true)
  const largestBefore = db
    .prepare(
      `SELECT MAX(amount_value) AS max FROM support_events
       WHERE is_test = 0 AND asset_code = ? AND id < ? AND stream_id IS ?
         AND (stream_id IS NOT NULL OR occurred_at >= ?)`,
    )
    .safeIntegers(true)

  return {
    page(filter, { before, limit }) {
      const { clauses, params } = where(filter)
      if (before !== undefined) {
        clauses.push('id < @before')
        params.before = before
      }
      const rows = db
        .prepare(
          `SELECT ${COLUMNS} FROM support_events ${sqlWhere(clauses)} ORDER BY id DESC LIMIT @limit`,
        )
        .safeIntegers(true)
        .all({ ...params, limit: limit + 1 }) as SupportEventRow[]
      return {
        events: rows.slice(0, limit).map(toSupportEventView),
        more: rows.length > limit,
      }
    },
    all(filter) {
      const { clauses, params } = where(filter)
      clauses.push('(occurred_at > @afterT OR (occurred_at = @afterT AND id > @afterId))')
      const statement = db
        .prepare(
          `SELECT ${COLUMNS} FROM support_events ${sqlWhere(clauses)} ORDER BY occurred_at, id LIMIT 1000`,
        )
        .safeIntegers(true)
      return (function* () {
        let afterT: bigint = -(2n ** 62n)
        let afterId = 0n
        for (;;) {
          const rows = statement.all({ ...params, afterT, afterId }) as SupportEventRow[]
          for (const row of rows) yield toSupportEventView(row)
          const last = rows[rows.length - 1]
          if (!last || rows.length < 1000) return
          afterT = BigInt(last.occurred_at)
          afterId = BigInt(last.id)
        }
      })()
    },
    recent(limit) {
      const rows = recent.all(limit) as {
        supporter_id: string | null
        name: string | null
        value: bigint
        code: string
        scale: bigint
      }[]
      return rows.map((row) => ({
        supporterId: row.supporter_id,
        name: row.name,
        amount: makeAmount(row.value, row.code, Number(row.scale)),
      }))
    },
    isLargestThisStream(event) {
      if (event.isTest) return false
      const row = largestBefore.get(
        event.amount.assetCode,
        event.id,
        event.streamId,
        Date.parse(event.occurredAt) - 12 * 60 * 60 * 1000,
      ) as { max: bigint | null }
      return row.max !== null && BigInt(event.amount.value) > row.max
    },
  }
}
