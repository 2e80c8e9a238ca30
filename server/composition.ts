import { createAnalyticsService } from './analytics/analyticsService.js'
import { createAnalyticsFeature } from './analytics/feature.js'
import { createPlatformEventRepository } from './analytics/platformEventRepository.js'
import type { Feature } from './app/feature.js'
import type { Infrastructure } from './app/infrastructure.js'
import { createCoreFeature } from './core/coreFeature.js'
import { createGamificationFeature } from './gamification/feature.js'
import { createGifterRepository } from './gamification/gifterRepository.js'
import { createGifterService } from './gamification/gifterService.js'
import { createGoalRepository } from './gamification/goalRepository.js'
import { createGoalService } from './gamification/goalService.js'
import { createLeaderboardService } from './gamification/leaderboardService.js'
import { createIntegrationsFeature } from './integrations/feature.js'
import { createOverlaysFeature } from './overlays/overlaysFeature.js'
import { createSandboxFeature } from './sandbox/index.js'
import { createSupportReadModels } from './support/readModels.js'
import { createSupporterIdentity } from './support/supporters.js'
import { createTipsFeature } from './tips/tipsFeature.js'

/** The services other parts (tests, the Electron shell, benches) may reach, each built once below. */
export type ComposedServices = ReturnType<typeof composeApp>['services']

/**
 * The composition root: every feature is built once, here, in the order of what it needs, and is handed
 * the services of the features before it. Nothing is replaced after it is built; features never import
 * this file.
 */
export function composeApp(infra: Infrastructure, startedAt: Date) {
  const integrations = createIntegrationsFeature(infra)
  const streams = integrations.services.sessions
  const now = integrations.services.now
  const liveStreamId = (at?: number) => streams.liveStreamId(at ?? now())

  // The support ledger's reads, and what shows support: goals, levels, leaderboards, analytics.
  const streamerAsset = () => infra.streamerAsset()
  const identity = createSupporterIdentity(infra.db, infra.settings)
  const support = createSupportReadModels(infra.db, identity)
  const goals = createGoalService({
    goals: createGoalRepository(infra.db),
    totals: support.totals,
    bus: infra.bus,
    streamerAsset,
  })
  const gifter = createGifterService({
    bus: infra.bus,
    identity,
    supporters: support.supporters,
    events: infra.ledger,
    levels: createGifterRepository(infra.db),
    settings: infra.settings,
    streamerAsset,
  })
  const leaderboards = createLeaderboardService({
    supporters: support.supporters,
    identity,
    streamerAsset,
    liveStreamId: () => liveStreamId(),
  })
  const gamification = createGamificationFeature(infra, {
    bus: infra.bus,
    log: infra.log,
    gifter,
    leaderboards,
    goals,
  })
  const tiers = gamification.services.tiers
  const tipTiers = () => tiers.current()

  const analytics = createAnalyticsFeature({
    analytics: createAnalyticsService({
      totals: support.totals,
      supporters: support.supporters,
      identity,
      eventLog: support.eventLog,
      platformEvents: createPlatformEventRepository(infra.db),
      streamerAsset,
      liveStreamId,
    }),
    publicUrl: () => infra.urls.public(),
    config: infra.config,
  })
  const overlays = createOverlaysFeature(infra, { liveStreamId, tipTiers, support, goals })
  const sandbox = createSandboxFeature(infra)
  const tips = createTipsFeature(infra, { sandbox, liveStreamId, tipTiers })
  const core = createCoreFeature(infra, { startedAt, tipTiers })

  const features: Feature[] = [core, integrations, gamification, analytics, overlays, sandbox, tips]
  return {
    features,
    services: {
      streams,
      integrations: integrations.services,
      gamification: { ...gamification.services, gifter, leaderboards, goals },
      support,
      alerts: overlays.queue,
      overlayHub: overlays.hub,
      sandbox,
      tips: tips.service,
      wallets: tips.wallets,
    },
  }
}
