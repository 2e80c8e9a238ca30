import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { analyticsAdminRoutes, analyticsOverlayRoutes } from '../contracts/analytics.js'
import { registerRoutes } from '../http/routes.js'
import {
  analyticsAdminHandlers,
  analyticsOverlayHandlers,
  type AnalyticsRouteDeps,
} from './routes.js'

export type AnalyticsFeatureDeps = AnalyticsRouteDeps

/**
 * Analytics: the dashboard's figures read from the support ledger, the event list with search and
 * export, the setup wizard's public URL check, and the seed's summary URL for overlays.
 */
export function createAnalyticsFeature(deps: AnalyticsFeatureDeps): Feature {
  return {
    name: 'analytics',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, analyticsAdminRoutes, analyticsAdminHandlers(deps))
    },
    overlayRoutes(app: FastifyInstance) {
      registerRoutes(app, analyticsOverlayRoutes, analyticsOverlayHandlers(deps))
    },
  }
}
