import type {
  gamificationAdminRoutes,
  gamificationOverlayRoutes,
} from '../contracts/gamification.js'
import type { RouteHandlers } from '../http/routes.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import type { GifterService } from './gifterService.js'
import type { GoalService } from './goalService.js'
import type { LeaderboardService } from './leaderboardService.js'

export interface GamificationRouteDeps {
  gifter: GifterService
  leaderboards: LeaderboardService
  goals: GoalService
}

/** The admin API of the gifter path, leaderboards and goals (under /api). */
export function gamificationAdminHandlers({
  gifter,
  leaderboards,
  goals,
}: GamificationRouteDeps): RouteHandlers<typeof gamificationAdminRoutes> {
  return {
    'GET /gamification/gifter-path': async () => gifter.view(),
    'PUT /gamification/gifter-path': async (request) => gifter.configure(request.body),
    'GET /gamification/supporters/:supporterId/progress': async (request) => {
      const progress = gifter.progressForId(request.params.supporterId)
      if (!progress)
        throw new GamificationError(
          Code.SupporterNotFound,
          `No supporter with id "${request.params.supporterId}"`,
          'params.supporterId',
        )
      return progress
    },
    'GET /gamification/leaderboards': async (request) =>
      leaderboards.top({
        window: request.query.window ?? 'all',
        by: request.query.by ?? 'total',
        limit: request.query.limit ?? 10,
        ...(request.query.streamId ? { streamId: request.query.streamId } : {}),
      }),
    'GET /gamification/goals': async () => ({ goals: goals.list() }),
    'POST /gamification/goals': async (request, reply) =>
      reply.code(201).send(goals.create(request.body)),
    'GET /gamification/goals/:id': async (request) => goals.get(request.params.id),
    'PATCH /gamification/goals/:id': async (request) =>
      goals.update(request.params.id, request.body),
    'DELETE /gamification/goals/:id': async (request, reply) => {
      goals.remove(request.params.id)
      return reply.code(204).send(null)
    },
  }
}

/** What the overlays may read with the overlay key. */
export function gamificationOverlayHandlers({
  gifter,
  leaderboards,
  goals,
}: GamificationRouteDeps): RouteHandlers<typeof gamificationOverlayRoutes> {
  return {
    'GET /plugins/wm/overlay/gamification/leaderboard': async (request) =>
      leaderboards.top({
        window: request.query.window ?? 'stream',
        by: request.query.by ?? 'total',
        limit: request.query.limit ?? 5,
        ...(request.query.streamId ? { streamId: request.query.streamId } : {}),
      }),
    'GET /plugins/wm/overlay/gamification/goals': async () => ({ goals: goals.list() }),
    'GET /plugins/wm/overlay/gamification/gifter-path': async () => gifter.view(),
  }
}
