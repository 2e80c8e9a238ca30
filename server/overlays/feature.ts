import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { AlertQueueService } from '../alerts/alertQueueService.js'
import type { AlertService } from '../alerts/alertService.js'
import { cleanViewerText, createBlockedWordMatcher } from '../alerts/viewerText.js'
import { findAppRoot } from '../app/appRoot.js'
import type { Feature } from '../app/feature.js'
import type { Asset } from '../contracts/common.js'
import type { DomainEvents } from '../contracts/events.js'
import type { LeaderboardView } from '../contracts/gamification.js'
import type { LevelUpData, OverlayId } from '../contracts/overlays.js'
import { overlayPageRoutes, overlaysAdminRoutes, sizeText } from '../contracts/overlays.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import { createOverlayData } from './overlayData.js'
import type { OverlayHub, OverlaySender } from './overlayHub.js'
import type { OverlayService } from './overlayService.js'
import { loadStaticFiles, overlayCsp } from './pages.js'
import { overlayAdminRoutes, overlayPageRouteHandlers, registerOverlayPages } from './routes.js'
import type { GoalService } from '../gamification/goalService.js'
import type { SupportReadModels } from '../support/readModels.js'
import type { TimerService } from '../timer/timerService.js'

const DATA_OVERLAYS = ['goal', 'leaderboard', 'ticker'] as const satisfies readonly OverlayId[]

export interface OverlaysFeatureDeps {
  hub: OverlayHub
  overlays: OverlayService
  /** The alert box shows what the queue sends (server/overlays/overlayHub.ts `alertDeliveryTo`). */
  queue: Pick<AlertQueueService, 'current' | 'displayed' | 'pump'>
  /** The pause flag, and the blocked words that also mask names on the data overlays. */
  alerts: Pick<AlertService, 'isPaused' | 'settings'>
  bus: Pick<EventBus, 'on' | 'emit'>
  /** The support ledger: rankings, the latest events, largest this stream, supporter names. */
  support: Pick<SupportReadModels, 'supporters' | 'eventLog' | 'identity'>
  /** The goal system: the goal overlay shows its overlay goal. */
  goals: Pick<GoalService, 'overlayGoal'>
  localUrl(): string
  streamerAsset(): Asset
  liveStreamId(at?: number): string | null
  tipTiers(streamId: string | null): TipTierSet
  /** The subathon timer overlay counts down from what the timer says. */
  timer: Pick<TimerService, 'data'>
}

/**
 * OBS overlays (DESIGN §8): the pages and their live streams on the local listener, the data they show,
 * and the dashboard's controls for them. The alert box delivers what the alert queue sends.
 */
