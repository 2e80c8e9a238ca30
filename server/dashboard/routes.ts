import type { dashboardAdminRoutes } from '../contracts/dashboard.js'
import type { RouteHandlers } from '../http/routes.js'
import { SESSION_COOKIE, type AdminSessions } from '../security/adminSessions.js'
import type { DashboardService } from './dashboardService.js'
import type { LiveEventsService } from './liveEventsService.js'

export interface DashboardRoutesDeps {
  dashboard: DashboardService
  liveEvents: LiveEventsService
  sessions: Pick<AdminSessions, 'endSession'>
}

/** The dashboard's own API (server/contracts/dashboard.ts). */
export function dashboardRoutes({
  dashboard,
  liveEvents,
  sessions,
}: DashboardRoutesDeps): RouteHandlers<typeof dashboardAdminRoutes> {
  return {
    'GET /session': async () => ({ authenticated: true }) as const,
    'POST /session/logout': async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE]
      if (sessionId) sessions.endSession(sessionId)
      void reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { ok: true }
    },
    'GET /status': async () => dashboard.status(),
    'GET /settings': async () => dashboard.settings(),
    'PATCH /settings': async (request) => dashboard.updateSettings(request.body),
    'GET /events': (request, reply) => liveEvents.stream(request, reply),
  }
}
