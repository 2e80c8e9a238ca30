import type { Asset, SupportKind } from '../contracts/common.js'
import type { Db } from '../storage/db.js'

export const HOUR_MS = 3_600_000

export interface KindTotal {
  kind: SupportKind
  total: bigint
  count: number
}

export interface BucketTotal extends KindTotal {
  /** A time inside the bucket (its start for whole hours, the event's time inside a partial hour). */
  at: number
}

export interface StreamTotal {
  streamId: string
  platform: string | null
  title: string | null
  startedAt: number | null
  endedAt: number | null
  total: bigint
  count: number
}

export interface TotalsQuery {
  asset: Asset
  /** One stream, or null for all streams together. */
  streamId: string | null
  /** Counted from here (inclusive), or null for all time. */
  from: number | null
}

/**
 * Totals by window and stream: what the dashboard's figures and goals read. Whole hours come from the
 * hourly rollup (support_hourly), the partial first hour of a window from the events themselves (an
 * indexed range of at most an hour), so any window costs a few hundred rollup rows at most.
 */
export interface SupportTotals {
  /** Real support per kind from `from` on (future-dated events included, as they are in the rollup). */
  byKind(query: TotalsQuery): KindTotal[]
  /**
   * The same in time buckets of `size` ms whose edges are `offset` ms past a multiple of `size` (a
   * daily bucket starting at the streamer's midnight); rollup rows come pre-bucketed.
   */
  buckets(query: TotalsQuery & { size: number; offset: number }): BucketTotal[]
  /** Supporters (supporters.ts) with real support from `from` on, in the asset. */
  uniqueSupporters(query: TotalsQuery): number
  /** Every stream (newest first) with what it raised in the asset; streams without support too. */
  streams(asset: Asset, limit: number): StreamTotal[]
  /** Real support in [from, to) in the asset, all streams: a goal's progress. */
  raised(asset: Asset, from: number, to: number): { total: bigint; count: number }
}

type Big = bigint
interface KindRow {
  kind: SupportKind
  total: Big | null
  n: Big
}

const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS

