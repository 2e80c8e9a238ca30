import type { StreamerAsset } from '../app/infrastructure.js'
import type {
  AnalyticsOverview,
  AnalyticsSeries,
  AnalyticsSummary,
  EventsQuery,
  EventsResponse,
  KindFigures,
  PlatformEventRowView,
  SeriesPoint,
  StreamsResponse,
  SupportEventRowView,
  Timeframe,
  TopSupportersResponse,
} from '../contracts/analytics.js'
import { SUPPORT_KINDS, TIMEFRAMES } from '../contracts/analytics.js'
import type { SupportKind } from '../contracts/events.js'
import { makeAmount, minorToDecimal, minorToNumber } from '../contracts/money.js'
import type { Db } from '../storage/db.js'
import { supporterIdExpression } from '../storage/migrations/0006_analytics.js'
import { csvCell, csvDecimal, csvLine } from './csv.js'

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS

export const TIMEFRAME_MS: Record<Timeframe, number | null> = {
  last_24h: DAY_MS,
  last_7d: 7 * DAY_MS,
  last_30d: 30 * DAY_MS,
  all_time: null,
}

export interface AnalyticsDeps {
  db: Db
  streamerAsset(): StreamerAsset
  liveStreamId(at?: number): string | null
  now?: () => number
}

export interface SummaryInput {
  timeframe: Timeframe
  streamId?: string | null
}

export interface SeriesInput extends SummaryInput {
  /** The browser's `Date#getTimezoneOffset()`, so daily buckets start at the streamer's midnight. */
  tzOffsetMinutes?: number
}

export interface AnalyticsService {
  summary(input: SummaryInput): AnalyticsSummary
  series(input: SeriesInput): AnalyticsSeries
  overview(): AnalyticsOverview
  topSupporters(input: { timeframe: Timeframe; limit?: number }): TopSupportersResponse
  streams(limit?: number): StreamsResponse
  events(query: EventsQuery): EventsResponse
  /** Support events matching the filters, oldest first, as CSV lines (header first). */
  exportCsv(query: EventsQuery): Iterable<string>
  /** The same as a JSON array, in chunks. */
  exportJson(query: EventsQuery): Iterable<string>
}

export class InvalidQueryError extends Error {
  override name = 'InvalidQueryError'
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

type Big = bigint
interface KindRow {
  kind: SupportKind
  total: Big
  n: Big
}
interface BucketRow extends KindRow {
  t: Big
}

const SUPPORTER_ID = supporterIdExpression('')

const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS

function emptyKinds<T>(make: () => T): Record<SupportKind, T> {
  return { tip: make(), 'web-monetization': make(), redemption: make() }
}

function roundedAverage(total: bigint, count: number): bigint {
  if (count === 0) return 0n
  const n = BigInt(count)
  return (2n * total + n) / (2n * n)
}

export function parseTime(value: string | undefined, field: string): number | null {
  if (value === undefined || value === '') return null
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw new InvalidQueryError(field, `${field} must be an ISO date-time or epoch milliseconds`)
  }
  return ms
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%" literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export function createAnalyticsService(deps: AnalyticsDeps): AnalyticsService {
  const { db } = deps
  const now = deps.now ?? Date.now

