/**
 * The tip API: the public listener's tip page data, tip start and tip status, and the admin API's tip
 * settings and recent flows. Each shape is a TypeBox schema with its type derived beside it; the route
 * tables tie them to their paths. Shared by the server's routes, the renderer's client (type-only) and
 * the tip page (JSDoc imports in server/tips/client). No Node imports.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Amount, Asset, ErrorBody, Nullable } from './common.js'

/** The persisted state machine of one tip (DESIGN §5). */
export const TipFlowState = Type.Union([
  Type.Literal('created'),
  Type.Literal('awaiting_consent'),
  Type.Literal('authorized'),
  Type.Literal('paying'),
  Type.Literal('completed'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
  Type.Literal('failed'),
])
export type TipFlowState = Static<typeof TipFlowState>

export const FINAL_TIP_STATES: readonly TipFlowState[] = [
  'completed',
  'rejected',
  'expired',
  'failed',
]

export const TipPageTier = Type.Object({
  id: Type.String(),
  name: Type.String(),
  emoji: Type.String(),
  perk: Type.String(),
  amount: Amount,
})
export type TipPageTier = Static<typeof TipPageTier>

export const TipPageQuery = Type.Object({
  streamId: Type.Optional(Type.String({ maxLength: 200 })),
})
export type TipPageQuery = Static<typeof TipPageQuery>

/** GET /api/tip-page?streamId= */
export const TipPageResponse = Type.Object({
  publicName: Type.String(),
  asset: Asset,
  tiers: Type.Array(TipPageTier),
  minAmount: Amount,
  maxAmount: Amount,
  /** False while no wallet is set up: the page explains that tips are not available yet. */
  available: Type.Boolean(),
  /** The wallet this viewer used last (cookie-bound session, 30 minutes). */
  rememberedWallet: Nullable(Type.String()),
  limits: Type.Object({ name: Type.Integer(), message: Type.Integer() }),
  /** When tips go to the sandbox wallet (play money): viewer wallets to try. */
  sandboxWallets: Nullable(Type.Array(Type.String())),
})
export type TipPageResponse = Static<typeof TipPageResponse>

/** POST /api/tips */
export const StartTipRequest = Type.Object(
  {
    tierId: Type.Optional(Type.String({ maxLength: 100 })),
    /** Decimal amount in the streamer's currency ("2.50"), when no tier is picked. */
    amount: Type.Optional(
      Type.Union([Type.String({ maxLength: 32 }), Type.Number({ minimum: 0 })]),
    ),
    viewerWallet: Type.String({ maxLength: 500 }),
    // Lengths are checked after trimming (a 400 naming the field); these caps only bound the body.
    name: Type.Optional(Type.String({ maxLength: 256 })),
    message: Type.Optional(Type.String({ maxLength: 2000 })),
    streamId: Type.Optional(Type.String({ maxLength: 200 })),
    /**
     * The chat user id Owncast (0.3+) gives the External Action (`?userId=`), so a tip can be tied to
     * the chat user; spoofable like `username`, so it only links, it never proves.
     */
    chatUserId: Type.Optional(Type.String({ maxLength: 64 })),
    /** The Owncast page the External Action was opened from (`?instance=`). */
    chatInstance: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type StartTipRequest = Static<typeof StartTipRequest>

export const StartTipResponse = Type.Object({
  flowId: Type.String(),
  consentUrl: Type.String(),
  statusUrl: Type.String(),
  /** What the streamer receives (the tier's or the typed amount). */
  amount: Amount,
  /**
   * What the viewer's wallet will charge, in the viewer's currency, from its quote: more than `amount`
   * when the wallet takes a fee or converts currency. Shown to the viewer before the wallet opens.
   */
  debitAmount: Nullable(Amount),
})
export type StartTipResponse = Static<typeof StartTipResponse>

/** GET /api/tips/:flowId */
export const TipFlowView = Type.Object({
  flowId: Type.String(),
  state: TipFlowState,
  amount: Amount,
  /** What the viewer's wallet debits, in the viewer's currency, fees included (from the quote). */
  debitAmount: Nullable(Amount),
  tierId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  message: Nullable(Type.String()),
  /** The Owncast chat user the tip page was opened for, when Owncast passed one. */
  chatUserId: Nullable(Type.String()),
  consentUrl: Nullable(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  expiresAt: Nullable(Type.String()),
})
export type TipFlowView = Static<typeof TipFlowView>

export const TipFlowParams = Type.Object({
  flowId: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }),
})
export type TipFlowParams = Static<typeof TipFlowParams>

/** The wallet's finish redirect (DESIGN §5 step 5): `?hash=&interact_ref=` or `?result=`. */
export const TipCallbackQuery = Type.Object({
  hash: Type.Optional(Type.String({ maxLength: 200 })),
  interact_ref: Type.Optional(Type.String({ maxLength: 200 })),
  result: Type.Optional(Type.String({ maxLength: 64 })),
})
export type TipCallbackQuery = Static<typeof TipCallbackQuery>

/** GET/PUT /api/tips/settings (admin) */
export const TipSettings = Type.Object(
  {
    /** Shown on the tip page; the wallet's publicName when empty. */
    publicName: Type.String({ maxLength: 64 }),
    /** Decimal amounts in the streamer's currency (the API's edge; minor units inside). */
    minAmount: Type.String({ minLength: 1, maxLength: 32 }),
    maxAmount: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
)
export type TipSettings = Static<typeof TipSettings>

export const TipFlowsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})
export type TipFlowsQuery = Static<typeof TipFlowsQuery>

/** GET /api/tips/flows (admin): the newest tip flows. */
export const TipFlowsResponse = Type.Object({ flows: Type.Array(TipFlowView) })
export type TipFlowsResponse = Static<typeof TipFlowsResponse>

/** The tip API on the public listener (rate-limited, body-limited, schema-validated). */
export const tipPublicRoutes = {
  'GET /api/tip-page': {
    querystring: TipPageQuery,
    response: { 200: TipPageResponse, 400: ErrorBody },
  },
  'POST /api/tips': {
    body: StartTipRequest,
    response: {
      201: StartTipResponse,
      400: ErrorBody,
      409: ErrorBody,
      422: ErrorBody,
      429: ErrorBody,
      502: ErrorBody,
    },
  },
  'GET /api/tips/:flowId': {
    params: TipFlowParams,
    response: { 200: TipFlowView, 400: ErrorBody, 404: ErrorBody },
  },
  /** "Start over": ends a flow still waiting for consent and cancels its grant at the wallet. */
  'POST /api/tips/:flowId/abandon': {
    params: TipFlowParams,
    response: { 200: TipFlowView, 400: ErrorBody, 404: ErrorBody },
  },
} as const

/** The tip settings and the recent flows, on the admin API (local listener, under /api). */
export const tipAdminRoutes = {
  'GET /tips/settings': { response: { 200: TipSettings } },
  'PUT /tips/settings': { body: TipSettings, response: { 200: TipSettings, 400: ErrorBody } },
  'GET /tips/flows': {
    querystring: TipFlowsQuery,
    response: { 200: TipFlowsResponse, 400: ErrorBody },
  },
} as const
