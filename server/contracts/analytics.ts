/**
 * The analytics API: the dashboard's figures, the event list and its export, the seed's summary URL.
 * Money: `Amount` is exact (minor units as a string); the `...Amount` numbers are the seed's decimal
 * figures for display and compatibility, never used for arithmetic on the server.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TIMEFRAMES } from './analyticsLists.js'
import { Amount, ErrorBody, Nullable, SupportKind } from './common.js'

export { SUPPORT_KINDS, TIMEFRAMES } from './analyticsLists.js'

export const Timeframe = Type.Union(TIMEFRAMES.map((t) => Type.Literal(t)))
export type Timeframe = (typeof TIMEFRAMES)[number]

/** One figure per kind of support. */
const byKind = <T extends TSchema>(schema: T) =>
  Type.Object({ tip: schema, 'web-monetization': schema, redemption: schema })

export const KindFigures = Type.Object({
  total: Amount,
  totalAmount: Type.Number(),
  eventCount: Type.Integer(),
})
export type KindFigures = Static<typeof KindFigures>

/** `GET /plugins/wm/analytics/summary` (seed) and `GET /api/analytics/summary`. */
export const AnalyticsSummary = Type.Object({
  streamId: Nullable(Type.String()),
  timeframe: Timeframe,
  /** The streamer's asset code, e.g. "EUR". */
  currency: Type.String(),
  assetScale: Type.Integer(),
  /** Decimal total in `currency` (seed-compatible). */
  totalAmount: Type.Number(),
  eventCount: Type.Integer(),
  uniqueSupporters: Type.Integer(),
  /** Decimal average per event, rounded half up to the asset scale; 0 when there is none. */
  averageAmount: Type.Number(),
  total: Amount,
  average: Amount,
  byKind: byKind(KindFigures),
  /** Window start (ISO) or null for all time; `to` is when the figures were taken. */
  from: Nullable(Type.String()),
  to: Type.String(),
})
export type AnalyticsSummary = Static<typeof AnalyticsSummary>

export const SeriesPoint = Type.Object({
  /** Bucket start, ISO. */
  start: Type.String(),
  /** Bucket start, epoch ms (x axis). */
  t: Type.Number(),
  /** Minor units per kind, exact. */
  values: byKind(Type.String()),
  counts: byKind(Type.Integer()),
  /** Minor units of all kinds together. */
  totalValue: Type.String(),
  eventCount: Type.Integer(),
})
export type SeriesPoint = Static<typeof SeriesPoint>

export const AnalyticsSeries = Type.Object({
  streamId: Nullable(Type.String()),
  timeframe: Timeframe,
  bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  currency: Type.String(),
  assetScale: Type.Integer(),
  /** Every bucket of the window, empty ones included, oldest first. */
  points: Type.Array(SeriesPoint),
  from: Nullable(Type.String()),
  to: Type.String(),
})
export type AnalyticsSeries = Static<typeof AnalyticsSeries>

/** Everything the dashboard's cards need in one request. */
export const AnalyticsOverview = Type.Object({
  currency: Type.String(),
  assetScale: Type.Integer(),
  timeframes: Type.Object({
    last_24h: AnalyticsSummary,
    last_7d: AnalyticsSummary,
    last_30d: AnalyticsSummary,
    all_time: AnalyticsSummary,
  }),
  /** The stream live now (Owncast/OSP feature) and its running total, or null. */
  live: Nullable(AnalyticsSummary),
})
export type AnalyticsOverview = Static<typeof AnalyticsOverview>

/** A supporter of the dashboard's top list, shown by the one rule of server/support/supporters.ts. */
export const TopSupporter = Type.Object({
  name: Type.String(),
  total: Amount,
  totalAmount: Type.Number(),
  eventCount: Type.Integer(),
  lastAt: Type.String(),
})
export type TopSupporter = Static<typeof TopSupporter>

export const TopSupportersResponse = Type.Object({
  timeframe: Timeframe,
  supporters: Type.Array(TopSupporter),
})
export type TopSupportersResponse = Static<typeof TopSupportersResponse>

export const StreamFigures = Type.Object({
  streamId: Type.String(),
  platform: Nullable(Type.String()),
  title: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  total: Amount,
  totalAmount: Type.Number(),
  eventCount: Type.Integer(),
})
export type StreamFigures = Static<typeof StreamFigures>

export const StreamsResponse = Type.Object({ streams: Type.Array(StreamFigures) })
export type StreamsResponse = Static<typeof StreamsResponse>

export const EventListType = Type.Union([Type.Literal('support'), Type.Literal('platform')])
export type EventListType = Static<typeof EventListType>

