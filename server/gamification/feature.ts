import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { SupportEventView } from '../contracts/events.js'
import type { LeaderboardMetric, LeaderboardWindow } from '../contracts/gamification.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import { createGifterService, type GifterService } from './gifterService.js'
import { createGoalService, type GoalService } from './goals.js'
import { createSupporterIdentity } from './labels.js'
import { createLeaderboardService, DAY_MS, type LeaderboardService } from './leaderboards.js'
import {
  ErrorBody,
  GifterPathConfigSchema,
  GifterPathViewSchema,
  GoalInputSchema,
  GoalPatchSchema,
  GoalViewSchema,
  IdParams,
  LeaderboardQuerySchema,
  LeaderboardViewSchema,
  SupporterParams,
  SupporterProgressSchema,
} from './schemas.js'

export interface GamificationDeps {
  now?: () => number
  /** Coalesces live updates after bursts of support (Web Monetization streams many small events). */
  liveUpdateDelayMs?: number
}

export interface GamificationServices {
  gifter: GifterService
  leaderboards: LeaderboardService
  goals: GoalService
}

export interface GamificationFeature extends Feature {
  services: GamificationServices
}

const errors = { 400: ErrorBody, 404: ErrorBody }

/**
 * The gifter path, leaderboards and goals (tip tiers are their own feature: server/tiers/).
 */