export function createOverlaysFeature(deps: OverlaysFeatureDeps): Feature {
  const { hub, overlays, queue, alerts, bus } = deps
  const root = findAppRoot()
  const files = loadStaticFiles(
    path.join(root, 'server', 'overlays', 'client'),
    path.join(root, 'assets', 'sounds'),
  )

  const displayName = (name: string | null) => {
    const cleaned = cleanViewerText(name, 40)
    if (!cleaned) return 'Anonymous'
    return createBlockedWordMatcher(alerts.settings().blockedWords).mask(cleaned).text ?? cleaned
  }
  const sharedBoards = new Map<string, LeaderboardView>()
  const data = createOverlayData({
    display: () => {
      const { goal: _goal, ...rest } = overlays.display()
      return rest
    },
    goal: () => deps.goals.overlayGoal(),
    supporters: deps.support.supporters,
    eventLog: deps.support.eventLog,
    identity: deps.support.identity,
    streamerAsset: () => deps.streamerAsset(),
    liveStreamId: () => deps.liveStreamId(),
    tipTiers: (streamId) => deps.tipTiers(streamId),
    displayName,
    sharedBoard: (window) => sharedBoards.get(window),
  })
  const snapshot = (overlay: OverlayId): unknown => {
    switch (overlay) {
      case 'goal':
        return data.goal()
      case 'leaderboard':
        return data.leaderboard()
      case 'ticker':
        return data.ticker()
      case 'tiers':
        return data.tiers()
      case 'timer':
        return deps.timer.data()
      default:
        return null
    }
  }

  // Support arrives in bursts: recompute the data overlays at most every 250 ms, and only if one listens.
  let refreshTimer: NodeJS.Timeout | undefined
  function refreshData(): void {
    if (refreshTimer) return
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined
      for (const overlay of DATA_OVERLAYS)
        if (hub.count(overlay) > 0) hub.broadcast(overlay, 'data', snapshot(overlay))
    }, 250)
    refreshTimer.unref()
  }
  let tiersTimer: NodeJS.Timeout | undefined
  const unsubscribe: (() => void)[] = []

  function onOpen(overlay: OverlayId, sender: OverlaySender, lastEventId: number): void {
    if (overlay === 'alerts') {
      sender.send('paused', { paused: alerts.isPaused() })
      const current = queue.current()
      // Resume: the alert on screen goes to a page that has not got it yet. A fresh page (no id) gets
      // it only if no page has displayed it: a reloaded overlay never replays what was seen.
      if (
        current &&
        current.alert.id > lastEventId &&
        (lastEventId > 0 || !current.displayed) &&
        (current.alert.durationMs === 0 || current.remainingMs > 500)
      ) {
        sender.send(
          'alert',
          {
            ...current.alert,
            durationMs: current.alert.durationMs === 0 ? 0 : current.remainingMs,
          },
          current.alert.id,
        )
      }
      return
    }
    const initial = snapshot(overlay)
    if (initial !== null) sender.send('data', initial)
  }

  return {
    name: 'overlays',

    adminRoutes(app: FastifyInstance) {
      registerRoutes(
        app,
        overlaysAdminRoutes,
        overlayAdminRoutes({ overlays, hub, onDisplayChanged: refreshData }),
      )
    },

    overlayRoutes(app: FastifyInstance) {
      app.addHook('onSend', async (_request, reply) => {
        // The key notice (server/app/localApp.ts) brings its own policy.
        if (reply.hasHeader('content-security-policy')) return
        void reply.header(
          'content-security-policy',
          overlayCsp(Number(new URL(deps.localUrl()).port)),
        )
      })
      registerOverlayPages(app)
      registerRoutes(
        app,
        overlayPageRoutes,
        overlayPageRouteHandlers({ overlays, hub, queue, files, onOpen }),
      )
    },

    start() {
      const on = <K extends keyof DomainEvents>(
        name: K,
        listener: (payload: DomainEvents[K]) => void,
      ) => unsubscribe.push(bus.on(name, listener))
      on('support.recorded', refreshData)
      on('alerts.paused', ({ paused }) => hub.broadcast('alerts', 'paused', { paused }))
      on('stream.started', refreshData)
      on('stream.stopped', refreshData)
      on('tiers.updated', () => hub.broadcast('tiers', 'data', data.tiers()))
      on('timer.updated', () => hub.broadcast('timer', 'data', deps.timer.data()))
      on('leaderboard.updated', ({ boards }) => {
        for (const board of boards) if (board.by === 'total') sharedBoards.set(board.window, board)
        if (hub.count('leaderboard') > 0) hub.broadcast('leaderboard', 'data', data.leaderboard())
      })
      on('supporter.levelUp', (event) => {
        const levelUp: LevelUpData = {
          id: `${event.supporterId}:${event.level.level}:${event.at}`,
          name: displayName(event.displayName),
          level: event.level.level,
          levelName: cleanViewerText(event.level.name, 40) ?? `Level ${event.level.level}`,
          icon: cleanViewerText(event.level.icon, 4),
        }
        hub.broadcast('levelup', 'levelup', levelUp)
      })
      unsubscribe.push(
        hub.onChange((connections) => {
          // An alert box connected: the queue may start; one went away: it may have to wait.
          queue.pump()
          bus.emit('overlays.connections', connections)
        }),
      )
      // Tiers may change without an event (a new stream, a provider swap): refresh now and then.
      tiersTimer = setInterval(() => {
        if (hub.count('tiers') > 0) hub.broadcast('tiers', 'data', data.tiers())
      }, 60_000)
      tiersTimer.unref()
    },

    stop() {
      clearTimeout(refreshTimer)
      clearInterval(tiersTimer)
      for (const off of unsubscribe.splice(0)) off()
      hub.disconnectAll()
    },

    bannerLines() {
      return [
        'OBS overlays (add as Browser sources; keep the key private):',
        ...overlays
          .links()
          .overlays.map(
            (link) => `  ${`${link.title} (${sizeText(link)}):`.padEnd(38)}${link.url}`,
          ),
      ]
    },
  }
}
