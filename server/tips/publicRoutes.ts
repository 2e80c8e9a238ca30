import fs from 'node:fs'
import path from 'node:path'
import cookie from '@fastify/cookie'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { StreamerAsset } from '../app/infrastructure.js'
import { HttpError } from '../http/errors.js'
import { escapeHtml } from '../http/html.js'
import { decimalToMinor, makeAmount, MoneyFormatError } from '../contracts/money.js'
import type { StartTipResponse, TipFlowView, TipPageResponse } from '../contracts/tips.js'
import {
  VIEWER_COOKIE,
  VIEWER_SESSION_TTL_MS,
  type ViewerSessions,
} from '../viewers/viewerSessions.js'
import type { WalletService } from '../wallet/walletService.js'
import { TipError, TipErrorCode } from './errors.js'
import type { TipFlowService } from './tipFlowService.js'
import type { TipSettingsStore } from './tipSettings.js'
import { MESSAGE_MAX, NAME_MAX, validateTipRequest } from './validation.js'
import type { TipTierSet } from '../contracts/tiers.js'

export interface TipRouteDeps {
  service: TipFlowService
  wallets: WalletService
  sessions: ViewerSessions
  settings: TipSettingsStore
  tiers(streamId: string | null): TipTierSet
  asset(): StreamerAsset
  publicUrl(): string
  clientDir: string
  /** Per IP, per minute, for POST /api/tips. */
  tipsPerIpPerMinute?: number
  /** Per viewer wallet, per minute. */
  tipsPerWalletPerMinute?: number
}

const AmountSchema = Type.Object({
  value: Type.String(),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})
const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})
const Asset = Type.Object({ assetCode: Type.String(), assetScale: Type.Integer() })
const TipPageSchema = Type.Object({
  publicName: Type.String(),
  asset: Asset,
  tiers: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      emoji: Type.String(),
      perk: Type.String(),
      amount: AmountSchema,
    }),
  ),
  minAmount: AmountSchema,
  maxAmount: AmountSchema,
  available: Type.Boolean(),
  rememberedWallet: Type.Union([Type.String(), Type.Null()]),
  limits: Type.Object({ name: Type.Integer(), message: Type.Integer() }),
  sandboxWallets: Type.Union([Type.Array(Type.String()), Type.Null()]),
})
const TipPageQuery = Type.Object({ streamId: Type.Optional(Type.String({ maxLength: 200 })) })
const StartTipBody = Type.Object(
  {
    tierId: Type.Optional(Type.String({ maxLength: 100 })),
    amount: Type.Optional(
      Type.Union([Type.String({ maxLength: 32 }), Type.Number({ minimum: 0 })]),
    ),
    viewerWallet: Type.String({ maxLength: 500 }),
    // Lengths are checked after trimming (a 400 naming the field); these caps only bound the body.
    name: Type.Optional(Type.String({ maxLength: 256 })),
    message: Type.Optional(Type.String({ maxLength: 2000 })),
    streamId: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
const StartTipSchema = Type.Object({
  flowId: Type.String(),
  consentUrl: Type.String(),
  statusUrl: Type.String(),
})
export const TipFlowSchema = Type.Object({
  flowId: Type.String(),
  state: Type.Union(
    [
      'created',
      'awaiting_consent',
      'authorized',
      'paying',
      'completed',
      'rejected',
      'expired',
      'failed',
    ].map((s) => Type.Literal(s)),
  ),
  amount: AmountSchema,
  debitAmount: Type.Union([AmountSchema, Type.Null()]),
  tierId: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  consentUrl: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
})
const FlowParams = Type.Object({ flowId: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) })
const CallbackQuery = Type.Object({
  hash: Type.Optional(Type.String({ maxLength: 200 })),
  interact_ref: Type.Optional(Type.String({ maxLength: 200 })),
  result: Type.Optional(Type.String({ maxLength: 64 })),
})

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  // Owncast shows the tip page in an External Action iframe from the streamer's own domain (DESIGN §7).
  'frame-ancestors http: https:',
].join('; ')
const CALLBACK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const ASSETS: Record<string, string> = {
  'tip.js': 'text/javascript; charset=utf-8',
  'tip.css': 'text/css; charset=utf-8',
  'callback.js': 'text/javascript; charset=utf-8',
  'widget.js': 'text/javascript; charset=utf-8',
}

