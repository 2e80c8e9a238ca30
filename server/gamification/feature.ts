import { fastifyCookie } from '@fastify/cookie'
import { createViewerSessions, VIEWER_COOKIE } from '../viewers/viewerSessions.js'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { SupportEventView } from '../contracts/events.js'
import { gamificationAdminRoutes, gamificationOverlayRoutes } from '../contracts/gamification.js'
import type { TierInput } from '../contracts/gamification.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { GifterService } from './gifterService.js'
import type { GoalService } from './goalService.js'
import { DAY_MS, type LeaderboardService } from './leaderboardService.js'
import { gamificationAdminHandlers, gamificationOverlayHandlers } from './routes.js'
import {
  AiSettingsPatch,
  AiSettingsSchema,
  ErrorBody,
  IdParams,
  SuggestBody,
  SuggestionResponse,
  SuggestQuery,
  ThemeId,
  TierConfigViewSchema,
  TierInputSchema,
  TierPatchSchema,
  TipTierSetSchema,
} from './schemas.js'
import { createTierService, type TierService } from './tierService.js'

export interface GamificationDeps {
  /** For tests: the AI endpoint's fetch and timeout (5 s by default). */
  fetch?: typeof fetch
  aiTimeoutMs?: number
  now?: () => number
}

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

export interface GamificationServices {
  tiers: TierService
}

export interface GamificationFeature extends Feature {
  services: GamificationServices
}

const errors = { 400: ErrorBody, 404: ErrorBody }

/**
 * The gifter path, leaderboards and goals (read from the support ledger), and tip tier themes and
 * suggestions (seed API): the tip page and the seed's tip-tiers overlay show the streamer's tiers.
 */
export function createGamificationFeature(
  ctx: Infrastructure,
  given: GamificationFeatureDeps,
  deps: GamificationDeps = {},
): GamificationFeature {
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
  const { gifter, leaderboards, goals } = given
  const viewerSessions = createViewerSessions({ db: ctx.db })

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
    services: { tiers },
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
      registerRoutes(app, gamificationOverlayRoutes, gamificationOverlayHandlers(given))
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

      registerRoutes(app, gamificationAdminRoutes, gamificationAdminHandlers(given))
    },
  }
}