export function createGamificationFeature(
  ctx: Infrastructure,
  live: { liveStreamId(at?: number): string | null },
  deps: GamificationDeps = {},
): GamificationFeature {
  const identity = createSupporterIdentity(ctx.db, ctx.settings)
  const streamerAsset = () => ctx.streamerAsset()
  const gifter = createGifterService({
    db: ctx.db,
    bus: ctx.bus,
    identity,
    settings: ctx.settings,
    streamerAsset,
    ...(deps.now ? { now: deps.now } : {}),
  })
  const leaderboards = createLeaderboardService({
    db: ctx.db,
    identity,
    streamerAsset,
    liveStreamId: () => live.liveStreamId(),
    ...(deps.now ? { now: deps.now } : {}),
  })
  const goals = createGoalService({
    db: ctx.db,
    bus: ctx.bus,
    streamerAsset,
    ...(deps.now ? { now: deps.now } : {}),
  })

  let pending: NodeJS.Timeout | undefined
  let midnight: NodeJS.Timeout | undefined

  /** Rolls the 7d/30d windows just after each UTC midnight, so no request pays for it. */
  function scheduleRoll(): void {
    const at = (deps.now ?? Date.now)()
    const wait = DAY_MS - (at % DAY_MS) + 1_000
    midnight = setTimeout(() => {
      try {
        leaderboards.rollWindows()
      } catch (error) {
        ctx.log.error({ err: error }, 'rolling the leaderboard windows failed')
      }
      scheduleRoll()
    }, wait)
    midnight.unref()
  }
  const unsubscribe: (() => void)[] = []

  function publishLive(): void {
    pending = undefined
    goals.refresh()
    ctx.bus.emit('leaderboard.updated', {
      boards: [
        leaderboards.top({ window: 'stream', by: 'total' }),
        leaderboards.top({ window: 'all', by: 'total' }),
      ],
    })
  }

  function onSupport(event: SupportEventView): void {
    if (event.isTest) return
    gifter.checkLevelUp(event.id)
    pending ??= setTimeout(publishLive, deps.liveUpdateDelayMs ?? 250)
  }

  return {
    name: 'gamification',
    services: { gifter, leaderboards, goals },
    start() {
      leaderboards.rollWindows()
      scheduleRoll()
      unsubscribe.push(ctx.bus.on('support.recorded', onSupport))
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
      if (pending) clearTimeout(pending)
      if (midnight) clearTimeout(midnight)
      pending = undefined
      midnight = undefined
    },

    overlayRoutes(app: FastifyInstance) {
      app.get<{ Querystring: Static<typeof LeaderboardQuerySchema> }>(
        '/plugins/wm/overlay/gamification/leaderboard',
        {
          schema: { querystring: LeaderboardQuerySchema, response: { 200: LeaderboardViewSchema } },
        },
        async (request) =>
          leaderboards.top({
            window: (request.query.window ?? 'stream') as LeaderboardWindow,
            by: (request.query.by ?? 'total') as LeaderboardMetric,
            limit: request.query.limit ?? 5,
            ...(request.query.streamId ? { streamId: request.query.streamId } : {}),
          }),
      )
      app.get(
        '/plugins/wm/overlay/gamification/goals',
        { schema: { response: { 200: Type.Object({ goals: Type.Array(GoalViewSchema) }) } } },
        async () => ({ goals: goals.list() }),
      )
      app.get(
        '/plugins/wm/overlay/gamification/gifter-path',
        { schema: { response: { 200: GifterPathViewSchema } } },
        async () => gifter.view(),
      )
    },

    adminRoutes(app: FastifyInstance) {
      const base = '/gamification'

      // Gifter path
      app.get(
        `${base}/gifter-path`,
        { schema: { response: { 200: GifterPathViewSchema } } },
        async () => gifter.view(),
      )
      app.put<{ Body: Static<typeof GifterPathConfigSchema> }>(
        `${base}/gifter-path`,
        {
          schema: {
            body: GifterPathConfigSchema,
            response: { 200: GifterPathViewSchema, ...errors },
          },
        },
        async (request) => gifter.configure(request.body),
      )
      app.get<{ Params: { supporterId: string } }>(
        `${base}/supporters/:supporterId/progress`,
        {
          schema: {
            params: SupporterParams,
            response: { 200: SupporterProgressSchema, ...errors },
          },
        },
        async (request) => {
          const progress = gifter.progressForId(request.params.supporterId)
          if (!progress)
            throw new GamificationError(
              Code.SupporterNotFound,
              `No supporter with id "${request.params.supporterId}"`,
              'params.supporterId',
            )
          return progress
        },
      )

      // Leaderboards
      app.get<{ Querystring: Static<typeof LeaderboardQuerySchema> }>(
        `${base}/leaderboards`,
        {
          schema: {
            querystring: LeaderboardQuerySchema,
            response: { 200: LeaderboardViewSchema, ...errors },
          },
        },
        async (request) =>
          leaderboards.top({
            window: (request.query.window ?? 'all') as LeaderboardWindow,
            by: (request.query.by ?? 'total') as LeaderboardMetric,
            limit: request.query.limit ?? 10,
            ...(request.query.streamId ? { streamId: request.query.streamId } : {}),
          }),
      )

      // Goals
      app.get(
        `${base}/goals`,
        { schema: { response: { 200: Type.Object({ goals: Type.Array(GoalViewSchema) }) } } },
        async () => ({ goals: goals.list() }),
      )
      app.post<{ Body: Static<typeof GoalInputSchema> }>(
        `${base}/goals`,
        { schema: { body: GoalInputSchema, response: { 201: GoalViewSchema, ...errors } } },
        async (request, reply) => reply.code(201).send(goals.create(request.body)),
      )
      app.get<{ Params: { id: string } }>(
        `${base}/goals/:id`,
        { schema: { params: IdParams, response: { 200: GoalViewSchema, ...errors } } },
        async (request) => goals.get(request.params.id),
      )
      app.patch<{ Params: { id: string }; Body: Static<typeof GoalPatchSchema> }>(
        `${base}/goals/:id`,
        {
          schema: {
            params: IdParams,
            body: GoalPatchSchema,
            response: { 200: GoalViewSchema, ...errors },
          },
        },
        async (request) => goals.update(request.params.id, request.body),
      )
      app.delete<{ Params: { id: string } }>(
        `${base}/goals/:id`,
        { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } },
        async (request, reply) => {
          goals.remove(request.params.id)
          return reply.code(204).send()
        },
      )
    },
  }
}
