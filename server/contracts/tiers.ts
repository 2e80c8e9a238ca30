/**
 * The tip tiers API: the seed's TipTierSet and tier suggestions (public listener), the streamer's tier
 * editor and the AI endpoint (admin API), and the tip-tiers overlay data. Amounts are decimals at this
 * edge only (the seed's shape); inside the server they are exact minor units (DESIGN §4). Type-only safe
 * for the renderer and the browser clients.
 */
import { Type, type Static } from '@sinclair/typebox'
import { ClientErrors, DecimalInput, ErrorBody, IdParams } from './common.js'

/** The themes the app ships (server/tiers/themes.ts holds their ladders). */
export const TipTheme = Type.Union([
  Type.Literal('fun'),
  Type.Literal('fantasy'),
  Type.Literal('sci-fi'),
  Type.Literal('gaming'),
  Type.Literal('retro'),
  Type.Literal('space'),
  Type.Literal('nature'),
  Type.Literal('food'),
  Type.Literal('music'),
  Type.Literal('crypto'),
])
export type TipTheme = Static<typeof TipTheme>

/**
 * A theme as a request names it: any short string, so an unknown one gets the tier API's own
 * `unknown_theme` answer listing the themes rather than a schema error.
 */
export const ThemeId = Type.String({ maxLength: 32 })

export const ViewerSegment = Type.Union([
  Type.Literal('all-viewers'),
  Type.Literal('new-viewers'),
  Type.Literal('returning-supporters'),
  Type.Literal('top-supporters'),
])
export type ViewerSegment = Static<typeof ViewerSegment>

/** One tier of the seed's TipTierSet. */
export const TipTier = Type.Object({
  id: Type.String(),
  theme: Type.String(),
  /** Decimal amount in `currency`, exact at the currency's asset scale. */
  amount: Type.Number(),
  currency: Type.String(),
  emoji: Type.String(),
  name: Type.String(),
  perk: Type.String(),
})
export type TipTier = Static<typeof TipTier>

/** The seed's TipTierSet: what the tip page, the tip-tiers overlay and the seed API show. */
export const TipTierSet = Type.Object({
  theme: Type.String(),
  currency: Type.String(),
  tiers: Type.Array(TipTier),
})
export type TipTierSet = Static<typeof TipTierSet>

/** `GET /tips/suggest`: the streamer's tiers, or a theme's ladder in another theme or currency. */
export const SuggestQuery = Type.Object({
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  theme: Type.Optional(ThemeId),
  currency: Type.Optional(Type.String({ maxLength: 12 })),
})
export type SuggestQuery = Static<typeof SuggestQuery>

/** The seed's `POST /tips` body (public listener) and the admin suggest body. */
export const SuggestBody = Type.Object({
  streamId: Type.Optional(Type.String({ maxLength: 128 })),
  viewerSegment: Type.Optional(ViewerSegment),
  theme: ThemeId,
  currency: Type.String({ maxLength: 12 }),
  /** Decimal bounds in `currency`. */
  minAmount: Type.Optional(DecimalInput),
  maxAmount: Type.Optional(DecimalInput),
  useAI: Type.Optional(Type.Boolean()),
})
export type SuggestBody = Static<typeof SuggestBody>

/** Where a suggestion's names come from: the configured model, or the built-in themes. */
export const SuggestionSource = Type.Union([Type.Literal('ai'), Type.Literal('builtin')])
export type SuggestionSource = Static<typeof SuggestionSource>

export const SuggestionResponse = Type.Intersect([
  TipTierSet,
  Type.Object({ source: SuggestionSource }),
])
export type SuggestionResponse = Static<typeof SuggestionResponse>

export const CurrencyInfo = Type.Object({
  code: Type.String(),
  scale: Type.Integer(),
  name: Type.String(),
})
export type CurrencyInfo = Static<typeof CurrencyInfo>

export const ThemeInfo = Type.Object({ id: TipTheme, name: Type.String(), emoji: Type.String() })
export type ThemeInfo = Static<typeof ThemeInfo>

/** The streamer's tiers as the Settings page edits them. */
export const TierConfigView = Type.Object({
  /** 'theme': the built-in ladder of `theme`; 'custom': the streamer's edited list. */
  mode: Type.Union([Type.Literal('theme'), Type.Literal('custom')]),
  theme: TipTheme,
  currency: Type.String(),
  assetScale: Type.Integer(),
  tiers: Type.Array(TipTier),
  themes: Type.Array(ThemeInfo),
  currencies: Type.Array(CurrencyInfo),
  /** Custom tiers were saved in another currency than the wallet's: the theme ladder is shown instead. */
  customCurrencyMismatch: Type.Boolean(),
})
export type TierConfigView = Static<typeof TierConfigView>