export function createTotalsRepository(db: Db): SupportTotals {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true)
  const rollupByKind = prepare(
    `SELECT kind, SUM(total_value) AS total, SUM(event_count) AS n FROM support_hourly
     WHERE asset_code = @code AND asset_scale = @scale AND stream_key = @stream AND hour_start >= @from
     GROUP BY kind`,
  )
  const allTimeByKind = prepare(
    `SELECT kind, SUM(total_value) AS total, SUM(event_count) AS n FROM support_totals
     WHERE asset_code = @code AND asset_scale = @scale AND stream_key = @stream GROUP BY kind`,
  )
  const rawByKind = (stream: boolean) =>
    prepare(
      `SELECT kind, SUM(amount_value) AS total, COUNT(*) AS n FROM support_events
       WHERE is_test = 0 AND occurred_at >= @from AND occurred_at < @until
         AND asset_code = @code AND asset_scale = @scale ${stream ? 'AND stream_id = @stream' : ''}
       GROUP BY kind`,
    )
  // Bucketing happens in SQL, so a 30-day daily series reads ~90 grouped rows, not thousands.
  const rollupBuckets = prepare(
    `SELECT ((hour_start - @offset) / @size) * @size + @offset AS t, kind,
       SUM(total_value) AS total, SUM(event_count) AS n
     FROM support_hourly WHERE asset_code = @code AND asset_scale = @scale AND hour_start >= @from
     AND stream_key = @stream GROUP BY 1, kind`,
  )
  const rawBuckets = (stream: boolean) =>
    prepare(
      `SELECT occurred_at AS t, kind, amount_value AS total, 1 AS n FROM support_events
       WHERE is_test = 0 AND occurred_at >= @from AND occurred_at < @until
         AND asset_code = @code AND asset_scale = @scale ${stream ? 'AND stream_id = @stream' : ''}`,
    )
  const statements = {
    rawByKind: [rawByKind(false), rawByKind(true)],
    rawBuckets: [rawBuckets(false), rawBuckets(true)],
    uniqueAll: db.prepare(
      `SELECT COUNT(*) AS n FROM supporter_totals
       WHERE asset_code = @code AND asset_scale = @scale AND last_at >= @from`,
    ),
    uniqueStream: db.prepare(
      `SELECT COUNT(*) AS n FROM supporter_stream_totals
       WHERE stream_id = @stream AND asset_code = @code AND asset_scale = @scale AND last_at >= @from`,
    ),
    streams: prepare(
      `SELECT h.stream_key AS streamId, s.platform, s.title, s.started_at AS startedAt,
         s.ended_at AS endedAt, SUM(h.total_value) AS total, SUM(h.event_count) AS n
       FROM support_totals h LEFT JOIN streams s ON s.id = h.stream_key
       WHERE h.asset_code = @code AND h.asset_scale = @scale AND h.stream_key <> '*'
       GROUP BY h.stream_key
       UNION ALL
       SELECT s.id, s.platform, s.title, s.started_at, s.ended_at, 0, 0 FROM streams s
       WHERE NOT EXISTS (SELECT 1 FROM support_totals h WHERE h.stream_key = s.id
         AND h.asset_code = @code AND h.asset_scale = @scale)
       ORDER BY startedAt DESC NULLS LAST LIMIT @limit`,
    ),
    rawSum: prepare(
      `SELECT COALESCE(SUM(amount_value), 0) AS total, COUNT(*) AS n FROM support_events
       WHERE is_test = 0 AND occurred_at >= @from AND occurred_at < @until
         AND asset_code = @code AND asset_scale = @scale`,
    ),
    hourSum: prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(event_count), 0) AS n
       FROM support_hourly WHERE asset_code = @code AND asset_scale = @scale AND stream_key = '*'
         AND hour_start >= @from AND hour_start < @until`,
    ),
  }

  const params = (query: TotalsQuery) => ({
    code: query.asset.assetCode,
    scale: query.asset.assetScale,
    stream: query.streamId || '*',
  })
  const toKind = (row: KindRow): KindTotal => ({
    kind: row.kind,
    total: BigInt(row.total ?? 0n),
    count: Number(row.n),
  })

  return {
    byKind(query) {
      const base = params(query)
      const { from } = query
      if (from === null) return (allTimeByKind.all(base) as KindRow[]).map(toKind)
      const rollupFrom = ceilHour(from)
      return db.transaction(() => {
        const rows = rollupByKind.all({ ...base, from: rollupFrom }) as KindRow[]
        if (rollupFrom > from)
          rows.push(
            ...(statements.rawByKind[query.streamId ? 1 : 0]!.all({
              ...base,
              from,
              until: rollupFrom,
            }) as KindRow[]),
          )
        return rows.map(toKind)
      })()
    },
    buckets(query) {
      const base = params(query)
      const { from } = query
      const rollupFrom = from === null ? Number.MIN_SAFE_INTEGER : ceilHour(from)
      return db.transaction(() => {
        const rows = rollupBuckets.all({
          ...base,
          from: rollupFrom,
          size: query.size,
          offset: query.offset,
        }) as (KindRow & { t: Big })[]
        if (from !== null && rollupFrom > from)
          rows.push(
            ...(statements.rawBuckets[query.streamId ? 1 : 0]!.all({
              ...base,
              from,
              until: rollupFrom,
            }) as (KindRow & { t: Big })[]),
          )
        return rows.map((row) => ({ ...toKind(row), at: Number(row.t) }))
      })()
    },
    uniqueSupporters(query) {
      const base = { ...params(query), from: query.from ?? Number.MIN_SAFE_INTEGER }
      const statement = query.streamId ? statements.uniqueStream : statements.uniqueAll
      return (statement.get(base) as { n: number }).n
    },
    streams(asset, limit) {
      const rows = statements.streams.all({
        code: asset.assetCode,
        scale: asset.assetScale,
        limit,
      }) as {
        streamId: string
        platform: string | null
        title: string | null
        startedAt: Big | null
        endedAt: Big | null
        total: Big
        n: Big
      }[]
      const time = (t: Big | null) => (t === null ? null : Number(t))
      return rows.map((row) => ({
        streamId: row.streamId,
        platform: row.platform,
        title: row.title,
        startedAt: time(row.startedAt),
        endedAt: time(row.endedAt),
        total: BigInt(row.total),
        count: Number(row.n),
      }))
    },
    raised(asset, from, to) {
      const base = { code: asset.assetCode, scale: asset.assetScale }
      const firstFullHour = ceilHour(from)
      const lastFullHourEnd = Math.floor(to / HOUR_MS) * HOUR_MS
      type Sum = { total: Big; n: Big }
      if (firstFullHour >= lastFullHourEnd) {
        const only = statements.rawSum.get({ ...base, from, until: to }) as Sum
        return { total: only.total, count: Number(only.n) }
      }
      return db.transaction(() => {
        const head = statements.rawSum.get({ ...base, from, until: firstFullHour }) as Sum
        const body = statements.hourSum.get({
          ...base,
          from: firstFullHour,
          until: lastFullHourEnd,
        }) as Sum
        const tail = statements.rawSum.get({ ...base, from: lastFullHourEnd, until: to }) as Sum
        return {
          total: head.total + body.total + tail.total,
          count: Number(head.n + body.n + tail.n),
        }
      })()
    },
  }
}
