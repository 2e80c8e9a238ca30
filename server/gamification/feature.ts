import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import type { SupportEventView } from '../contracts/events.js'
import { gamificationAdminRoutes, gamificationOverlayRoutes } from '../contracts/gamification.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { GifterService } from './gifterService.js'
import type { GoalService } from './goalService.js'
import { DAY_MS, type LeaderboardService } from './leaderboardService.js'
import { gamificationAdminHandlers, gamificationOverlayHandlers } from './routes.js'

/** What the gifter path, leaderboards and goals need: their services, built by the composition root. */
export interface GamificationFeatureDeps {
  bus: EventBus
  log: FastifyBaseLogger
  gifter: GifterService
  leaderboards: LeaderboardService
  goals: GoalService
  now?: () => number
  /** Coalesces live updates after bursts of support (Web Monetization streams many small events). */
  liveUpdateDelayMs?: number
}

/**
 * The gifter path, leaderboards and goals, read from the support ledger (tip tiers are their own
 * feature: server/tiers/). Level-ups and live boards follow `support.recorded`.
 */
export function createGamificationFeature(given: GamificationFeatureDeps): Feature {
  const { gifter, leaderboards, goals } = given
  let pending: NodeJS.Timeout | undefined
  let midnight: NodeJS.Timeout | undefined

  /** Rolls the 7d/30d windows just after each UTC midnight, so no request pays for it. */
  function scheduleRoll(): void {
    const at = (given.now ?? Date.now)()
    const wait = DAY_MS - (at % DAY_MS) + 1_000
    midnight = setTimeout(() => {
      try {
        leaderboards.rollWindows()
      } catch (error) {
        given.log.error({ err: error }, 'rolling the leaderboard windows failed')
      }
      scheduleRoll()
    }, wait)
    midnight.unref()
  }
  const unsubscribe: (() => void)[] = []

  function publishLive(): void {
    pending = undefined
    goals.refresh()
    given.bus.emit('leaderboard.updated', {
      boards: [
        leaderboards.top({ window: 'stream', by: 'total' }),
        leaderboards.top({ window: 'all', by: 'total' }),
      ],
    })
  }

  function onSupport(event: SupportEventView): void {
    if (event.isTest) return
    gifter.checkLevelUp(event.id)
    pending ??= setTimeout(publishLive, given.liveUpdateDelayMs ?? 250)
  }

  return {
    name: 'gamification',
    start() {
      leaderboards.rollWindows()
      scheduleRoll()
      unsubscribe.push(given.bus.on('support.recorded', onSupport))
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
      if (pending) clearTimeout(pending)
      if (midnight) clearTimeout(midnight)
      pending = undefined
      midnight = undefined
    },
    overlayRoutes(app: FastifyInstance) {
      registerRoutes(app, gamificationOverlayRoutes, gamificationOverlayHandlers(given))
    },
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, gamificationAdminRoutes, gamificationAdminHandlers(given))
    },
  }
}