  const rollupByKind = () =>
    db
      .prepare(
        `SELECT kind, SUM(total_value) AS total, SUM(event_count) AS n FROM analytics_hourly
         WHERE asset_code = @code AND asset_scale = @scale AND hour_start >= @from
         AND stream_key = @stream GROUP BY kind`,
      )
      .safeIntegers(true)
  const rawByKind = (stream: boolean) =>
    db
      .prepare(
        `SELECT kind, SUM(amount_value) AS total, COUNT(*) AS n FROM support_events
         WHERE is_test = 0 AND occurred_at >= @from AND occurred_at < @until
           AND asset_code = @code AND asset_scale = @scale ${stream ? 'AND stream_id = @stream' : ''}
         GROUP BY kind`,
      )
      .safeIntegers(true)
  // Bucketing happens in SQL, so a 30-day daily series reads ~90 grouped rows, not thousands.
  const rollupBuckets = () =>
    db
      .prepare(
        `SELECT ((hour_start - @offset) / @size) * @size + @offset AS t, kind,
           SUM(total_value) AS total, SUM(event_count) AS n
         FROM analytics_hourly WHERE asset_code = @code AND asset_scale = @scale AND hour_start >= @from
         AND stream_key = @stream GROUP BY 1, kind`,
      )
      .safeIntegers(true)
  const rawBuckets = (stream: boolean) =>
    db
      .prepare(
        `SELECT occurred_at AS t, kind, amount_value AS total, 1 AS n FROM support_events
         WHERE is_test = 0 AND occurred_at >= @from AND occurred_at < @until
           AND asset_code = @code AND asset_scale = @scale ${stream ? 'AND stream_id = @stream' : ''}`,
      )
      .safeIntegers(true)

  const totalsByKind = () =>
    db
      .prepare(
        `SELECT kind, SUM(total_value) AS total, SUM(event_count) AS n FROM analytics_totals
         WHERE asset_code = @code AND asset_scale = @scale AND stream_key = @stream
         GROUP BY kind`,
      )
      .safeIntegers(true)

  const statements = {
    totalsByKind: totalsByKind(),
    rollupByKind: rollupByKind(),
    rawByKind: [rawByKind(false), rawByKind(true)],
    rollupBuckets: rollupBuckets(),
    rawBuckets: [rawBuckets(false), rawBuckets(true)],
    uniqueAll: db.prepare(
      `SELECT COUNT(*) AS n FROM analytics_supporters
       WHERE asset_code = @code AND asset_scale = @scale AND last_at >= @from`,
    ),
    uniqueStream: db.prepare(
      `SELECT COUNT(DISTINCT ${SUPPORTER_ID}) AS n FROM support_events
       WHERE is_test = 0 AND stream_id = @stream AND occurred_at >= @from
         AND asset_code = @code AND asset_scale = @scale`,
    ),
    topAll: db
      .prepare(
        `SELECT COALESCE(display_name, supporter_id) AS name, total_value AS total, event_count AS n,
           last_at AS lastAt
         FROM analytics_supporters WHERE asset_code = @code AND asset_scale = @scale
         ORDER BY total_value DESC, last_at DESC LIMIT @limit`,
      )
      .safeIntegers(true),
    topWindow: db
      .prepare(
        `SELECT COALESCE(MAX(NULLIF(trim(supporter_name), '')), ${SUPPORTER_ID}) AS name,
           SUM(amount_value) AS total, COUNT(*) AS n, MAX(occurred_at) AS lastAt
         FROM support_events
         WHERE is_test = 0 AND occurred_at >= @from AND asset_code = @code AND asset_scale = @scale
           AND ${SUPPORTER_ID} IS NOT NULL
         GROUP BY ${SUPPORTER_ID} ORDER BY total DESC, lastAt DESC LIMIT @limit`,
      )
      .safeIntegers(true),
    streams: db
      .prepare(
        `SELECT h.stream_key AS streamId, s.platform, s.title, s.started_at AS startedAt,
           s.ended_at AS endedAt, SUM(h.total_value) AS total, SUM(h.event_count) AS n
         FROM analytics_totals h LEFT JOIN streams s ON s.id = h.stream_key
         WHERE h.asset_code = @code AND h.asset_scale = @scale AND h.stream_key <> '*'
         GROUP BY h.stream_key
         UNION ALL
         SELECT s.id, s.platform, s.title, s.started_at, s.ended_at, 0, 0 FROM streams s
         WHERE NOT EXISTS (SELECT 1 FROM analytics_totals h WHERE h.stream_key = s.id
           AND h.asset_code = @code AND h.asset_scale = @scale)
         ORDER BY startedAt DESC NULLS LAST LIMIT @limit`,
      )
      .safeIntegers(true),
  }