const STATE_TEXT: Record<string, { title: string; body: string }> = {
  authorized: {
    title: 'Approved',
    body: 'Your wallet approved the tip. The payment is on its way.',
  },
  paying: { title: 'Sending', body: 'The payment is on its way.' },
  completed: { title: 'Thank you!', body: 'Your tip arrived.' },
  rejected: {
    title: 'Tip cancelled',
    body: 'You declined the payment in your wallet. Nothing was paid.',
  },
  expired: {
    title: 'Too late',
    body: 'The approval took too long. Nothing was paid; start a new tip.',
  },
  failed: { title: 'Tip failed', body: 'Nothing was paid. Start a new tip.' },
  awaiting_consent: { title: 'Waiting for your wallet', body: 'Approve the tip in your wallet.' },
  created: { title: 'Preparing', body: 'The tip is being prepared.' },
}

/** The public tip API, the tip page, the callback page and the widget (issue 3 items 5-6). */
export async function registerTipPublicRoutes(
  app: FastifyInstance,
  deps: TipRouteDeps,
): Promise<void> {
  await app.register(cookie)
  const assets = new Map<string, Buffer>()
  const asset = (name: string): Buffer => {
    let content = assets.get(name)
    if (!content) {
      content = fs.readFileSync(path.join(deps.clientDir, name))
      assets.set(name, content)
    }
    return content
  }
  const checkWalletRate = app.createRateLimit({
    max: deps.tipsPerWalletPerMinute ?? 30,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) =>
      `wallet:${String((request.body as { viewerWallet?: string } | undefined)?.viewerWallet ?? '')
        .trim()
        .toLowerCase()
        .replace(/^\$/, 'https://')
        .replace(/\/+$/, '')}`,
  })

  function viewerSession(request: FastifyRequest, reply: FastifyReply, create: boolean) {
    const existing = deps.sessions.touch(request.cookies[VIEWER_COOKIE])
    if (existing || !create) return existing
    const { cookieValue, session } = deps.sessions.create()
    const secure = request.protocol === 'https'
    void reply.setCookie(VIEWER_COOKIE, cookieValue, {
      httpOnly: true,
      path: '/',
      maxAge: Math.floor(VIEWER_SESSION_TTL_MS / 1000),
      // Inside Owncast's iframe the page is third-party: only SameSite=None cookies reach it (https only).
      sameSite: secure ? 'none' : 'lax',
      secure,
    })
    return session
  }

  function amountOf(value: bigint, a: StreamerAsset) {
    return makeAmount(value, a.assetCode, a.assetScale)
  }

  app.get<{ Querystring: Static<typeof TipPageQuery> }>(
    '/api/tip-page',
    { schema: { querystring: TipPageQuery, response: { 200: TipPageSchema, 400: ErrorBody } } },
    async (request, reply): Promise<TipPageResponse> => {
      const setup = deps.wallets.status()
      let streamerAsset = deps.asset()
      let publicName = deps.settings.get(streamerAsset).publicName
      if (setup.configured) {
        // The wallet address document is cached; this keeps the asset right after a wallet change.
        const streamer = await deps.wallets.streamerWallet().catch(() => null)
        if (streamer) {
          streamerAsset = { assetCode: streamer.doc.assetCode, assetScale: streamer.doc.assetScale }
          publicName ||= streamer.doc.publicName ?? ''
        }
      }
      const limits = deps.settings.limits(streamerAsset)
      const tiers = deps.tiers(request.query.streamId ?? null)
      const session = viewerSession(request, reply, false)
      void reply.header('cache-control', 'no-store')
      return {
        publicName: publicName || 'the streamer',
        asset: streamerAsset,
        tiers: tiers.tiers
          .filter((tier) => tier.currency === streamerAsset.assetCode)
          .flatMap((tier) => {
            try {
              const value = decimalToMinor(tier.amount, streamerAsset.assetScale)
              return [
                {
                  id: tier.id,
                  name: tier.name,
                  emoji: tier.emoji,
                  perk: tier.perk,
                  amount: amountOf(value, streamerAsset),
                },
              ]
            } catch (error) {
              if (error instanceof MoneyFormatError) return []
              throw error
            }
          }),
        minAmount: amountOf(limits.minAmount, streamerAsset),
        maxAmount: amountOf(limits.maxAmount, streamerAsset),
        available: setup.configured,
        rememberedWallet: session?.walletAddress ?? null,
        limits: { name: NAME_MAX, message: MESSAGE_MAX },
        sandboxWallets: deps.wallets.sandboxViewers(),
      }
    },
  )

  app.post<{ Body: Static<typeof StartTipBody> }>(
    '/api/tips',
    {
      schema: {
        body: StartTipBody,
        response: {
          201: StartTipSchema,
          400: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          429: ErrorBody,
          502: ErrorBody,
        },
      },
      config: { rateLimit: { max: deps.tipsPerIpPerMinute ?? 60, timeWindow: 60_000 } },
    },
    async (request, reply): Promise<StartTipResponse> => {
      const limit = await checkWalletRate(request)
      if (!limit.isAllowed && limit.isExceeded) {
        throw new TipError(
          TipErrorCode.RateLimited,
          `Too many tips from this wallet; try again in ${Math.ceil(limit.ttl / 1000)} s.`,
          'viewerWallet',
        )
      }
      const streamer = await deps.wallets.streamerWallet().catch((error: unknown) => {
        throw new TipError(
          TipErrorCode.StreamerWalletUnavailable,
          `The streamer's wallet cannot be reached right now (${(error as Error).message}); try again in a minute.`,
        )
      })
      if (!streamer) {
        throw new TipError(
          TipErrorCode.WalletNotConfigured,
          'The streamer has not set up a wallet yet, so tips are not available.',
        )
      }
      const streamerAsset = {
        assetCode: streamer.doc.assetCode,
        assetScale: streamer.doc.assetScale,
      }
      const valid = validateTipRequest(
        request.body,
        deps.tiers(request.body.streamId ?? null),
        { asset: streamerAsset, ...deps.settings.limits(streamerAsset) },
        (input, field) => deps.wallets.normalize(input, field),
      )
      const session = viewerSession(request, reply, true)
      const started = await deps.service.startTip({
        ...valid,
        viewerSessionId: session?.id ?? null,
      })
      if (session) deps.sessions.rememberWallet(session.id, valid.viewerWallet)
      void reply.code(201).header('cache-control', 'no-store')
      return {
        flowId: started.flowId,
        consentUrl: started.consentUrl,
        statusUrl: `/api/tips/${started.flowId}`,
      }
    },
  )

  app.get<{ Params: Static<typeof FlowParams> }>(
    '/api/tips/:flowId',
    {
      schema: {
        params: FlowParams,
        response: { 200: TipFlowSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply): Promise<TipFlowView> => {
      const view = deps.service.view(request.params.flowId)
      if (!view)
        throw new TipError(TipErrorCode.FlowNotFound, 'There is no tip with this id.', 'flowId')
      void reply.header('cache-control', 'no-store')
      return view
    },
  )

  app.get<{ Params: Static<typeof FlowParams>; Querystring: Static<typeof CallbackQuery> }>(
    '/tip/callback/:flowId',
    { schema: { params: FlowParams, querystring: CallbackQuery } },
    async (request, reply) => {
      let view: TipFlowView | undefined
      let status = 200
      try {
        view = deps.service.handleCallback(request.params.flowId, request.query)
      } catch (error) {
        if (!(error instanceof TipError)) throw error
        status = error.statusCode
      }
      const state = view?.state ?? 'failed'
      const text = STATE_TEXT[state] ?? { title: 'Tip', body: '' }
      const detail = view?.error?.message ?? (view ? text.body : 'This tip is unknown.')
      const targetOrigin = new URL(deps.publicUrl()).origin
      const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)}</title><link rel="stylesheet" href="/tip/assets/tip.css"></head>
<body class="callback" data-flow-id="${escapeHtml(view?.flowId ?? '')}" data-state="${escapeHtml(state)}" data-origin="${escapeHtml(targetOrigin)}">
<main class="card"><h1 class="state-${escapeHtml(state)}">${escapeHtml(text.title)}</h1><p>${escapeHtml(detail)}</p>
<p class="hint">You can close this window.</p></main>
<script type="module" src="/tip/assets/callback.js"></script></body></html>`
      return reply
        .code(status)
        .header('content-security-policy', CALLBACK_CSP)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(html)
    },
  )

  const sendPage = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(asset('tip.html'))
  app.get('/tip', sendPage)
  app.get('/tip/', sendPage)

  app.get<{ Params: { file: string } }>('/tip/assets/:file', async (request, reply) => {
    const type = ASSETS[request.params.file]
    if (!type) throw new HttpError(404, 'not_found', 'No such file.')
    return reply.header('cache-control', 'no-cache').type(type).send(asset(request.params.file))
  })
  // The <wm-tip-panel> script: any page may load it (it only embeds the tip page in an iframe).
  app.get('/tip/widget.js', async (_request, reply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .type(ASSETS['widget.js']!)
      .send(asset('widget.js')),
  )
}

const RecentQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

/** Recent tip flows with their state and error, for the dashboard (admin API on the local listener). */
export function registerTipAdminRoutes(app: FastifyInstance, service: TipFlowService): void {
  app.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/tips/flows',
    {
      schema: {
        querystring: RecentQuery,
        response: { 200: Type.Object({ flows: Type.Array(TipFlowSchema) }), 400: ErrorBody },
      },
    },
    async (request) => ({ flows: service.recent(request.query.limit ?? 50) }),
  )
}
