import { fastifyCookie } from '@fastify/cookie'
import type { tiersAdminRoutes, tiersOverlayRoutes, tiersPublicRoutes } from '../contracts/tiers.js'
import type { RouteHandlers } from '../http/routes.js'
import { VIEWER_COOKIE, type ViewerSessions } from '../viewers/viewerSessions.js'
import type { TierService } from './tierService.js'

export function tiersAdminHandlers(tiers: TierService): RouteHandlers<typeof tiersAdminRoutes> {
  return {
    'GET /gamification/tiers': async () => tiers.configView(),
    'PUT /gamification/tiers': async (request) =>
      tiers.replaceTiers(request.body.tiers, request.body.theme),
    'PUT /gamification/tiers/theme': async (request) => tiers.pickTheme(request.body.theme),
    'POST /gamification/tiers/items': async (request, reply) => {
      const { position, ...input } = request.body
      return reply.code(201).send(tiers.addTier(input, position))
    },
    'PATCH /gamification/tiers/items/:id': async (request) =>
      tiers.updateTier(request.params.id, request.body),
    'DELETE /gamification/tiers/items/:id': async (request) => tiers.removeTier(request.params.id),
    'PUT /gamification/tiers/order': async (request) => tiers.reorder(request.body.ids),
    'POST /gamification/tiers/reset': async () => tiers.resetToTheme(),
    'POST /gamification/tiers/suggest': async (request) => {
      const suggestion = await tiers.suggest(request.body)
      return { ...suggestion.set, source: suggestion.source }
    },
    'GET /gamification/ai': async () => tiers.aiSettings(),
    'PUT /gamification/ai': async (request) => tiers.setAiSettings(request.body),
  }
}

export function tiersPublicHandlers(
  tiers: TierService,
  viewerSessions: Pick<ViewerSessions, 'walletOf'>,
): RouteHandlers<typeof tiersPublicRoutes> {
  return {
    'GET /tips/suggest': async (request) => tiers.tiersFor(request.query),
    'POST /tips': {
      // Each AI-backed request may cost the streamer a model call: keep it well below the listener's limit.
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      handler: async (request, reply) => {
        // A returning viewer's ladder starts near their usual tip, but only for the viewer's own
        // session: a wallet named in the body would let anyone probe another supporter's habits.
        const viewerWallet = viewerSessions.walletOf(
          fastifyCookie.parse(request.headers.cookie ?? '')[VIEWER_COOKIE],
        )
        const { viewerWallet: _fromBody, ...body } = request.body as typeof request.body & {
          viewerWallet?: unknown
        }
        const suggestion = await tiers.suggest({
          ...body,
          ...(viewerWallet ? { viewerWallet } : {}),
        })
        void reply.header('x-tier-source', suggestion.source)
        return suggestion.set
      },
    },
  }
}

/** The overlay's `streamId` is accepted for the seed's URL; one streamer has one set of tiers. */
export function tiersOverlayHandlers(tiers: TierService): RouteHandlers<typeof tiersOverlayRoutes> {
  return { 'GET /plugins/wm/overlay/tip-tiers': async () => tiers.current() }
}