  function asset() {
    const { assetCode, assetScale } = deps.streamerAsset()
    return { code: assetCode, scale: assetScale }
  }

  function windowStart(timeframe: Timeframe, at: number): number | null {
    const span = TIMEFRAME_MS[timeframe]
    return span === null ? null : at - span
  }

  function figures(total: bigint, count: number, code: string, scale: number): KindFigures {
    return {
      total: makeAmount(total, code, scale),
      totalAmount: minorToNumber(total, scale),
      eventCount: count,
    }
  }

  function summary({ timeframe, streamId = null }: SummaryInput): AnalyticsSummary {
    const at = now()
    const { code, scale } = asset()
    const from = windowStart(timeframe, at)
    const stream = streamId ? 1 : 0
    const params = { code, scale, stream: streamId || '*' }
    const totals = emptyKinds(() => ({ total: 0n, n: 0 }))
    const add = (rows: KindRow[]) => {
      for (const row of rows) {
        const slot = totals[row.kind]
        if (!slot) continue
        slot.total += BigInt(row.total ?? 0n)
        slot.n += Number(row.n)
      }
    }
    const rollupFrom = from === null ? Number.MIN_SAFE_INTEGER : ceilHour(from)
    return db.transaction(() => {
      if (from === null) add(statements.totalsByKind.all(params) as KindRow[])
      else add(statements.rollupByKind.all({ ...params, from: rollupFrom }) as KindRow[])
      if (from !== null && rollupFrom > from) {
        add(statements.rawByKind[stream]!.all({ ...params, from, until: rollupFrom }) as KindRow[])
      }
      const uniqueParams = { ...params, from: from ?? Number.MIN_SAFE_INTEGER }
      const unique = streamId
        ? (statements.uniqueStream.get(uniqueParams) as { n: number }).n
        : (statements.uniqueAll.get(uniqueParams) as { n: number }).n
      let total = 0n
      let count = 0
      const byKind = emptyKinds<KindFigures>(() => figures(0n, 0, code, scale))
      for (const kind of SUPPORT_KINDS) {
        const slot = totals[kind]
        total += slot.total
        count += slot.n
        byKind[kind] = figures(slot.total, slot.n, code, scale)
      }
      const average = roundedAverage(total, count)
      return {
        streamId: streamId || null,
        timeframe,
        currency: code,
        assetScale: scale,
        totalAmount: minorToNumber(total, scale),
        eventCount: count,
        uniqueSupporters: unique,
        averageAmount: minorToNumber(average, scale),
        total: makeAmount(total, code, scale),
        average: makeAmount(average, code, scale),
        byKind,
        from: from === null ? null : new Date(from).toISOString(),
        to: new Date(at).toISOString(),
      }
    })()
  }

