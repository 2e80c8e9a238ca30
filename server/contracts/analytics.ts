/**
 * Types of the analytics API (issue 7), shared by the server's routes and the renderer's client.
 * Money: `Amount` is exact (minor units as a string); the `...Amount` numbers are the seed's decimal
 * figures for display and compatibility, never used for arithmetic on the server.
 */
import type { Amount } from './money.js'
import type { SupportKind } from './events.js'

export const TIMEFRAMES = ['last_24h', 'last_7d', 'last_30d', 'all_time'] as const
export type Timeframe = (typeof TIMEFRAMES)[number]
export const SUPPORT_KINDS: readonly SupportKind[] = ['tip', 'web-monetization', 'redemption']

export interface KindFigures {
  total: Amount
  totalAmount: number
  eventCount: number
}

/** `GET /plugins/wm/analytics/summary` (seed) and `GET /api/analytics/summary`. */
export interface AnalyticsSummary {
  streamId: string | null
  timeframe: Timeframe
  /** The streamer's asset code, e.g. "EUR". */
  currency: string
  assetScale: number
  /** Decimal total in `currency` (seed-compatible). */
  totalAmount: number
  eventCount: number
  uniqueSupporters: number
  /** Decimal average per event, rounded half up to the asset scale; 0 when there is none. */
  averageAmount: number
  total: Amount
  average: Amount
  byKind: Record<SupportKind, KindFigures>
  /** Window start (ISO) or null for all time; `to` is when the figures were taken. */
  from: string | null
  to: string
}

export interface SeriesPoint {
  /** Bucket start, ISO. */
  start: string
  /** Bucket start, epoch ms (x axis). */
  t: number
  /** Minor units per kind, exact. */
  values: Record<SupportKind, string>
  counts: Record<SupportKind, number>
  /** Minor units of all kinds together. */
  totalValue: string
  eventCount: number
}

export interface AnalyticsSeries {
  streamId: string | null
  timeframe: Timeframe
  bucket: 'hour' | 'day'
  currency: string
  assetScale: number
  /** Every bucket of the window, empty ones included, oldest first. */
  points: SeriesPoint[]
  from: string | null
  to: string
}

export interface TopSupporter {
  name: string
  total: Amount
  totalAmount: number
  eventCount: number
  lastAt: string
}

export interface TopSupportersResponse {
  timeframe: Timeframe
  supporters: TopSupporter[]
}

export interface StreamFigures {
  streamId: string
  platform: string | null
  title: string | null
  startedAt: string | null
  endedAt: string | null
  total: Amount
  totalAmount: number
  eventCount: number
}

export interface StreamsResponse {
  streams: StreamFigures[]
}

/** Everything the dashboard's cards need in one request. */
export interface AnalyticsOverview {
  currency: string
  assetScale: number
  timeframes: Record<Timeframe, AnalyticsSummary>
  /** The stream live now (Owncast/OSP feature) and its running total, or null. */
  live: AnalyticsSummary | null
}

export type EventListType = 'support' | 'platform'

export interface SupportEventRowView {
  type: 'support'
  id: number
  kind: SupportKind
  amount: Amount
  /** Decimal amount as a string, exact. */
  amountDecimal: string
  supporterName: string | null
  message: string | null
  tierId: string | null
  streamId: string | null
  isTest: boolean
  occurredAt: string
}

export interface PlatformEventRowView {
  type: 'platform'
  id: number
  platform: string
  eventType: string
  normalizedType: string | null
  streamId: string | null
  /** Who the event is about, when the payload names someone. */
  userName: string | null
  summary: string | null
  receivedAt: string
}

export interface EventsResponse {
  type: EventListType
  events: (SupportEventRowView | PlatformEventRowView)[]
  /** Pass as `before` for the next (older) page; null when this is the last page. */
  nextBefore: number | null
}

export interface EventsQuery {
  type?: EventListType
  kind?: SupportKind
  streamId?: string
  /** ISO date-times or epoch ms. */
  from?: string
  to?: string
  q?: string
  includeTest?: boolean
  before?: number
  limit?: number
}

/** `POST /api/setup/public-url-check`: can the internet reach the public listener through the URL? */
export interface PublicUrlCheck {
  url: string
  /** WM_PUBLIC_URL is set (a tunnel or server URL); false means the local fallback address. */
  configured: boolean
  https: boolean
  /** WM Companion's public listener answered at `<url>/healthz`. */
  reachable: boolean
  ok: boolean
  /** One plain sentence: what works, or what is wrong and how to fix it. */
  message: string
}
