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
  Type.Literal('timer'),
])
export type OverlayId = Static<typeof OverlayId>

export const OVERLAY_IDS: readonly OverlayId[] = OverlayId.anyOf.map((literal) => literal.const)

/** An overlay's one recommended OBS browser-source size, in CSS pixels of a 1080p canvas. */
export interface OverlaySize {
  width: number
  height: number
}

/**
 * The one place each overlay's name, recommended size and default look are written: the Overlays
 * page, the setup wizard, the start-up banner and the README all show these sizes, and each overlay's
 * layout is made (and tested, tests/e2e/overlayLegibility.spec.ts) for exactly this size. Full-canvas
 * overlays place themselves on the 1080p canvas; strips fill their width.
 */
export const OVERLAY_REGISTRY: {
  readonly [K in OverlayId]: { title: string; style: OverlayStyleDefaults } & OverlaySize
} = {
  alerts: {
    title: 'Alert box',
    width: 1920,
    height: 1080,
    style: { theme: 'outline', fontSize: 56, position: 'top-center', sound: 'per-alert' },
  },
  tiers: {
    title: 'Tip tiers',
    width: 800,
    height: 600,
    style: { theme: 'panel', fontSize: 32, position: 'top-left', sound: 'off' },
  },
  goal: {
    title: 'Goal bar',
    width: 1920,
    height: 200,
    style: { theme: 'panel', fontSize: 40, position: 'top-center', sound: 'off' },
  },
  leaderboard: {
    title: 'Leaderboard',
    width: 800,
    height: 600,
    style: { theme: 'panel', fontSize: 36, position: 'top-left', sound: 'off' },
  },
  ticker: {
    title: 'Recent supporters ticker',
    width: 1920,
    height: 80,
    style: { theme: 'panel', fontSize: 32, position: 'middle-left', sound: 'off' },
  },
  levelup: {
    title: 'Level-up',
    width: 1920,
    height: 1080,
    style: { theme: 'outline', fontSize: 48, position: 'bottom-center', sound: 'off' },
  },
  timer: {
    title: 'Subathon timer',
    width: 800,
    height: 200,
    style: { theme: 'panel', fontSize: 48, position: 'center', sound: 'off' },
  },
}

/** What differs between the overlays' default looks; colours and volume are the same for all. */
export interface OverlayStyleDefaults {
  theme: 'outline' | 'panel'
  fontSize: number
  position: OverlayPosition
  sound: OverlaySound
}

/** "1920×1080": how every screen writes a recommended size. */
export function sizeText(size: OverlaySize): string {
  return `${size.width}×${size.height}`
}

export const OverlayConnections = Type.Object({
  total: Type.Integer(),
  byOverlay: Type.Object({
    alerts: Type.Integer(),
    tiers: Type.Integer(),
    goal: Type.Integer(),
    leaderboard: Type.Integer(),
    ticker: Type.Integer(),
    levelup: Type.Integer(),
    timer: Type.Integer(),
  }),
})
export type OverlayConnections = Static<typeof OverlayConnections>

