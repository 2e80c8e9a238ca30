import { Type } from '@sinclair/typebox'

/**
 * Route schemas of the tip tier API. The gifter path, leaderboards and goals have theirs in
 * server/contracts/gamification.ts.
 */
export { ErrorBody, IdParams } from '../contracts/common.js'

const DecimalInput = Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 40 })])

export const ThemeId = Type.String({ maxLength: 32 })

export const ViewerSegmentSchema = Type.Union([
  Type.Literal('all-viewers'),
  Type.Literal('new-viewers'),
  Type.Literal('returning-supporters'),
  Type.Literal('top-supporters'),
])

export const TipTierSchema = Type.Object({
  id: Type.String(),
  theme: Type.String(),
  amount: Type.Number(),
  currency: Type.String(),
  emoji: Type.String(),
  name: Type.String(),
  perk: Type.String(),
})

export const TipTierSetSchema = Type.Object({
  theme: Type.String(),
  currency: Type.String(),
  tiers: Type.Array(TipTierSchema),
})

export const SuggestQuery = Type.Object({
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  theme: Type.Optional(ThemeId),
  currency: Type.Optional(Type.String({ maxLength: 12 })),
})

export const SuggestBody = Type.Object({
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  viewerSegment: Type.Optional(ViewerSegmentSchema),
  theme: ThemeId,
  currency: Type.String({ maxLength: 12 }),
  minAmount: Type.Optional(DecimalInput),
  maxAmount: Type.Optional(DecimalInput),
  useAI: Type.Optional(Type.Boolean()),
})

export const SuggestionResponse = Type.Intersect([
  TipTierSetSchema,
  Type.Object({ source: Type.Union([Type.Literal('ai'), Type.Literal('builtin')]) }),
])

export const TierInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 48 })),
    emoji: Type.String({ minLength: 1, maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    perk: Type.String({ maxLength: 240 }),
    amount: DecimalInput,
  },
  { additionalProperties: false },
)

export const TierPatchSchema = Type.Object(
  {
    emoji: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    perk: Type.Optional(Type.String({ maxLength: 240 })),
    amount: Type.Optional(DecimalInput),
  },
  { additionalProperties: false },
)

export const TierConfigViewSchema = Type.Object({
  mode: Type.Union([Type.Literal('theme'), Type.Literal('custom')]),
  theme: Type.String(),
  currency: Type.String(),
  assetScale: Type.Integer(),
  tiers: Type.Array(TipTierSchema),
  themes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), emoji: Type.String() })),
  currencies: Type.Array(
    Type.Object({ code: Type.String(), scale: Type.Integer(), name: Type.String() }),
  ),
  customCurrencyMismatch: Type.Boolean(),
})

export const AiSettingsSchema = Type.Object({
  baseUrl: Type.String(),
  model: Type.String(),
  apiKeyConfigured: Type.Boolean(),
})

export const AiSettingsPatch = Type.Object(
  {
    baseUrl: Type.Optional(Type.String({ maxLength: 512 })),
    model: Type.Optional(Type.String({ maxLength: 128 })),
    /** Write-only; null removes it. Never returned. */
    apiKey: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
  },
  { additionalProperties: false },
)