  function series({
    timeframe,
    streamId = null,
    tzOffsetMinutes = 0,
  }: SeriesInput): AnalyticsSeries {
    const at = now()
    const { code, scale } = asset()
    const from = windowStart(timeframe, at)
    const stream = streamId ? 1 : 0
    const params = { code, scale, stream: streamId || '*' }
    const bucket: 'hour' | 'day' =
      timeframe === 'last_24h' || timeframe === 'last_7d' ? 'hour' : 'day'
    const offsetMs = tzOffsetMinutes * 60_000
    const bucketOf =
      bucket === 'hour'
        ? (t: number) => t - (((t % HOUR_MS) + HOUR_MS) % HOUR_MS)
        : (t: number) => Math.floor((t - offsetMs) / DAY_MS) * DAY_MS + offsetMs
    const rollupFrom = from === null ? Number.MIN_SAFE_INTEGER : ceilHour(from)
    const rows = db.transaction(() => {
      const found = statements.rollupBuckets.all({
        ...params,
        from: rollupFrom,
        size: bucket === 'hour' ? HOUR_MS : DAY_MS,
        offset: bucket === 'hour' ? 0 : offsetMs,
      }) as BucketRow[]
      if (from !== null && rollupFrom > from) {
        found.push(
          ...(statements.rawBuckets[stream]!.all({
            ...params,
            from,
            until: rollupFrom,
          }) as BucketRow[]),
        )
      }
      return found
    })()
    const buckets = new Map<
      number,
      { values: Record<SupportKind, bigint>; counts: Record<SupportKind, number> }
    >()
    const slot = (t: number) => {
      let entry = buckets.get(t)
      if (!entry) {
        entry = { values: emptyKinds(() => 0n), counts: emptyKinds(() => 0) }
        buckets.set(t, entry)
      }
      return entry
    }
    let first = from === null ? null : bucketOf(from)
    let last = bucketOf(at)
    for (const row of rows) {
      if (!SUPPORT_KINDS.includes(row.kind)) continue
      const t = bucketOf(Number(row.t))
      const entry = slot(t)
      entry.values[row.kind] += BigInt(row.total)
      entry.counts[row.kind] += Number(row.n)
      if (first === null || t < first) first = t
      if (t > last) last = t
    }
    const points: SeriesPoint[] = []
    if (first !== null) {
      const step = bucket === 'hour' ? HOUR_MS : DAY_MS
      for (let t = first; t <= last; t += step) {
        const entry = buckets.get(t)
        const values = emptyKinds(() => '0')
        const counts = emptyKinds(() => 0)
        let total = 0n
        let count = 0
        if (entry) {
          for (const kind of SUPPORT_KINDS) {
            values[kind] = entry.values[kind].toString()
            counts[kind] = entry.counts[kind]
            total += entry.values[kind]
            count += entry.counts[kind]
          }
        }
        points.push({
          start: new Date(t).toISOString(),
          t,
          values,
          counts,
          totalValue: total.toString(),
          eventCount: count,
        })
      }
    }
    return {
      streamId: streamId || null,
      timeframe,
      bucket,
      currency: code,
      assetScale: scale,
      points,
      from: from === null ? null : new Date(from).toISOString(),
      to: new Date(at).toISOString(),
    }
  }

  function topSupporters({ timeframe, limit = 10 }: { timeframe: Timeframe; limit?: number }) {
    const { code, scale } = asset()
    const from = windowStart(timeframe, now())
    const rows = (
      from === null
        ? statements.topAll.all({ code, scale, limit })
        : statements.topWindow.all({ code, scale, limit, from })
    ) as { name: string; total: bigint; n: bigint; lastAt: bigint }[]
    return {
      timeframe,
      supporters: rows.map((row) => ({
        name: row.name.startsWith('name:') ? row.name.slice(5) : row.name,
        total: makeAmount(row.total, code, scale),
        totalAmount: minorToNumber(row.total, scale),
        eventCount: Number(row.n),
        lastAt: new Date(Number(row.lastAt)).toISOString(),
      })),
    }
  }

  function streams(limit = 50): StreamsResponse {
    const { code, scale } = asset()
    const rows = statements.streams.all({ code, scale, limit }) as {
      streamId: string
      platform: string | null
      title: string | null
      startedAt: bigint | null
      endedAt: bigint | null
      total: bigint
      n: bigint
    }[]
    const iso = (t: bigint | null) => (t === null ? null : new Date(Number(t)).toISOString())
    return {
      streams: rows.map((row) => ({
        streamId: row.streamId,
        platform: row.platform,
        title: row.title,
        startedAt: iso(row.startedAt),
        endedAt: iso(row.endedAt),
        total: makeAmount(row.total, code, scale),
        totalAmount: minorToNumber(row.total, scale),
        eventCount: Number(row.n),
      })),
    }
  }