export const OverlayLinkView = Type.Object({
  id: OverlayId,
  title: Type.String(),
  /** The URL with the overlay key: what the streamer pastes into an OBS browser source. */
  url: Type.String(),
  /** The recommended browser-source size (OVERLAY_REGISTRY). */
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

/** Where an overlay sits in its browser source: a row (top, middle, bottom) and a side. */
export const OVERLAY_POSITIONS = [
  'top-left',
  'top-center',
  'top-right',
  'middle-left',
  'center',
  'middle-right',
  'bottom-left',
  'bottom-center',
  'bottom-right',
] as const
export type OverlayPosition = (typeof OVERLAY_POSITIONS)[number]

/** "outline": text with a dark outline and no background; "panel": text on a coloured panel. */
export const OVERLAY_THEMES = ['outline', 'panel'] as const
export type OverlayTheme = (typeof OVERLAY_THEMES)[number]

/** "per-alert": each alert variant's own sound; "off": silent; else one bundled sound for all. */
export const OVERLAY_SOUNDS = ['per-alert', 'off', 'chime', 'coin', 'fanfare'] as const
export type OverlaySound = (typeof OVERLAY_SOUNDS)[number]

/** Text smaller than this is not readable on a 1080p stream watched on a phone (see the README). */
export const MIN_TEXT_PX = 24
/** The smallest text of any overlay is 0.75 of its base size (overlay.css), so the base has a floor. */
export const MIN_FONT_SIZE = Math.ceil(MIN_TEXT_PX / 0.75)
export const MAX_FONT_SIZE = 120

/** One overlay's look, as stored: checked by server/overlays/overlayStyle.ts. */
export const OverlayStyle = Type.Object(
  {
    theme: Type.Union(OVERLAY_THEMES.map((theme) => Type.Literal(theme))),
    /** #rrggbb */
    textColor: Type.String(),
    accentColor: Type.String(),
    panelColor: Type.String(),
    /** Percent. */
    panelOpacity: Type.Integer({ minimum: 0, maximum: 100 }),
    /** The base text size in pixels of the 1080p canvas. */
    fontSize: Type.Integer(),
    position: Type.Union(OVERLAY_POSITIONS.map((position) => Type.Literal(position))),
    sound: Type.Union(OVERLAY_SOUNDS.map((sound) => Type.Literal(sound))),
    /** Percent of each sound's own volume. */
    volume: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  strict,
)
export type OverlayStyle = Static<typeof OverlayStyle>

/**
 * What the settings panel sends: loosely typed on purpose, so that every bad value gets a plain
 * sentence naming its field from the service instead of a schema message.
 */
export const OverlayStyleInput = Type.Object(
  {
    theme: Type.String({ maxLength: 40 }),
    textColor: Type.String({ maxLength: 40 }),
    accentColor: Type.String({ maxLength: 40 }),
    panelColor: Type.String({ maxLength: 40 }),
    panelOpacity: Type.Number(),
    fontSize: Type.Number(),
    position: Type.String({ maxLength: 40 }),
    sound: Type.String({ maxLength: 40 }),
    volume: Type.Number(),
  },
  strict,
)
export type OverlayStyleInput = Static<typeof OverlayStyleInput>

/** The goal the goal overlay shows, as its panel edits it. */
export const OverlayGoalInput = Type.Object(
  {
    title: Type.String({ maxLength: 200 }),
    /** Decimal amount in the streamer's currency. */
    target: Type.String({ maxLength: 40 }),
  },
  strict,
)
export type OverlayGoalInput = Static<typeof OverlayGoalInput>

export const OverlaySettingsBody = Type.Object(
  {
    style: OverlayStyleInput,
    css: Type.String(),
    /** Only for the goal overlay. */
    goal: Type.Optional(OverlayGoalInput),
  },
  strict,
)
export type OverlaySettingsBody = Static<typeof OverlaySettingsBody>

/** One overlay's settings panel: its look, its CSS, and for the goal bar its goal. */
export const OverlaySettingsView = Type.Object({
  overlay: OverlayId,
  style: OverlayStyle,
  css: Type.String(),
  goal: Nullable(
    Type.Object({ title: Type.String(), target: Type.String(), assetCode: Type.String() }),
  ),
})
export type OverlaySettingsView = Static<typeof OverlaySettingsView>

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
  'GET /overlays/settings/:overlay': {
    params: OverlayParams,
    response: { 200: OverlaySettingsView, 400: ErrorBody },
  },
  /** Checks everything first, then saves and applies it to the open overlay pages at once. */
  'PUT /overlays/settings/:overlay': {
    params: OverlayParams,
    body: OverlaySettingsBody,
    response: { 200: OverlaySettingsView, 400: ErrorBody, 413: ErrorBody },
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