export const SupportEventRowView = Type.Object({
  type: Type.Literal('support'),
  id: Type.Integer(),
  kind: SupportKind,
  amount: Amount,
  /** Decimal amount as a string, exact. */
  amountDecimal: Type.String(),
  supporterName: Nullable(Type.String()),
  message: Nullable(Type.String()),
  tierId: Nullable(Type.String()),
  streamId: Nullable(Type.String()),
  isTest: Type.Boolean(),
  occurredAt: Type.String(),
})
export type SupportEventRowView = Static<typeof SupportEventRowView>

export const PlatformEventRowView = Type.Object({
  type: Type.Literal('platform'),
  id: Type.Integer(),
  platform: Type.String(),
  eventType: Type.String(),
  normalizedType: Nullable(Type.String()),
  streamId: Nullable(Type.String()),
  /** Who the event is about, when the payload names someone. */
  userName: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  receivedAt: Type.String(),
})
export type PlatformEventRowView = Static<typeof PlatformEventRowView>

export const EventsResponse = Type.Object({
  type: EventListType,
  events: Type.Array(Type.Union([SupportEventRowView, PlatformEventRowView])),
  /** Pass as `before` for the next (older) page; null when this is the last page. */
  nextBefore: Nullable(Type.Integer()),
})
export type EventsResponse = Static<typeof EventsResponse>

const StreamIdFilter = Type.String({ maxLength: 200 })

const eventFilters = {
  kind: Type.Optional(SupportKind),
  streamId: Type.Optional(StreamIdFilter),
  /** ISO date-times or epoch ms. */
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  includeTest: Type.Optional(Type.Boolean()),
}

export const EventsQuery = Type.Object({
  type: Type.Optional(EventListType),
  ...eventFilters,
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export type EventsQuery = Static<typeof EventsQuery>

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
  ...eventFilters,
})
export type ExportQuery = Static<typeof ExportQuery>

export const SummaryQuery = Type.Object({
  timeframe: Type.Optional(Timeframe),
  streamId: Type.Optional(StreamIdFilter),
})
export type SummaryQuery = Static<typeof SummaryQuery>

export const OverlaySummaryQuery = Type.Object({
  timeframe: Type.Optional(Timeframe),
  streamId: Type.Optional(StreamIdFilter),
  key: Type.Optional(Type.String()),
})

export const SeriesQuery = Type.Object({
  timeframe: Type.Optional(Timeframe),
  streamId: Type.Optional(StreamIdFilter),
  /** The browser's `Date#getTimezoneOffset()`, so daily buckets start at the streamer's midnight. */
  tzOffsetMinutes: Type.Optional(Type.Integer({ minimum: -900, maximum: 900 })),
})
export type SeriesQuery = Static<typeof SeriesQuery>

export const TopQuery = Type.Object({
  timeframe: Type.Optional(Timeframe),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

/** `POST /api/setup/public-url-check`: can the internet reach the public listener through the URL? */
export const PublicUrlCheck = Type.Object({
  url: Type.String(),
  /** WM_PUBLIC_URL is set (a tunnel or server URL); false means the local fallback address. */
  configured: Type.Boolean(),
  https: Type.Boolean(),
  /** WM Companion's public listener answered at `<url>/healthz`. */
  reachable: Type.Boolean(),
  ok: Type.Boolean(),
  /** One plain sentence: what works, or what is wrong and how to fix it. */
  message: Type.String(),
})
export type PublicUrlCheck = Static<typeof PublicUrlCheck>

export const analyticsAdminRoutes = {
  'POST /setup/public-url-check': { response: { 200: PublicUrlCheck } },
  'GET /analytics/overview': { response: { 200: AnalyticsOverview } },
  'GET /analytics/summary': {
    querystring: SummaryQuery,
    response: { 200: AnalyticsSummary, 400: ErrorBody },
  },
  'GET /analytics/series': {
    querystring: SeriesQuery,
    response: { 200: AnalyticsSeries, 400: ErrorBody },
  },
  'GET /analytics/top-supporters': {
    querystring: TopQuery,
    response: { 200: TopSupportersResponse, 400: ErrorBody },
  },
  'GET /analytics/streams': { response: { 200: StreamsResponse } },
  'GET /analytics/events': {
    querystring: EventsQuery,
    response: { 200: EventsResponse, 400: ErrorBody },
  },
  /**
   * A download (CSV or JSON), streamed: the browser follows a link, no client call. A stream is sent
   * as it is, never serialized, so its answer has no shape to declare.
   */
  'GET /analytics/export': {
    querystring: ExportQuery,
    response: { 200: Type.Any({ description: 'text/csv or application/json' }), 400: ErrorBody },
  },
} as const

/** On the local listener with the overlay key: the seed's URL for overlays and scripts. */
export const analyticsOverlayRoutes = {
  'GET /plugins/wm/analytics/summary': {
    querystring: OverlaySummaryQuery,
    response: { 200: AnalyticsSummary, 400: ErrorBody },
  },
} as const
