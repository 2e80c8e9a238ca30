/**
 * The OBS overlays (DESIGN §8): their URLs and connections, their display settings and custom CSS, and
 * what each data overlay shows. Each shape is a TypeBox schema with its type derived from it, shared by
 * the server's routes, the overlay pages (via JSDoc) and the renderer's client (type-only import). The
 * alert box's own shapes are in ./alerts.ts.
 */
import { Type, type Static } from '@sinclair/typebox'
import { DecimalString, ErrorBody, Nullable } from './common.js'

/** Every overlay page the app serves; each is a URL with the overlay key to paste into OBS. */
export const OverlayId = Type.Union([
  Type.Literal('alerts'),
  Type.Literal('tiers'),
  Type.Literal('goal'),
  Type.Literal('leaderboard'),
  Type.Literal('ticker'),
  Type.Literal('levelup'),
])
export type OverlayId = Static<typeof OverlayId>

export const OVERLAY_IDS: readonly OverlayId[] = OverlayId.anyOf.map((literal) => literal.const)

export const OverlayConnections = Type.Object({
  total: Type.Integer(),
  byOverlay: Type.Object({
    alerts: Type.Integer(),
    tiers: Type.Integer(),
    goal: Type.Integer(),
    leaderboard: Type.Integer(),
    ticker: Type.Integer(),
    levelup: Type.Integer(),
  }),
})
export type OverlayConnections = Static<typeof OverlayConnections>

export const OverlayLinkView = Type.Object({
  id: OverlayId,
  title: Type.String(),
  /** The URL with the overlay key: what the streamer pastes into an OBS browser source. */
  url: Type.String(),
  /** Suggested browser-source size; every overlay also lays out at 800×600. */
  width: Type.Integer(),
  height: Type.Integer(),
  /** Overlay pages of this kind connected right now. */
  connected: Type.Integer(),
})
export type OverlayLinkView = Static<typeof OverlayLinkView>

export const OverlayLinksResponse = Type.Object({
  overlays: Type.Array(OverlayLinkView),
  connections: OverlayConnections,
})
export type OverlayLinksResponse = Static<typeof OverlayLinksResponse>

const strict = { additionalProperties: false } as const

export const GoalSettings = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    /** Decimal amount in the streamer's currency. */
    target: DecimalString,
    /** ISO time from which support counts. */
    startAt: Type.String({ format: 'date-time' }),
  },
  strict,
)
export type GoalSettings = Static<typeof GoalSettings>

export const LeaderboardWindow = Type.Union([
  Type.Literal('stream'),
  Type.Literal('24h'),
  Type.Literal('7d'),
  Type.Literal('30d'),
  Type.Literal('all'),
])
export type LeaderboardWindow = Static<typeof LeaderboardWindow>

export const LeaderboardSettings = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    window: LeaderboardWindow,
    size: Type.Integer({ minimum: 1, maximum: 20 }),
  },
  strict,
)
export type LeaderboardSettings = Static<typeof LeaderboardSettings>

export const TickerSettings = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    size: Type.Integer({ minimum: 1, maximum: 30 }),
  },
  strict,
)
export type TickerSettings = Static<typeof TickerSettings>

export const OverlayDisplaySettings = Type.Object(
  { goal: GoalSettings, leaderboard: LeaderboardSettings, ticker: TickerSettings },
  strict,
)
export type OverlayDisplaySettings = Static<typeof OverlayDisplaySettings>

export const OverlayDisplayPatch = Type.Partial(OverlayDisplaySettings, strict)
export type OverlayDisplayPatch = Static<typeof OverlayDisplayPatch>

export const OverlayParams = Type.Object({ overlay: OverlayId })

export const OverlayCssBody = Type.Object({ css: Type.String() }, strict)
export const OverlayCssResponse = Type.Object({ overlay: OverlayId, css: Type.String() })
export type OverlayCssResponse = Static<typeof OverlayCssResponse>

