/**
 * The gamification API: the gifter path (levels), leaderboards and goals (tip tiers are in ./tiers.ts).
 * Shared by the server's routes and the renderer (type-only).
 */
import { Type, type Static } from '@sinclair/typebox'
import { Amount, ClientErrors, DecimalInput, IdParams, Nullable } from './common.js'

export const GifterNaming = Type.Union([
  Type.Literal('ranks'),
  Type.Literal('fantasy'),
  Type.Literal('sci-fi'),
  Type.Literal('custom'),
])
export type GifterNaming = Static<typeof GifterNaming>
export const GifterIcons = Type.Union([
  Type.Literal('minimal'),
  Type.Literal('emoji'),
  Type.Literal('badges'),
])
export type GifterIcons = Static<typeof GifterIcons>
export const GifterColors = Type.Union([
  Type.Literal('pastel'),
  Type.Literal('vibrant'),
  Type.Literal('dark'),
])
export type GifterColors = Static<typeof GifterColors>

export const GifterPathConfig = Type.Object(
  {
    /** 3 to 50. */
    levelCount: Type.Integer({ minimum: 3, maximum: 50 }),
    /** Decimal amount in the streamer's currency for level 1. */
    baseThreshold: Type.String({ maxLength: 40, pattern: '^\\d+(\\.\\d+)?$' }),
    /** Each level's threshold is the previous one times this (decimal, > 1, at most 4 decimals). */
    growthFactor: Type.String({ maxLength: 12, pattern: '^\\d+(\\.\\d+)?$' }),
    naming: GifterNaming,
    icons: GifterIcons,
    colors: GifterColors,
    /** With naming 'custom': one name per level (missing ones become "Level N"). */
    customNames: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
)
export type GifterPathConfig = Static<typeof GifterPathConfig>

export const GifterLevel = Type.Object({
  /** 1-based. */
  level: Type.Integer(),
  name: Type.String(),
  icon: Type.String(),
  color: Type.String(),
  threshold: Amount,
  /** The threshold as a decimal number (display only). */
  thresholdAmount: Type.Number(),
})
export type GifterLevel = Static<typeof GifterLevel>

export const GifterPathView = Type.Object({
  config: GifterPathConfig,
  levels: Type.Array(GifterLevel),
})
export type GifterPathView = Static<typeof GifterPathView>

export const SupporterProgress = Type.Object({
  /** Opaque, stable id (not the wallet). */
  supporterId: Type.String(),
  /** Stable anonymous label, e.g. "Brave Otter 417". */
  label: Type.String(),
  /** The latest chosen name, else the label. */
  displayName: Type.String(),
  total: Amount,
  supportCount: Type.Integer(),
  /** Null below level 1. */
  currentLevel: Nullable(GifterLevel),
  /** Null at the top level. */
  nextLevel: Nullable(GifterLevel),
  /** 0..1 from the current level's threshold to the next one's (1 at the top). */
  fraction: Type.Number(),
  /** Still needed for the next level; null at the top. */
  remaining: Nullable(Amount),
  /** Levels reached, 1-based. */
  unlocked: Type.Array(Type.Integer()),
})
export type SupporterProgress = Static<typeof SupporterProgress>

export const SupporterParams = Type.Object({
  supporterId: Type.String({ minLength: 1, maxLength: 64 }),
})

export const LeaderboardWindow = Type.Union([
  Type.Literal('stream'),
  Type.Literal('7d'),
  Type.Literal('30d'),
  Type.Literal('all'),
])
export type LeaderboardWindow = Static<typeof LeaderboardWindow>
export const LeaderboardMetric = Type.Union([Type.Literal('total'), Type.Literal('count')])
export type LeaderboardMetric = Static<typeof LeaderboardMetric>

export const LeaderboardQuery = Type.Object({
  window: Type.Optional(LeaderboardWindow),
  by: Type.Optional(LeaderboardMetric),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  key: Type.Optional(Type.String()),
})
export type LeaderboardQuery = Static<typeof LeaderboardQuery>

export const LeaderboardEntry = Type.Object({
  /** 1-based position; ties are broken by who reached the figure first, then by id. */
  rank: Type.Integer(),
  supporterId: Type.String(),
  displayName: Type.String(),
  label: Type.String(),
  total: Amount,
  supportCount: Type.Integer(),
  lastSupportAt: Type.String(),
})
export type LeaderboardEntry = Static<typeof LeaderboardEntry>

export const LeaderboardView = Type.Object({
  window: LeaderboardWindow,
  by: LeaderboardMetric,
  /** The stream for window 'stream' (null when nothing is live). */
  streamId: Nullable(Type.String()),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
  /** First moment counted for '7d' and '30d' (start of a UTC day). */
  since: Nullable(Type.String()),
  entries: Type.Array(LeaderboardEntry),
})
export type LeaderboardView = Static<typeof LeaderboardView>

export const GoalInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    /** Decimal amount in the streamer's currency. */
    target: DecimalInput,
    /** ISO time; defaults to now. */
    startsAt: Type.Optional(Type.String({ maxLength: 40 })),
    endsAt: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false },
)
export type GoalInput = Static<typeof GoalInput>

