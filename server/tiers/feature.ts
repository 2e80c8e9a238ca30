import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { tiersAdminRoutes, tiersOverlayRoutes, tiersPublicRoutes } from '../contracts/tiers.js'
import { registerRoutes } from '../http/routes.js'
import type { ViewerSessions } from '../viewers/viewerSessions.js'
import { tiersAdminHandlers, tiersOverlayHandlers, tiersPublicHandlers } from './routes.js'
import type { TierService } from './tierService.js'

export interface TiersFeatureDeps {
  tiers: TierService
  /** The wallet of the tip page's viewer session, so a returning viewer's ladder fits them. */
  viewerSessions: Pick<ViewerSessions, 'walletOf'>
}

/**
 * Tip tiers on every listener: the tier editor and the AI endpoint (admin API), the seed's tier API
 * (`GET /tips/suggest`, `POST /tips`) on the public listener, and the seed's tip-tiers overlay data.
 */
export function createTiersFeature(deps: TiersFeatureDeps): Feature {
  const { tiers } = deps
  return {
    name: 'tiers',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, tiersAdminRoutes, tiersAdminHandlers(tiers))
    },
    publicRoutes(app: FastifyInstance) {
      registerRoutes(app, tiersPublicRoutes, tiersPublicHandlers(tiers, deps.viewerSessions))
    },
    overlayRoutes(app: FastifyInstance) {
      registerRoutes(app, tiersOverlayRoutes, tiersOverlayHandlers(tiers))
    },
  }
}
