import { createAnalyticsFeature } from './analytics/analyticsFeature.js'
import type { Feature } from './app/feature.js'
import type { Infrastructure } from './app/infrastructure.js'
import { createCoreFeature } from './core/coreFeature.js'
import { createGamificationFeature } from './gamification/feature.js'
import { createIntegrationsFeature } from './integrations/feature.js'
import { createOverlaysFeature } from './overlays/overlaysFeature.js'
import { createSandboxFeature } from './sandbox/index.js'
import { createTiersFeature } from './tiers/feature.js'
import { createSqlSupporterStats } from './tiers/supporterStatsSql.js'
import { createTierRepository } from './tiers/tierRepository.js'
import { createTierService } from './tiers/tierService.js'
import { createTipsFeature } from './tips/feature.js'
import { createTipFlowService } from './tips/tipFlowService.js'
import { createTipPageService } from './tips/tipPageService.js'
import { createTipSettingsService } from './tips/tipSettingsService.js'
import { createViewerSessions } from './viewers/viewerSessions.js'
import { createWalletFeature } from './wallet/feature.js'
import { sandboxHost } from './wallet/sandboxIdentity.js'
import { createWalletService } from './wallet/walletService.js'

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
  const viewerSessions = createViewerSessions({ db: infra.db })

  const gamification = createGamificationFeature(infra, { liveStreamId })
  const tiers = createTierService({
    db: infra.db,
    bus: infra.bus,
    settings: infra.settings,
    secrets: infra.secrets,
    repository: createTierRepository(infra.db),
    supporterStats: createSqlSupporterStats(infra.db),
    streamerAsset: () => infra.streamerAsset(),
    onAiFallback: (reason) =>
      infra.log.warn({ reason }, 'AI tier suggestion failed; built-in tiers used'),
  })
  const tipTiers = () => tiers.current()
  const tiersFeature = createTiersFeature({ tiers, viewerSessions })

  const analytics = createAnalyticsFeature(infra, { liveStreamId })
  const overlays = createOverlaysFeature(infra, { liveStreamId, tipTiers })
  const sandbox = createSandboxFeature(infra)

  const wallets = createWalletService({
    db: infra.db,
    settings: infra.settings,
    secrets: infra.secrets,
    sandbox: sandboxHost(sandbox),
    sandboxForced: infra.config.sandbox,
    opInsecureHttp: infra.config.opInsecureHttp,
  })
  const wallet = createWalletFeature({ wallets })
  const tipSettings = createTipSettingsService(infra.settings)
  const tipFlows = createTipFlowService({
    db: infra.db,
    wallets,
    ledger: infra.ledger,
    liveStreamId,
    callbackUrl: (flowId) => `${infra.urls.public()}/tip/callback/${flowId}`,
    log: infra.log,
  })
  const tipPage = createTipPageService({
    wallets,
    settings: tipSettings,
    tiers: tipTiers,
    asset: infra.streamerAsset,
  })
  const tips = createTipsFeature({
    flows: tipFlows,
    page: tipPage,
    settings: tipSettings,
    viewerSessions,
    wallets,
    asset: infra.streamerAsset,
    publicUrl: infra.urls.public,
  })
  const core = createCoreFeature(infra, { startedAt })

  const features: Feature[] = [
    core,
    integrations,
    gamification,
    tiersFeature,
    analytics,
    overlays,
    sandbox,
    wallet,
    tips,
  ]
  return {
    features,
    services: {
      streams,
      integrations: integrations.services,
      gamification: gamification.services,
      tiers,
      alerts: overlays.queue,
      overlayHub: overlays.hub,
      sandbox,
      tips: tipFlows,
      wallets,
      viewerSessions,
    },
  }
}
