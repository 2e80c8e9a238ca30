import path from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { findAppRoot } from '../app/appRoot.js'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { DomainEvents } from '../contracts/events.js'
import type { LeaderboardView } from '../contracts/gamification.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { LevelUpData, OverlayId } from '../contracts/overlays.js'
import type { GoalService } from '../gamification/goalService.js'
import type { SupportReadModels } from '../support/readModels.js'
import { registerAlertAdminRoutes } from '../alerts/adminRoutes.js'
import { createAlertConfigStore } from '../alerts/alertConfig.js'
import { createAlertQueue, type AlertQueue, type AlertSupport } from '../alerts/alertQueue.js'
import { createAlertStore } from '../alerts/alertStore.js'
import { OverlayIdSchema } from '../alerts/schemas.js'
import { cleanViewerText, createBlockedWordMatcher } from '../alerts/viewerText.js'
import { HttpError } from '../http/errors.js'
import { overlayLinks, registerOverlayAdminRoutes } from './adminRoutes.js'
import { createOverlayData } from './overlayData.js'
import { createOverlayHub, type OverlayHub, type OverlaySender } from './overlayHub.js'
import { loadStaticFiles, OVERLAY_PAGES, overlayCsp, renderOverlayPage } from './pages.js'

export interface OverlaysFeatureOptions {
  /** Heartbeat interval of the overlay streams (default 10 s). */
  heartbeatMs?: number
  /** An alert no overlay confirmed within its duration plus this goes back to the queue. */
  ackTimeoutMs?: number
}

export interface OverlaysFeature extends Feature {
  queue: AlertQueue
  hub: OverlayHub
}