  function overview(): AnalyticsOverview {
    const { code, scale } = asset()
    const timeframes = {} as Record<Timeframe, AnalyticsSummary>
    for (const timeframe of TIMEFRAMES) timeframes[timeframe] = summary({ timeframe })
    const liveId = deps.liveStreamId(now())
    return {
      currency: code,
      assetScale: scale,
      timeframes,
      live: liveId ? summary({ timeframe: 'all_time', streamId: liveId }) : null,
    }
  }

  interface SupportFilter {
    where: string
    params: Record<string, string | number>
  }

  function supportFilter(query: EventsQuery): SupportFilter {
    const clauses: string[] = []
    const params: Record<string, string | number> = {}
    if (!query.includeTest) clauses.push('is_test = 0')
    if (query.kind) {
      clauses.push('kind = @kind')
      params.kind = query.kind
    }
    if (query.streamId) {
      clauses.push('stream_id = @stream')
      params.stream = query.streamId
    }
    const from = parseTime(query.from, 'from')
    const to = parseTime(query.to, 'to')
    if (from !== null) {
      clauses.push('occurred_at >= @from')
      params.from = from
    }
    if (to !== null) {
      clauses.push('occurred_at < @to')
      params.to = to
    }
    const q = query.q?.trim()
    if (q) {
      clauses.push(`supporter_name LIKE @q ESCAPE '\\'`)
      params.q = likePattern(q)
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
  }

  type SupportRow = {
    id: bigint
    kind: SupportKind
    amount_value: bigint
    asset_code: string
    asset_scale: bigint
    supporter_name: string | null
    message: string | null
    tier_id: string | null
    stream_id: string | null
    is_test: bigint
    occurred_at: bigint
  }
  const SUPPORT_COLUMNS = `id, kind, amount_value, asset_code, asset_scale, supporter_name, message, tier_id,
    stream_id, is_test, occurred_at`

  function supportView(row: SupportRow): SupportEventRowView {
    const scale = Number(row.asset_scale)
    return {
      type: 'support',
      id: Number(row.id),
      kind: row.kind,
      amount: makeAmount(row.amount_value, row.asset_code, scale),
      amountDecimal: minorToDecimal(row.amount_value, scale),
      supporterName: row.supporter_name,
      message: row.message,
      tierId: row.tier_id,
      streamId: row.stream_id,
      isTest: Number(row.is_test) === 1,
      occurredAt: new Date(Number(row.occurred_at)).toISOString(),
    }
  }

  const PLATFORM_USER = `CASE WHEN json_valid(payload) THEN COALESCE(
      json_extract(payload, '$.eventData.user.displayName'),
      json_extract(payload, '$.user.displayName'),
      json_extract(payload, '$.username'),
      json_extract(payload, '$.user')) END`
  const PLATFORM_SUMMARY = `CASE WHEN json_valid(payload) THEN COALESCE(
      json_extract(payload, '$.eventData.rawBody'),
      json_extract(payload, '$.eventData.body'),
      json_extract(payload, '$.eventData.streamTitle'),
      json_extract(payload, '$.eventData.status.streamTitle'),
      json_extract(payload, '$.message'),
      json_extract(payload, '$.title')) END`

  function events(query: EventsQuery): EventsResponse {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500)
    if (query.type === 'platform') {
      const clauses: string[] = []
      const params: Record<string, string | number> = { limit: limit + 1 }
      if (query.streamId) {
        clauses.push('stream_id = @stream')
        params.stream = query.streamId
      }
      const from = parseTime(query.from, 'from')
      const to = parseTime(query.to, 'to')
      if (from !== null) {
        clauses.push('received_at >= @from')
        params.from = from
      }
      if (to !== null) {
        clauses.push('received_at < @to')
        params.to = to
      }
      if (query.before !== undefined) {
        clauses.push('id < @before')
        params.before = query.before
      }
      const q = query.q?.trim()
      if (q) {
        clauses.push(`payload LIKE @q ESCAPE '\\'`)
        params.q = likePattern(q)
      }
      const rows = db
        .prepare(
          `SELECT id, platform, type, normalized_type, stream_id, received_at,
             ${PLATFORM_USER} AS user_name, ${PLATFORM_SUMMARY} AS summary
           FROM platform_events ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
           ORDER BY id DESC LIMIT @limit`,
        )
        .all(params) as {
        id: number
        platform: string
        type: string
        normalized_type: string | null
        stream_id: string | null
        received_at: number
        user_name: unknown
        summary: unknown
      }[]
      const page = rows.slice(0, limit)
      const text = (value: unknown) =>
        typeof value === 'string' ? value.slice(0, 300) : value == null ? null : String(value)
      return {
        type: 'platform',
        events: page.map((row): PlatformEventRowView => ({
          type: 'platform',
          id: row.id,
          platform: row.platform,
          eventType: row.type,
          normalizedType: row.normalized_type,
          streamId: row.stream_id,
          userName: text(row.user_name),
          summary: text(row.summary),
          receivedAt: new Date(row.received_at).toISOString(),
        })),
        nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      }
    }
    const filter = supportFilter(query)
    let where = filter.where
    const params: Record<string, string | number> = { ...filter.params, limit: limit + 1 }
    if (query.before !== undefined) {
      where = where ? `${where} AND id < @before` : 'WHERE id < @before'
      params.before = query.before
    }
    const rows = db
      .prepare(
        `SELECT ${SUPPORT_COLUMNS} FROM support_events ${where} ORDER BY id DESC LIMIT @limit`,
      )
      .safeIntegers(true)
      .all(params) as SupportRow[]
    const page = rows.slice(0, limit).map(supportView)
    return {
      type: 'support',
      events: page,
      nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
    }
  }