export const GoalPatch = Type.Partial(GoalInput, { additionalProperties: false })
export type GoalPatch = Static<typeof GoalPatch>

export const GoalView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  target: Amount,
  raised: Amount,
  /** 0..1, capped at 1. */
  fraction: Type.Number(),
  supportCount: Type.Integer(),
  startsAt: Type.String(),
  endsAt: Nullable(Type.String()),
  reached: Type.Boolean(),
  reachedAt: Nullable(Type.String()),
})
export type GoalView = Static<typeof GoalView>

export const GoalList = Type.Object({ goals: Type.Array(GoalView) })
export type GoalList = Static<typeof GoalList>

/** Bus event 'supporter.levelUp'. */
export const LevelUpEvent = Type.Object({
  supporterId: Type.String(),
  label: Type.String(),
  displayName: Type.String(),
  previousLevel: Type.Integer(),
  level: GifterLevel,
  total: Amount,
  at: Type.String(),
})
export type LevelUpEvent = Static<typeof LevelUpEvent>

export const gamificationAdminRoutes = {
  'GET /gamification/gifter-path': { response: { 200: GifterPathView } },
  'PUT /gamification/gifter-path': {
    body: GifterPathConfig,
    response: { 200: GifterPathView, ...ClientErrors },
  },
  'GET /gamification/supporters/:supporterId/progress': {
    params: SupporterParams,
    response: { 200: SupporterProgress, ...ClientErrors },
  },
  'GET /gamification/leaderboards': {
    querystring: LeaderboardQuery,
    response: { 200: LeaderboardView, ...ClientErrors },
  },
  'GET /gamification/goals': { response: { 200: GoalList } },
  'POST /gamification/goals': { body: GoalInput, response: { 201: GoalView, ...ClientErrors } },
  'GET /gamification/goals/:id': {
    params: IdParams,
    response: { 200: GoalView, ...ClientErrors },
  },
  'PATCH /gamification/goals/:id': {
    params: IdParams,
    body: GoalPatch,
    response: { 200: GoalView, ...ClientErrors },
  },
  'DELETE /gamification/goals/:id': {
    params: IdParams,
    response: { 204: Type.Null(), ...ClientErrors },
  },
} as const

/** On the local listener with the overlay key (`?key=`). */
export const gamificationOverlayRoutes = {
  'GET /plugins/wm/overlay/gamification/leaderboard': {
    querystring: LeaderboardQuery,
    response: { 200: LeaderboardView },
  },
  'GET /plugins/wm/overlay/gamification/goals': { response: { 200: GoalList } },
  'GET /plugins/wm/overlay/gamification/gifter-path': { response: { 200: GifterPathView } },
} as const