export const GoalData = Type.Object({
  title: Type.String(),
  currentText: Type.String(),
  targetText: Type.String(),
  /** 0 to 1. */
  fraction: Type.Number(),
})
export type GoalData = Static<typeof GoalData>

export const LeaderboardData = Type.Object({
  title: Type.String(),
  entries: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      name: Type.String(),
      totalText: Type.String(),
      count: Type.Integer(),
    }),
  ),
})
export type LeaderboardData = Static<typeof LeaderboardData>

export const TickerData = Type.Object({
  title: Type.String(),
  entries: Type.Array(Type.Object({ name: Type.String(), amountText: Type.String() })),
})
export type TickerData = Static<typeof TickerData>

export const TiersData = Type.Object({
  theme: Type.String(),
  tiers: Type.Array(
    Type.Object({
      id: Type.String(),
      emoji: Type.String(),
      name: Type.String(),
      amountText: Type.String(),
      perk: Type.String(),
    }),
  ),
})
export type TiersData = Static<typeof TiersData>

export const LevelUpData = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  levelName: Type.String(),
  icon: Nullable(Type.String()),
})
export type LevelUpData = Static<typeof LevelUpData>

/** The dashboard's overlay controls: URLs with the key, connections, custom CSS, display settings. */
export const overlaysAdminRoutes = {
  'GET /overlays/links': { response: { 200: OverlayLinksResponse } },
  'GET /overlays/connections': { response: { 200: OverlayConnections } },
  /** Ends every overlay stream; pages reconnect and resume by themselves (e.g. after a new key). */
  'POST /overlays/connections/reset': {
    response: { 200: Type.Object({ disconnected: Type.Integer() }) },
  },
  /** A new overlay key: every overlay URL pasted into OBS so far stops working. */
  'POST /overlays/rotate-key': { response: { 200: Type.Object({ ok: Type.Boolean() }) } },
  'GET /overlays/css/:overlay': {
    params: OverlayParams,
    response: { 200: OverlayCssResponse, 400: ErrorBody },
  },
  'PUT /overlays/css/:overlay': {
    params: OverlayParams,
    body: OverlayCssBody,
    response: { 200: OverlayCssResponse, 400: ErrorBody, 413: ErrorBody },
  },
  'GET /overlays/display': { response: { 200: OverlayDisplaySettings } },
  'PATCH /overlays/display': {
    body: OverlayDisplayPatch,
    response: { 200: OverlayDisplaySettings, 400: ErrorBody },
  },
} as const

/** Every overlay URL carries the key: OBS browser sources cannot send headers. */
export const OverlayKeyQuery = Type.Object({ key: Type.String() })

export const OverlayEventsQuery = Type.Object({
  key: Type.String(),
  overlay: OverlayId,
  /** The last alert id the page has (a reloaded page has no Last-Event-ID header). */
  since: Type.Optional(Type.String({ pattern: '^\\d{0,15}$' })),
})

export const OverlayCssQuery = Type.Object({ key: Type.String(), overlay: OverlayId })

export const AlertDisplayedBody = Type.Object({ id: Type.Integer({ minimum: 1 }) }, strict)

/**
 * What the overlay pages themselves load (local listener, overlay key checked): their files, the
 * streamer's CSS, the event stream, and the alert box's "on screen now" confirmation. The pages' HTML
 * routes (`/overlay/<id>`) are registered from the page list (server/overlays/pages.ts).
 */
export const overlayPageRoutes = {
  'GET /overlay/static/*': { querystring: OverlayKeyQuery, response: {} },
  'GET /overlay/custom.css': { querystring: OverlayCssQuery, response: {} },
  /** The page's live stream (Server-Sent Events). */
  'GET /overlay/events': { querystring: OverlayEventsQuery, response: {} },
  'POST /overlay/alerts/displayed': {
    querystring: OverlayKeyQuery,
    body: AlertDisplayedBody,
    response: { 204: Type.Null() },
  },
} as const
