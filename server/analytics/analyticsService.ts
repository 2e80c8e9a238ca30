import type { Asset } from '../contracts/common.js'
import type {
  AnalyticsOverview,
  AnalyticsSeries,
  AnalyticsSummary,
  KindFigures,
  SeriesPoint,
  StreamsResponse,
  Timeframe,
  TopSupportersResponse,
} from '../contracts/analytics.js'
import { SUPPORT_KINDS, TIMEFRAMES } from '../contracts/analytics.js'
import type { SupportKind } from '../contracts/common.js'
import { makeAmount, minorToNumber } from '../contracts/money.js'
import type { SupporterRepository } from '../support/supporterRepository.js'
import type { SupporterIdentity } from '../support/supporters.js'
import type { SupportTotals } from '../support/totalsRepository.js'
import {
  createEventLogService,
  type EventLogDeps,
  type EventLogService,
} from './eventLogService.js'

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS

/** The longest window drawn with hourly bars (48 hours). */
export const HOURLY_UP_TO_MS = 2 * DAY_MS

export const TIMEFRAME_MS: Record<Timeframe, number | null> = {
  last_24h: DAY_MS,
  last_7d: 7 * DAY_MS,
  last_30d: 30 * DAY_MS,
  all_time: null,
}

export interface AnalyticsDeps extends EventLogDeps {
  /** The ledger's totals by window and stream. */
  totals: SupportTotals
  /** The ledger's rankings, and who a supporter is shown as. */
  supporters: Pick<SupporterRepository, 'rank'>
  identity: Pick<SupporterIdentity, 'shownName'>
  streamerAsset(): Asset
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

export interface AnalyticsService extends EventLogService {
  summary(input: SummaryInput): AnalyticsSummary
  series(input: SeriesInput): AnalyticsSeries
  overview(): AnalyticsOverview
  topSupporters(input: { timeframe: Timeframe; limit?: number }): TopSupportersResponse
  streams(limit?: number): StreamsResponse
}

function emptyKinds<T>(make: () => T): Record<SupportKind, T> {
  return { tip: make(), 'web-monetization': make(), redemption: make() }
}

function roundedAverage(total: bigint, count: number): bigint {
  if (count === 0) return 0n
  const n = BigInt(count)
  return (2n * total + n) / (2n * n)
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

/**
 * The dashboard's figures, in the streamer's asset: summaries, series, top supporters and streams from
 * the ledger's read models (server/support/), and the event list with its export (eventLogService.ts).
 */
export function createAnalyticsService(deps: AnalyticsDeps): AnalyticsService {
  const now = deps.now ?? Date.now

  function windowStart(timeframe: Timeframe, at: number): number | null {
    const span = TIMEFRAME_MS[timeframe]
    return span === null ? null : at - span
  }

  function figures(total: bigint, count: number, asset: Asset): KindFigures {
    return {
      total: makeAmount(total, asset.assetCode, asset.assetScale),
      totalAmount: minorToNumber(total, asset.assetScale),
      eventCount: count,
    }
  }

  function summary({ timeframe, streamId = null }: SummaryInput): AnalyticsSummary {
    const at = now()
    const asset = deps.streamerAsset()
    const { assetCode: code, assetScale: scale } = asset
    const from = windowStart(timeframe, at)
    const query = { asset, streamId: streamId || null, from }
    const totals = emptyKinds(() => ({ total: 0n, n: 0 }))
    for (const row of deps.totals.byKind(query)) {
      const slot = totals[row.kind]
      if (!slot) continue
      slot.total += row.total
      slot.n += row.count
    }
    const unique = deps.totals.uniqueSupporters(query)
    let total = 0n
    let count = 0
    const byKind = emptyKinds<KindFigures>(() => figures(0n, 0, asset))
    for (const kind of SUPPORT_KINDS) {
      const slot = totals[kind]
      total += slot.total
      count += slot.n
      byKind[kind] = figures(slot.total, slot.n, asset)
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
      from: iso(from),
      to: new Date(at).toISOString(),
    }
  }

  function series({
    timeframe,
    streamId = null,
    tzOffsetMinutes = 0,
  }: SeriesInput): AnalyticsSeries {
    const at = now()
    const asset = deps.streamerAsset()
    const from = windowStart(timeframe, at)
    // Hourly bars only while a window fits in two days; beyond that a day's tips would be a 1 px sliver.
    const windowMs = TIMEFRAME_MS[timeframe]
    const bucket: 'hour' | 'day' = windowMs !== null && windowMs <= HOURLY_UP_TO_MS ? 'hour' : 'day'
    const offsetMs = tzOffsetMinutes * 60_000
    const bucketOf =
      bucket === 'hour'
        ? (t: number) => t - (((t % HOUR_MS) + HOUR_MS) % HOUR_MS)
        : (t: number) => Math.floor((t - offsetMs) / DAY_MS) * DAY_MS + offsetMs
    const rows = deps.totals.buckets({
      asset,
      streamId: streamId || null,
      from,
      size: bucket === 'hour' ? HOUR_MS : DAY_MS,
      offset: bucket === 'hour' ? 0 : offsetMs,
    })
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
      const t = bucketOf(row.at)
      const entry = slot(t)
      entry.values[row.kind] += row.total
      entry.counts[row.kind] += row.count
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
      currency: asset.assetCode,
      assetScale: asset.assetScale,
      points,
      from: iso(from),
      to: new Date(at).toISOString(),
    }
  }

  function topSupporters({ timeframe, limit = 10 }: { timeframe: Timeframe; limit?: number }) {
    const asset = deps.streamerAsset()
    const from = windowStart(timeframe, now())
    const rows = deps.supporters.rank(
      from === null ? { all: true } : { since: from },
      asset,
      'total',
      limit,
    )
    return {
      timeframe,
      supporters: rows.map((row) => ({
        name: deps.identity.shownName(row.supporterId, row.chosenName),
        total: makeAmount(row.total, asset.assetCode, asset.assetScale),
        totalAmount: minorToNumber(row.total, asset.assetScale),
        eventCount: row.count,
        lastAt: new Date(row.lastAt).toISOString(),
      })),
    }
  }

  function streams(limit = 50): StreamsResponse {
    const asset = deps.streamerAsset()
    return {
      streams: deps.totals.streams(asset, limit).map((row) => ({
        streamId: row.streamId,
        platform: row.platform,
        title: row.title,
        startedAt: iso(row.startedAt),
        endedAt: iso(row.endedAt),
        total: makeAmount(row.total, asset.assetCode, asset.assetScale),
        totalAmount: minorToNumber(row.total, asset.assetScale),
        eventCount: row.count,
      })),
    }
  }

  function overview(): AnalyticsOverview {
    const asset = deps.streamerAsset()
    const timeframes = {} as Record<Timeframe, AnalyticsSummary>
    for (const timeframe of TIMEFRAMES) timeframes[timeframe] = summary({ timeframe })
    const liveId = deps.liveStreamId(now())
    return {
      currency: asset.assetCode,
      assetScale: asset.assetScale,
      timeframes,
      live: liveId ? summary({ timeframe: 'all_time', streamId: liveId }) : null,
    }
  }

  return {
    summary,
    series,
    overview,
    topSupporters,
    streams,
    ...createEventLogService(deps),
  }
}
