/**
 * Web Monetization (DESIGN §6): the report a page sends for each `monetization` event (public
 * listener), and what the admin API gives the Integrations page (the link tag, the Owncast snippet,
 * the live figures, the settings). Reports are hints about where to look; money is only what the app
 * reads on the streamer's wallet. No Node imports.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Amount, ErrorBody, Nullable, OkBody } from './common.js'

/** POST /api/wm/reports: the fields of a `monetization` event, plus who the page says is watching. */
export const WmReportRequest = Type.Object(
  {
    incomingPayment: Type.String({ minLength: 1, maxLength: 500 }),
    /** What the agent says the receiver should get: a claim, never counted. */
    amountSent: Type.Object(
      {
        value: Type.String({ maxLength: 40 }),
        currency: Type.String({ maxLength: 12 }),
      },
      { additionalProperties: false },
    ),
    paymentPointer: Type.String({ minLength: 1, maxLength: 500 }),
    /** The platform's chat user, when the page knows it (Owncast); spoofable, shown as a name only. */
    viewer: Type.Optional(
      Type.Object(
        {
          id: Type.Optional(Type.String({ maxLength: 100 })),
          name: Type.Optional(Type.String({ maxLength: 100 })),
          platform: Type.Optional(Type.String({ maxLength: 20 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type WmReportRequest = Static<typeof WmReportRequest>

export const WmReportResponse = Type.Object({
  /** True when the app watches this incoming payment; the money counts once the wallet confirms it. */
  accepted: Type.Boolean(),
})
export type WmReportResponse = Static<typeof WmReportResponse>

export const WmSettings = Type.Object({
  /** Origins of pages allowed to report (the Owncast page's origin is always allowed). */
  reportOrigins: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
  /** A "streaming supporter" alert each time one viewer's streamed total this stream crosses a step. */
  supporterStep: Type.String({ maxLength: 20 }),
  /** Anonymous streams are summed into one alert per this many seconds. */
  anonymousAlertSeconds: Type.Integer({ minimum: 10, maximum: 3600 }),
  /** Streamed money counts for leaderboards and the gifter path (a viewer named by the page). */
  countForSupporters: Type.Boolean(),
})
export type WmSettings = Static<typeof WmSettings>

export const WmLive = Type.Object({
  /** Incoming payments that received money in the last minute. */
  viewers: Type.Integer(),
  /** Verified Web Monetization money this stream (or today without a live stream). */
  total: Amount,
  streamId: Nullable(Type.String()),
})
export type WmLive = Static<typeof WmLive>

/** GET /api/web-monetization */
export const WebMonetizationResponse = Type.Object({
  /** False until a wallet is set up: there is no address to put in the link. */
  available: Type.Boolean(),
  walletAddress: Nullable(Type.String()),
  linkTag: Type.String(),
  owncastSnippet: Type.String(),
  reportUrl: Type.String(),
  /** The public origin reports go to: what a page's CSP `connect-src` must allow. */
  reportOrigin: Type.String(),
  listAll: Type.Object({ granted: Type.Boolean() }),
  settings: WmSettings,
  live: WmLive,
})
export type WebMonetizationResponse = Static<typeof WebMonetizationResponse>

export const WmListAllResponse = Type.Object({
  /** Where the streamer approves listing their incoming payments (their wallet's consent page). */
  redirect: Type.String(),
})
export type WmListAllResponse = Static<typeof WmListAllResponse>

export const webMonetizationAdminRoutes = {
  'GET /web-monetization': { response: { 200: WebMonetizationResponse } },
  'PUT /web-monetization/settings': {
    body: WmSettings,
    response: { 200: WmSettings, 400: ErrorBody },
  },
  'POST /web-monetization/list-all': {
    response: { 200: WmListAllResponse, 409: ErrorBody, 502: ErrorBody },
  },
  'DELETE /web-monetization/list-all': { response: { 200: OkBody } },
} as const

export const webMonetizationPublicRoutes = {
  'POST /api/wm/reports': {
    body: WmReportRequest,
    response: {
      202: WmReportResponse,
      400: ErrorBody,
      403: ErrorBody,
      409: ErrorBody,
      422: ErrorBody,
      429: ErrorBody,
    },
  },
} as const