/** One tier as the streamer enters it. */
export const TierInput = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 48 })),
    emoji: Type.String({ minLength: 1, maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    perk: Type.String({ maxLength: 240 }),
    /** Decimal amount in the streamer's currency. */
    amount: DecimalInput,
  },
  { additionalProperties: false },
)
export type TierInput = Static<typeof TierInput>

export const TierPatch = Type.Object(
  {
    emoji: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    perk: Type.Optional(Type.String({ maxLength: 240 })),
    amount: Type.Optional(DecimalInput),
  },
  { additionalProperties: false },
)
export type TierPatch = Static<typeof TierPatch>

export const TiersReplaceBody = Type.Object(
  {
    theme: Type.Optional(ThemeId),
    tiers: Type.Array(TierInput, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
)
export type TiersReplaceBody = Static<typeof TiersReplaceBody>

export const ThemePickBody = Type.Object({ theme: ThemeId }, { additionalProperties: false })
export type ThemePickBody = Static<typeof ThemePickBody>

/** A new tier, inserted at `position` (appended when absent). */
export const TierAddBody = Type.Object(
  {
    ...TierInput.properties,
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  },
  { additionalProperties: false },
)
export type TierAddBody = Static<typeof TierAddBody>

export const TierOrderBody = Type.Object(
  { ids: Type.Array(Type.String({ maxLength: 48 }), { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
)
export type TierOrderBody = Static<typeof TierOrderBody>

export const AiSettingsView = Type.Object({
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama); empty = off. */
  baseUrl: Type.String(),
  model: Type.String(),
  apiKeyConfigured: Type.Boolean(),
})
export type AiSettingsView = Static<typeof AiSettingsView>

export const AiSettingsPatch = Type.Object(
  {
    baseUrl: Type.Optional(Type.String({ maxLength: 512 })),
    model: Type.Optional(Type.String({ maxLength: 128 })),
    /** Write-only; null removes it. Never returned. */
    apiKey: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
  },
  { additionalProperties: false },
)
export type AiSettingsPatch = Static<typeof AiSettingsPatch>

/** The tip-tiers overlay's query: the overlay key is checked by the overlay scope. */
export const TipTiersOverlayQuery = Type.Object({
  streamId: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
})
export type TipTiersOverlayQuery = Static<typeof TipTiersOverlayQuery>

/** The tier editor and the AI endpoint (admin API, under /api). */
export const tiersAdminRoutes = {
  'GET /gamification/tiers': { response: { 200: TierConfigView } },
  'PUT /gamification/tiers': {
    body: TiersReplaceBody,
    response: { 200: TierConfigView, ...ClientErrors },
  },
  'PUT /gamification/tiers/theme': {
    body: ThemePickBody,
    response: { 200: TierConfigView, ...ClientErrors },
  },
  'POST /gamification/tiers/items': {
    body: TierAddBody,
    response: { 201: TierConfigView, ...ClientErrors },
  },
  'PATCH /gamification/tiers/items/:id': {
    params: IdParams,
    body: TierPatch,
    response: { 200: TierConfigView, ...ClientErrors },
  },
  'DELETE /gamification/tiers/items/:id': {
    params: IdParams,
    response: { 200: TierConfigView, ...ClientErrors },
  },
  'PUT /gamification/tiers/order': {
    body: TierOrderBody,
    response: { 200: TierConfigView, ...ClientErrors },
  },
  'POST /gamification/tiers/reset': { response: { 200: TierConfigView } },
  'POST /gamification/tiers/suggest': {
    body: SuggestBody,
    response: { 200: SuggestionResponse, ...ClientErrors },
  },
  /** The API key is write-only: only "configured" comes back. */
  'GET /gamification/ai': { response: { 200: AiSettingsView } },
  'PUT /gamification/ai': {
    body: AiSettingsPatch,
    response: { 200: AiSettingsView, ...ClientErrors },
  },
} as const

/** The seed's tier API (public listener). */
export const tiersPublicRoutes = {
  'GET /tips/suggest': {
    querystring: SuggestQuery,
    response: { 200: TipTierSet, 400: ErrorBody },
  },
  'POST /tips': { body: SuggestBody, response: { 200: TipTierSet, 400: ErrorBody } },
} as const

/** The seed's tip-tiers overlay data (local listener, overlay key checked). */
export const tiersOverlayRoutes = {
  'GET /plugins/wm/overlay/tip-tiers': {
    querystring: TipTiersOverlayQuery,
    response: { 200: TipTierSet },
  },
} as const
