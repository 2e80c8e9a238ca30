import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Asset } from '../contracts/common.js'
import { decimalToMinor, minorToDecimal, MoneyFormatError } from '../contracts/money.js'
import { tipAdminRoutes, tipPublicRoutes, type TipSettings } from '../contracts/tips.js'
import { registerRoutes } from '../http/routes.js'
import {
  VIEWER_COOKIE,
  VIEWER_SESSION_TTL_MS,
  type ViewerSession,
  type ViewerSessions,
} from '../viewers/viewerSessions.js'
import { TipError, TipErrorCode, tipNotFound } from './errors.js'
import type { TipFlowService } from './tipFlowService.js'
import type { TipPageService } from './tipPageService.js'
import type { TipSettingsService, TipSettingsValue } from './tipSettingsService.js'

export interface TipPublicRouteDeps {
  flows: TipFlowService
  page: TipPageService
  sessions: ViewerSessions
  /** Per IP, per minute, for POST /api/tips. */
  tipsPerIpPerMinute?: number
  /** Per viewer wallet, per minute. */
  tipsPerWalletPerMinute?: number
}

/** The rate-limit key of a tip's viewer wallet, as loosely normalized as typing allows. */
function walletRateKey(request: FastifyRequest): string {
  const wallet = String((request.body as { viewerWallet?: string } | undefined)?.viewerWallet ?? '')
  return `wallet:${wallet.trim().toLowerCase().replace(/^\$/, 'https://').replace(/\/+$/, '')}`
}

/**
 * The tip API on the public listener (JSON only; the tip page, its assets and the callback page are in
 * ./tipPage.ts). Needs @fastify/cookie registered on `app` (the viewer session cookie).
 */
export function registerTipPublicRoutes(app: FastifyInstance, deps: TipPublicRouteDeps): void {
  const checkWalletRate = app.createRateLimit({
    max: deps.tipsPerWalletPerMinute ?? 30,
    timeWindow: 60_000,
    keyGenerator: walletRateKey,
  })

  /** The viewer's session from its cookie; a new one (and its cookie) when asked to create. */
  function viewerSession(
    request: FastifyRequest,
    reply: FastifyReply,
    create: boolean,
  ): ViewerSession | null {
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

  registerRoutes(app, tipPublicRoutes, {
    'GET /api/tip-page': async (request, reply) => {
      const session = viewerSession(request, reply, false)
      const page = await deps.page.describe(
        request.query.streamId ?? null,
        session?.walletAddress ?? null,
      )
      void reply.header('cache-control', 'no-store')
      return page
    },
    'POST /api/tips': {
      config: { rateLimit: { max: deps.tipsPerIpPerMinute ?? 60, timeWindow: 60_000 } },
      handler: async (request, reply) => {
        const limit = await checkWalletRate(request)
        if (!limit.isAllowed && limit.isExceeded) {
          throw new TipError(
            TipErrorCode.RateLimited,
            `Too many tips from this wallet; try again in ${Math.ceil(limit.ttl / 1000)} s.`,
            'viewerWallet',
          )
        }
        const valid = await deps.page.validate(request.body)
        const session = viewerSession(request, reply, true)
        const started = await deps.flows.startTip({
          ...valid,
          viewerSessionId: session?.id ?? null,
        })
        if (session) deps.sessions.rememberWallet(session.id, valid.viewerWallet)
        void reply.code(201).header('cache-control', 'no-store')
        return {
          flowId: started.flowId,
          consentUrl: started.consentUrl,
          statusUrl: `/api/tips/${started.flowId}`,
          amount: started.flow.amount,
          debitAmount: started.flow.debitAmount,
        }
      },
    },
    'GET /api/tips/:flowId': async (request, reply) => {
      const view = deps.flows.view(request.params.flowId)
      if (!view) throw tipNotFound()
      void reply.header('cache-control', 'no-store')
      return view
    },
    'POST /api/tips/:flowId/abandon': async (request, reply) => {
      if (!deps.flows.view(request.params.flowId)) throw tipNotFound()
      void reply.header('cache-control', 'no-store')
      return deps.flows.abandon(request.params.flowId)
    },
  })
}

export interface TipAdminRouteDeps {
  flows: TipFlowService
  settings: TipSettingsService
  /** The streamer's currency: the tip settings' amounts are at its scale. */
  asset(): Asset
}

/** The API's decimal strings for the settings' minor units. */
function toTipSettings(value: TipSettingsValue, asset: Asset): TipSettings {
  return {
    publicName: value.publicName,
    minAmount: minorToDecimal(value.minAmount, asset.assetScale),
    maxAmount: minorToDecimal(value.maxAmount, asset.assetScale),
  }
}

/** A decimal amount of the request body in minor units (400 naming the field when it is not one). */
function parseAmount(body: TipSettings, field: 'minAmount' | 'maxAmount', asset: Asset): bigint {
  try {
    return decimalToMinor(body[field], asset.assetScale)
  } catch (error) {
    if (error instanceof MoneyFormatError)
      throw new TipError(
        TipErrorCode.InvalidAmount,
        `body.${field}: ${error.message}`,
        `body.${field}`,
      )
    throw error
  }
}

/** The tip settings and the recent flows with their state and error, on the admin API. */
export function registerTipAdminRoutes(app: FastifyInstance, deps: TipAdminRouteDeps): void {
  registerRoutes(app, tipAdminRoutes, {
    'GET /tips/settings': async () => {
      const asset = deps.asset()
      return toTipSettings(deps.settings.get(asset), asset)
    },
    'PUT /tips/settings': async (request) => {
      const asset = deps.asset()
      const minAmount = parseAmount(request.body, 'minAmount', asset)
      const maxAmount = parseAmount(request.body, 'maxAmount', asset)
      const stored = deps.settings.update(
        { publicName: request.body.publicName, minAmount, maxAmount },
        asset,
      )
      return toTipSettings(stored, asset)
    },
    'GET /tips/flows': async (request) => ({
      flows: deps.flows.recent(request.query.limit ?? 50),
    }),
  })
}
