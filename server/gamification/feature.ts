import { fastifyCookie } from '@fastify/cookie'
import { createViewerSessions, VIEWER_COOKIE } from '../viewers/viewerSessions.js'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { SupportEventView } from '../contracts/events.js'
import type { LeaderboardMetric, LeaderboardWindow, TierInput } from '../contracts/gamification.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import { createGifterService, type GifterService } from './gifterService.js'
import { createGoalService, type GoalService } from './goals.js'
import { createSupporterIdentity } from './labels.js'
import { createLeaderboardService, DAY_MS, type LeaderboardService } from './leaderboards.js'
import {
  AiSettingsPatch,
  AiSettingsSchema,
  ErrorBody,
  GifterPathConfigSchema,
  GifterPathViewSchema,
  GoalInputSchema,
  GoalPatchSchema,
  GoalViewSchema,
  IdParams,
  LeaderboardQuerySchema,
  LeaderboardViewSchema,
  SuggestBody,
  SuggestionResponse,
  SuggestQuery,
  SupporterParams,
  SupporterProgressSchema,
  ThemeId,
  TierConfigViewSchema,
  TierInputSchema,
  TierPatchSchema,
  TipTierSetSchema,
} from './schemas.js'
import { createTierService, type TierService } from '../tiers/tierService.js'

export interface GamificationDeps {
  /** For tests: the AI endpoint's fetch and timeout (5 s by default). */
  fetch?: typeof fetch
  aiTimeoutMs?: number
  now?: () => number
  /** Coalesces live updates after bursts of support (Web Monetization streams many small events). */
  liveUpdateDelayMs?: number
}

export interface GamificationServices {
  tiers: TierService
  gifter: GifterService
  leaderboards: LeaderboardService
  goals: GoalService
}

export interface GamificationFeature extends Feature {
  services: GamificationServices
}

const errors = { 400: ErrorBody, 404: ErrorBody }

/**
 * Tip tier themes and suggestions (seed API), the gifter path, leaderboards and goals (issue 5). Owns
 * ctx.providers.tipTiers: the tip page and the seed's tip-tiers overlay show the streamer's tiers.
 */
export function createGamificationFeature(
  ctx: Infrastructure,
  live: { liveStreamId(at?: number): string | null },
  deps: GamificationDeps = {},
): GamificationFeature {
  const identity = createSupporterIdentity(ctx.db, ctx.settings)
  const streamerAsset = () => ctx.streamerAsset()
  const tiers = createTierService({
    db: ctx.db,
    bus: ctx.bus,
    settings: ctx.settings,
    secrets: ctx.secrets,
    streamerAsset,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.aiTimeoutMs !== undefined ? { aiTimeoutMs: deps.aiTimeoutMs } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    onAiFallback: (reason) =>
      ctx.log.warn({ reason }, 'AI tier suggestion failed; built-in tiers used'),
  })
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
  const viewerSessions = createViewerSessions({ db: ctx.db })

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
    services: { tiers, gifter, leaderboards, goals },
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

    publicRoutes(app: FastifyInstance) {
      app.get<{ Querystring: Static<typeof SuggestQuery> }>(
        '/tips/suggest',
        {
          schema: {
            querystring: SuggestQuery,
            response: { 200: TipTierSetSchema, 400: ErrorBody },
          },
        },
        async (request) => {
          const { theme, currency } = request.query
          if (theme === undefined && currency === undefined) return tiers.current()
          const asset = ctx.streamerAsset()
          const configured = tiers.configView()
          if (
            (theme === undefined || theme === configured.theme) &&
            (currency === undefined || currency.toUpperCase() === asset.assetCode.toUpperCase())
          )
            return tiers.current()
          return tiers.themeLadder(theme ?? configured.theme, currency)
        },
      )

      app.post<{ Body: Static<typeof SuggestBody> }>(
        '/tips',
        {
          // Each AI-backed request may cost the streamer a model call: keep it well below the listener's limit.
          config: { rateLimit: { max: 60, timeWindow: 60_000 } },
          schema: { body: SuggestBody, response: { 200: TipTierSetSchema, 400: ErrorBody } },
        },
        async (request, reply) => {
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
      )
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

      // Tip tiers
      app.get(`${base}/tiers`, { schema: { response: { 200: TierConfigViewSchema } } }, async () =>
        tiers.configView(),
      )
      app.put<{ Body: { theme?: string; tiers: TierInput[] } }>(
        `${base}/tiers`,
        {
          schema: {
            body: Type.Object(
              {
                theme: Type.Optional(ThemeId),
                tiers: Type.Array(TierInputSchema, { minItems: 1, maxItems: 20 }),
              },
              { additionalProperties: false },
            ),
            response: { 200: TierConfigViewSchema, ...errors },
          },
        },
        async (request) => tiers.replaceTiers(request.body.tiers, request.body.theme),
      )
      app.put<{ Body: { theme: string } }>(
        `${base}/tiers/theme`,
        {
          schema: {
            body: Type.Object({ theme: ThemeId }, { additionalProperties: false }),
            response: { 200: TierConfigViewSchema, ...errors },
          },
        },
        async (request) => tiers.pickTheme(request.body.theme),
      )
      app.post<{ Body: TierInput & { position?: number } }>(
        `${base}/tiers/items`,
        {
          schema: {
            body: Type.Object(
              {
                ...TierInputSchema.properties,
                position: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
              },
              { additionalProperties: false },
            ),
            response: { 201: TierConfigViewSchema, ...errors },
          },
        },
        async (request, reply) => {
          const { position, ...input } = request.body
          return reply.code(201).send(tiers.addTier(input, position))
        },
      )
      app.patch<{ Params: { id: string }; Body: Partial<TierInput> }>(
        `${base}/tiers/items/:id`,
        {
          schema: {
            params: IdParams,
            body: TierPatchSchema,
            response: { 200: TierConfigViewSchema, ...errors },
          },
        },
        async (request) => tiers.updateTier(request.params.id, request.body),
      )
      app.delete<{ Params: { id: string } }>(
        `${base}/tiers/items/:id`,
        { schema: { params: IdParams, response: { 200: TierConfigViewSchema, ...errors } } },
        async (request) => tiers.removeTier(request.params.id),
      )
      app.put<{ Body: { ids: string[] } }>(
        `${base}/tiers/order`,
        {
          schema: {
            body: Type.Object(
              { ids: Type.Array(Type.String({ maxLength: 48 }), { minItems: 1, maxItems: 20 }) },
              { additionalProperties: false },
            ),
            response: { 200: TierConfigViewSchema, ...errors },
          },
        },
        async (request) => tiers.reorder(request.body.ids),
      )
      app.post(
        `${base}/tiers/reset`,
        { schema: { response: { 200: TierConfigViewSchema } } },
        async () => tiers.resetToTheme(),
      )
      app.post<{ Body: Static<typeof SuggestBody> }>(
        `${base}/tiers/suggest`,
        { schema: { body: SuggestBody, response: { 200: SuggestionResponse, ...errors } } },
        async (request) => {
          const suggestion = await tiers.suggest(request.body)
          return { ...suggestion.set, source: suggestion.source }
        },
      )

      // AI endpoint (the API key is write-only: only "configured" comes back)
      app.get(`${base}/ai`, { schema: { response: { 200: AiSettingsSchema } } }, async () =>
        tiers.aiSettings(),
      )
      app.put<{ Body: Static<typeof AiSettingsPatch> }>(
        `${base}/ai`,
        { schema: { body: AiSettingsPatch, response: { 200: AiSettingsSchema, ...errors } } },
        async (request) => tiers.setAiSettings(request.body),
      )

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
