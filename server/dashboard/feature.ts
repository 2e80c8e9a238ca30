import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { dashboardAdminRoutes } from '../contracts/dashboard.js'
import { registerRoutes } from '../http/routes.js'
import type { AdminSessions } from '../security/adminSessions.js'
import type { DashboardService } from './dashboardService.js'
import type { LiveEventsService } from './liveEventsService.js'
import { dashboardRoutes } from './routes.js'

export interface DashboardFeatureDeps {
  dashboard: DashboardService
  liveEvents: LiveEventsService
  sessions: Pick<AdminSessions, 'endSession'>
}

/**
 * The dashboard's own API: session, status, the Settings page's switches, the live event stream. Test
 * alerts and pause belong to the alerts feature, the overlay list and key to the overlays feature.
 */
export function createDashboardFeature(deps: DashboardFeatureDeps): Feature {
  return {
    name: 'dashboard',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, dashboardAdminRoutes, dashboardRoutes(deps))
    },
    // Open streams end before the listeners close, so in-flight requests can finish.
    stop() {
      deps.liveEvents.closeAll()
    },
  }
}
