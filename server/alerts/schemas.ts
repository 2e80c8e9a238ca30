import { Type } from '@sinclair/typebox'

/** TypeBox schemas of the alert and overlay API (the types live in server/contracts/overlays.ts). */

export const DecimalAmount = Type.String({
  pattern: '^\\d{1,15}(\\.\\d{1,18})?$',
  description: 'Decimal amount in the streamer currency, e.g. "2.50"',
})

export const OverlayIdSchema = Type.Union([
  Type.Literal('alerts'),
  Type.Literal('tiers'),
  Type.Literal('goal'),
  Type.Literal('leaderboard'),
  Type.Literal('ticker'),
  Type.Literal('levelup'),
])

// Strict branches are safe because both listeners validate with `strictValidation` (no removeAdditional,
// which would strip `amount` while trying the `default` branch and then fail the `atLeast` one).
const strict = { additionalProperties: false } as const
export const VariantRuleSchema = Type.Union([
  Type.Object({ type: Type.Literal('default') }, strict),
  Type.Object({ type: Type.Literal('atLeast'), amount: DecimalAmount }, strict),
  Type.Object({ type: Type.Literal('exactly'), amount: DecimalAmount }, strict),
  Type.Object({ type: Type.Literal('largestThisStream') }, strict),
])

export const AnimationSchema = Type.Union([
  Type.Literal('pop'),
  Type.Literal('fade'),
  Type.Literal('slide'),
  Type.Literal('bounce'),
  Type.Literal('none'),
])

export const AlertVariantSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    enabled: Type.Boolean(),
    rule: VariantRuleSchema,
    template: Type.String({ minLength: 1, maxLength: 200 }),
    emoji: Type.Union([Type.String({ maxLength: 16 }), Type.Null()]),
    imageUrl: Type.Union([
      Type.String({
        maxLength: 300_000,
        pattern: '^(/[^/\\\\]|data:image/(png|gif|webp|jpeg);base64,)',
      }),
      Type.Null(),
    ]),
    sound: Type.Union([
      Type.Literal('chime'),
      Type.Literal('coin'),
      Type.Literal('fanfare'),
      Type.Null(),
    ]),
    volume: Type.Number({ minimum: 0, maximum: 1 }),
    animation: AnimationSchema,
    durationMs: Type.Union([Type.Integer({ minimum: 0, maximum: 60_000 }), Type.Null()]),
  },
  { additionalProperties: false },
)

export const AlertVariantsSchema = Type.Array(AlertVariantSchema, { minItems: 1, maxItems: 30 })

export const AlertSettingsSchema = Type.Object(
  {
    durationMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
    gapMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
    minAmountToAlert: DecimalAmount,
    minAmountForMessage: DecimalAmount,
    webMonetizationAlerts: Type.Boolean(),
    blockedWords: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 500 }),
    blockedWordAction: Type.Union([
      Type.Literal('mask'),
      Type.Literal('drop'),
      Type.Literal('hold'),
    ]),
    moderationEnabled: Type.Boolean(),
    autoApproveSeconds: Type.Union([Type.Integer({ minimum: 1, maximum: 3600 }), Type.Null()]),
  },
  { additionalProperties: false },
)

export const AlertSettingsPatchSchema = Type.Partial(AlertSettingsSchema, {
  additionalProperties: false,
})

export const AlertTextPartSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('text'),
    Type.Literal('name'),
    Type.Literal('amount'),
    Type.Literal('tier'),
  ]),
  text: Type.String(),
})

export const OverlayAlertSchema = Type.Object({
  id: Type.Integer(),
  variantId: Type.Union([Type.String(), Type.Null()]),
  headline: Type.Array(AlertTextPartSchema),
  name: Type.String(),
  amountText: Type.String(),
  message: Type.Union([Type.String(), Type.Null()]),
  emoji: Type.Union([Type.String(), Type.Null()]),
  imageUrl: Type.Union([Type.String(), Type.Null()]),
  soundUrl: Type.Union([Type.String(), Type.Null()]),
  volume: Type.Number(),
  animation: AnimationSchema,
  durationMs: Type.Integer(),
  isTest: Type.Boolean(),
})

export const AlertViewSchema = Type.Object({
  id: Type.Integer(),
  supportEventId: Type.Integer(),
  source: Type.Union([
    Type.Literal('tip'),
    Type.Literal('test'),
    Type.Literal('web-monetization'),
    Type.Literal('replay'),
  ]),
  state: Type.Union([
    Type.Literal('held'),
    Type.Literal('queued'),
    Type.Literal('showing'),
    Type.Literal('shown'),
    Type.Literal('skipped'),
    Type.Literal('rejected'),
  ]),
  reason: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.Integer(), Type.Null()]),
  isTest: Type.Boolean(),
  createdAt: Type.String(),
  shownAt: Type.Union([Type.String(), Type.Null()]),
  autoApproveAt: Type.Union([Type.String(), Type.Null()]),
  alert: OverlayAlertSchema,
})

export const AlertQueueSchema = Type.Object({
  paused: Type.Boolean(),
  current: Type.Union([AlertViewSchema, Type.Null()]),
  queued: Type.Array(AlertViewSchema),
  held: Type.Array(AlertViewSchema),
  recent: Type.Array(AlertViewSchema),
})

export const ConnectionsSchema = Type.Object({
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

export const GoalSettingsSchema = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    target: DecimalAmount,
    startAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)

export const LeaderboardSettingsSchema = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    window: Type.Union([
      Type.Literal('stream'),
      Type.Literal('24h'),
      Type.Literal('7d'),
      Type.Literal('30d'),
      Type.Literal('all'),
    ]),
    size: Type.Integer({ minimum: 1, maximum: 20 }),
  },
  { additionalProperties: false },
)

export const TickerSettingsSchema = Type.Object(
  {
    title: Type.String({ maxLength: 80 }),
    size: Type.Integer({ minimum: 1, maximum: 30 }),
  },
  { additionalProperties: false },
)

export const OverlayDisplaySettingsSchema = Type.Object(
  {
    goal: GoalSettingsSchema,
    leaderboard: LeaderboardSettingsSchema,
    ticker: TickerSettingsSchema,
  },
  { additionalProperties: false },
)

export const OverlayDisplayPatchSchema = Type.Object(
  {
    goal: Type.Optional(GoalSettingsSchema),
    leaderboard: Type.Optional(LeaderboardSettingsSchema),
    ticker: Type.Optional(TickerSettingsSchema),
  },
  { additionalProperties: false },
)

export const ErrorBodySchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})