const KeyQuery = Type.Object({ key: Type.String() })
const EventsQuery = Type.Object({
  key: Type.String(),
  overlay: OverlayIdSchema,
  since: Type.Optional(Type.String({ pattern: '^\\d{0,15}$' })),
})
const CssQuery = Type.Object({ key: Type.String(), overlay: OverlayIdSchema })
const DisplayedBody = Type.Object(
  { id: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
)
const DATA_OVERLAYS = ['goal', 'leaderboard', 'ticker'] as const satisfies readonly OverlayId[]

/**
 * OBS overlays (issue 6, DESIGN §8): the pages and their live stream on the local listener, the alert
 * queue behind the alert box, and the dashboard's controls for both.
 */
export interface OverlaysFeatureDeps {
  liveStreamId(at?: number): string | null
  tipTiers(streamId: string | null): TipTierSet
  /** The support ledger: rankings, the latest events, largest this stream, supporter names. */
  support: Pick<SupportReadModels, 'supporters' | 'eventLog' | 'identity'>
  /** The goal system: the goal overlay shows its overlay goal. */
  goals: Pick<GoalService, 'overlayGoal' | 'setOverlayGoal'>
}

export function createOverlaysFeature(
  ctx: Infrastructure,
  deps: OverlaysFeatureDeps,
  options: OverlaysFeatureOptions = {},
): OverlaysFeature {
  const root = findAppRoot()
  const files = loadStaticFiles(
    path.join(root, 'server', 'overlays', 'client'),
    path.join(root, 'assets', 'sounds'),
  )
  const config = createAlertConfigStore(ctx.settings)
  const store = createAlertStore(ctx.db)
  const hub = createOverlayHub({
    heartbeatMs: options.heartbeatMs,
    isKeyValid: (key) => ctx.overlayKeys.verify(key),
  })
  const queue = createAlertQueue({
    isLargestThisStream: (event) => deps.support.eventLog.isLargestThisStream(event),
    store,
    config,
    ackTimeoutMs: options.ackTimeoutMs,
    delivery: {
      show: (alert) => hub.broadcast('alerts', 'alert', alert, alert.id),
      hide: (id) => hub.broadcast('alerts', 'alert.hide', { id }),
      alertOverlayCount: () => hub.count('alerts'),
    },
    isPaused: () => ctx.settings.get('alerts.paused'),
    onChange: (view) => ctx.bus.emit('alert.updated', view),
  })

  const displayName = (name: string | null) => {
    const cleaned = cleanViewerText(name, 40)
    if (!cleaned) return 'Anonymous'
    return createBlockedWordMatcher(config.settings().blockedWords).mask(cleaned).text ?? cleaned
  }
  const sharedBoards = new Map<string, LeaderboardView>()
  const data = createOverlayData({
    display: () => config.display(),
    goal: () => deps.goals.overlayGoal(),
    supporters: deps.support.supporters,
    eventLog: deps.support.eventLog,
    identity: deps.support.identity,
    streamerAsset: () => ctx.streamerAsset(),
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
      sender.send('paused', { paused: ctx.settings.get('alerts.paused') })
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

  function enqueue(event: AlertSupport, source: 'tip' | 'test' | 'web-monetization'): void {
    queue.enqueue(event, { source })
  }

  return {
    name: 'overlays',
    queue,
    hub,

    adminRoutes(app: FastifyInstance) {
      registerAlertAdminRoutes(app, { ctx, queue, config })
      registerOverlayAdminRoutes(app, {
        ctx,
        hub,
        config,
        goals: deps.goals,
        onDisplayChanged: refreshData,
      })
    },

    overlayRoutes(app: FastifyInstance) {
      app.addHook('onSend', async (_request, reply) => {
        void reply.header(
          'content-security-policy',
          overlayCsp(Number(new URL(ctx.urls.local()).port)),
        )
      })

      for (const page of OVERLAY_PAGES) {
        app.get<{ Querystring: Static<typeof KeyQuery> }>(
          `/overlay/${page.id}`,
          { schema: { querystring: KeyQuery } },
          async (request, reply) =>
            reply.type('text/html; charset=utf-8').send(renderOverlayPage(page, request.query.key)),
        )
      }

      app.get<{ Params: { '*': string }; Querystring: Static<typeof KeyQuery> }>(
        '/overlay/static/*',
        { schema: { querystring: KeyQuery } },
        async (request, reply) => {
          const file = files.get(request.params['*'])
          if (!file) throw new HttpError(404, 'not_found', `No overlay file ${request.params['*']}`)
          return reply.type(file.type).send(file.body)
        },
      )

      app.get<{ Querystring: Static<typeof CssQuery> }>(
        '/overlay/custom.css',
        { schema: { querystring: CssQuery } },
        async (request, reply) =>
          reply.type('text/css; charset=utf-8').send(config.customCss(request.query.overlay)),
      )

      app.get<{ Querystring: Static<typeof EventsQuery> }>(
        '/overlay/events',
        { schema: { querystring: EventsQuery } },
        (request, reply) => {
          const overlay = request.query.overlay
          hub.connect(request, reply, overlay, (sender, lastEventId) =>
            onOpen(overlay, sender, lastEventId),
          )
        },
      )

      app.post<{ Querystring: Static<typeof KeyQuery>; Body: Static<typeof DisplayedBody> }>(
        '/overlay/alerts/displayed',
        {
          schema: {
            querystring: KeyQuery,
            body: DisplayedBody,
            response: { 204: Type.Null() },
          },
        },
        async (request, reply) => {
          queue.displayed(request.body.id)
          return reply.code(204).send()
        },
      )
    },

    start() {
      const on = <K extends keyof DomainEvents>(
        name: K,
        listener: (payload: DomainEvents[K]) => void,
      ) => unsubscribe.push(ctx.bus.on(name, listener))
      on('support.recorded', (event) => {
        if (event.tip) enqueue(event, 'tip')
        else if (event.kind === 'web-monetization') enqueue(event, 'web-monetization')
        refreshData()
      })
      on('alert.test', (event) => enqueue(event, 'test'))
      on('alerts.paused', ({ paused }) => {
        hub.broadcast('alerts', 'paused', { paused })
        queue.pump()
      })
      on('stream.started', refreshData)
      on('stream.stopped', refreshData)
      on('tiers.updated', () => hub.broadcast('tiers', 'data', data.tiers()))
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
          queue.pump()
          ctx.bus.emit('overlays.connections', connections)
        }),
      )
      // Tiers may change without an event (a new stream, a provider swap): refresh now and then.
      tiersTimer = setInterval(() => {
        if (hub.count('tiers') > 0) hub.broadcast('tiers', 'data', data.tiers())
      }, 60_000)
      tiersTimer.unref()
      queue.start()
    },

    stop() {
      queue.stop()
      clearTimeout(refreshTimer)
      clearInterval(tiersTimer)
      for (const off of unsubscribe.splice(0)) off()
      hub.disconnectAll()
    },

    bannerLines() {
      return [
        'OBS overlays (add as Browser sources; keep the key private):',
        ...overlayLinks(ctx, hub).overlays.map(
          (link) => `  ${`${link.title}:`.padEnd(28)}${link.url}`,
        ),
      ]
    },
  }
}