  /**
   * Support events matching the filters, oldest first, read in pages: an open better-sqlite3 iterator
   * would keep the connection busy while the response streams, and every other request would fail.
   */
  function supportRows(query: EventsQuery): Generator<SupportEventRowView> {
    const filter = supportFilter(query)
    const keyset = '(occurred_at > @afterT OR (occurred_at = @afterT AND id > @afterId))'
    const where = filter.where ? `${filter.where} AND ${keyset}` : `WHERE ${keyset}`
    const statement = db
      .prepare(
        `SELECT ${SUPPORT_COLUMNS} FROM support_events ${where} ORDER BY occurred_at, id LIMIT 1000`,
      )
      .safeIntegers(true)
    return (function* () {
      let afterT: bigint = -(2n ** 62n)
      let afterId = 0n
      for (;;) {
        const rows = statement.all({ ...filter.params, afterT, afterId }) as SupportRow[]
        for (const row of rows) yield supportView(row)
        const last = rows[rows.length - 1]
        if (!last || rows.length < 1000) return
        afterT = last.occurred_at
        afterId = last.id
      }
    })()
  }

  const CSV_HEADER = [
    'id',
    'occurred_at',
    'kind',
    'amount',
    'currency',
    'supporter',
    'message',
    'tier',
    'stream',
    'test',
  ]

  return {
    summary,
    series,
    overview,
    topSupporters,
    streams,
    events,
    exportCsv(query) {
      const rows = supportRows(query)
      return (function* () {
        yield csvLine(CSV_HEADER)
        for (const row of rows) {
          yield csvLine([
            String(row.id),
            row.occurredAt,
            csvCell(row.kind),
            csvDecimal(row.amountDecimal),
            csvCell(row.amount.assetCode),
            csvCell(row.supporterName),
            csvCell(row.message),
            csvCell(row.tierId),
            csvCell(row.streamId),
            row.isTest ? 'yes' : 'no',
          ])
        }
      })()
    },
    exportJson(query) {
      const rows = supportRows(query)
      return (function* () {
        yield '['
        let first = true
        for (const row of rows) {
          yield `${first ? '' : ','}\n${JSON.stringify(row)}`
          first = false
        }
        yield '\n]\n'
      })()
    },
  }
}
