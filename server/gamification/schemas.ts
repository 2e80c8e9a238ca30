import { Type } from '@sinclair/typebox'

/** Route schemas of the gamification API (issue 5); they mirror server/contracts/gamification.ts. */

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})

export const AmountSchema = Type.Object({
  value: Type.String(),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})

const DecimalInput = Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 40 })])

export const GifterPathConfigSchema = Type.Object(
  {
    levelCount: Type.Integer({ minimum: 3, maximum: 50 }),
    baseThreshold: Type.String({ maxLength: 40, pattern: '^\\d+(\\.\\d+)?$' }),
    growthFactor: Type.String({ maxLength: 12, pattern: '^\\d+(\\.\\d+)?$' }),
    naming: Type.Union([
      Type.Literal('ranks'),
      Type.Literal('fantasy'),
      Type.Literal('sci-fi'),
      Type.Literal('custom'),
    ]),
    icons: Type.Union([Type.Literal('minimal'), Type.Literal('emoji'), Type.Literal('badges')]),
    colors: Type.Union([Type.Literal('pastel'), Type.Literal('vibrant'), Type.Literal('dark')]),
    customNames: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
)

export const GifterLevelSchema = Type.Object({
  level: Type.Integer(),
  name: Type.String(),
  icon: Type.String(),
  color: Type.String(),
  threshold: AmountSchema,
  thresholdAmount: Type.Number(),
})

export const GifterPathViewSchema = Type.Object({
  config: GifterPathConfigSchema,
  levels: Type.Array(GifterLevelSchema),
})

export const SupporterProgressSchema = Type.Object({
  supporterId: Type.String(),
  label: Type.String(),
  displayName: Type.String(),
  total: AmountSchema,
  supportCount: Type.Integer(),
  currentLevel: Type.Union([GifterLevelSchema, Type.Null()]),
  nextLevel: Type.Union([GifterLevelSchema, Type.Null()]),
  fraction: Type.Number(),
  remaining: Type.Union([AmountSchema, Type.Null()]),
  unlocked: Type.Array(Type.Integer()),
})

export const LeaderboardQuerySchema = Type.Object({
  window: Type.Optional(
    Type.Union([
      Type.Literal('stream'),
      Type.Literal('7d'),
      Type.Literal('30d'),
      Type.Literal('all'),
    ]),
  ),
  by: Type.Optional(Type.Union([Type.Literal('total'), Type.Literal('count')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  key: Type.Optional(Type.String()),
})

export const LeaderboardViewSchema = Type.Object({
  window: Type.String(),
  by: Type.String(),
  streamId: Type.Union([Type.String(), Type.Null()]),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
  since: Type.Union([Type.String(), Type.Null()]),
  entries: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      supporterId: Type.String(),
      displayName: Type.String(),
      label: Type.String(),
      total: AmountSchema,
      supportCount: Type.Integer(),
      lastSupportAt: Type.String(),
    }),
  ),
})

export const GoalInputSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    target: DecimalInput,
    startsAt: Type.Optional(Type.String({ maxLength: 40 })),
    endsAt: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const GoalPatchSchema = Type.Partial(GoalInputSchema, { additionalProperties: false })

export const GoalViewSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  target: AmountSchema,
  raised: AmountSchema,
  fraction: Type.Number(),
  supportCount: Type.Integer(),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  reached: Type.Boolean(),
  reachedAt: Type.Union([Type.String(), Type.Null()]),
})

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const SupporterParams = Type.Object({
  supporterId: Type.String({ minLength: 1, maxLength: 64 }),
})
