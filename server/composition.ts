import { createAnalyticsFeature } from './analytics/analyticsFeature.js'
import type { Feature } from './app/feature.js'
import type { Infrastructure } from './app/infrastructure.js'
import { createCoreFeature } from './core/coreFeature.js'
import { createGamificationFeature } from './gamification/feature.js'
import { createIntegrationsFeature } from './integrations/feature.js'
import { createIntegrationsService } from './integrations/integrationsService.js'
import { createOverlaysFeature } from './overlays/overlaysFeature.js'
import { createSandboxFeature } from './sandbox/feature.js'
import { createTipsFeature } from './tips/tipsFeature.js'

/** The services other parts (tests, the Electron shell, benches) may reach, each built once below. */
export type ComposedServices = ReturnType<typeof composeApp>['services']

/**
 * The composition root: every feature is built once, here, in the order of what it needs, and is handed
 * the services of the features before it. Nothing is replaced after it is built; features never import
 * this file.
 */
export function composeApp(infra: Infrastructure, startedAt: Date) {
  const integrationServices = createIntegrationsService({
    db: infra.db,
    settings: infra.settings,
    secrets: infra.secrets,
    bus: infra.bus,
    log: infra.log,
    publicUrl: infra.urls.public,
    publicUrlConfigured: infra.config.publicUrl !== null,
  })
  const integrations = createIntegrationsFeature({
    integrations: integrationServices,
    bus: infra.bus,
    log: infra.log,
  })
  const streams = integrationServices.sessions
  const now = integrationServices.now
  const liveStreamId = (at?: number) => streams.liveStreamId(at ?? now())

  const gamification = createGamificationFeature(infra, { liveStreamId })
  const tiers = gamification.services.tiers
  const tipTiers = () => tiers.current()

  const analytics = createAnalyticsFeature(infra, { liveStreamId })
  const overlays = createOverlaysFeature(infra, { liveStreamId, tipTiers })
  const sandbox = createSandboxFeature({
    config: infra.config,
    settings: infra.settings,
    log: infra.log,
  })
  const tips = createTipsFeature(infra, { sandbox, liveStreamId, tipTiers })
  const core = createCoreFeature(infra, { startedAt, tipTiers })

  const features: Feature[] = [core, integrations, gamification, analytics, overlays, sandbox, tips]
  return {
    features,
    services: {
      streams,
      integrations: integrationServices,
      gamification: gamification.services,
      alerts: overlays.queue,
      overlayHub: overlays.hub,
      sandbox,
      tips: tips.service,
      wallets: tips.wallets,
    },
  }
}
