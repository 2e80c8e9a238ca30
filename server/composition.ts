import { createAlertQueueService } from './alerts/alertQueueService.js'
import { createAlertRepository } from './alerts/alertRepository.js'
import { alertRulesFrom, createAlertService } from './alerts/alertService.js'
import { createAlertsFeature } from './alerts/feature.js'
import { createAnalyticsFeature } from './analytics/analyticsFeature.js'
import type { Feature } from './app/feature.js'
import type { Infrastructure } from './app/infrastructure.js'
import { createDashboardService } from './dashboard/dashboardService.js'
import { createDashboardFeature } from './dashboard/feature.js'
import { createLiveEventsService } from './dashboard/liveEventsService.js'
import { createDesktopActionsService } from './desktop/desktopActionsService.js'
import { createGamificationFeature } from './gamification/feature.js'
import { createIntegrationsFeature } from './integrations/feature.js'
import { createOverlaysFeature } from './overlays/feature.js'
import { alertDeliveryTo, createOverlayHub } from './overlays/overlayHub.js'
import { createOverlayService } from './overlays/overlayService.js'
import { createSandboxFeature } from './sandbox/index.js'
import { createTipsFeature } from './tips/tipsFeature.js'

/** The services other parts (tests, the Electron shell, benches) may reach, each built once below. */
export type ComposedServices = ReturnType<typeof composeApp>['services']

/**
 * The composition root: every feature is built once, here, in the order of what it needs, and is handed
 * the services of the features before it. Nothing is replaced after it is built; features never import
 * this file.
 */
export function composeApp(infra: Infrastructure, startedAt: Date) {
  // The dashboard's live stream hears every bus event from the start, to replay what a client missed.
  const liveEvents = createLiveEventsService({ bus: infra.bus })

  const integrations = createIntegrationsFeature(infra)
  const streams = integrations.services.sessions
  const now = integrations.services.now
  const liveStreamId = (at?: number) => streams.liveStreamId(at ?? now())

  const gamification = createGamificationFeature(infra, { liveStreamId })
  const tiers = gamification.services.tiers
  const tipTiers = () => tiers.current()

  const analytics = createAnalyticsFeature(infra, { liveStreamId })
  const overlayHub = createOverlayHub({ isKeyValid: (key) => infra.overlayKeys.verify(key) })
  const alertQueue = createAlertQueueService({
    db: infra.db,
    repository: createAlertRepository(infra.db),
    rules: alertRulesFrom(infra.settings),
    delivery: alertDeliveryTo(overlayHub),
    isPaused: () => infra.settings.get('alerts.paused'),
    onChange: (view) => infra.bus.emit('alert.updated', view),
  })
  const alerts = createAlertService({
    settings: infra.settings,
    ledger: infra.ledger,
    bus: infra.bus,
    queue: alertQueue,
    streamerAsset: infra.streamerAsset,
  })
  const alertsFeature = createAlertsFeature({ alerts, queue: alertQueue, bus: infra.bus })
  const overlayService = createOverlayService({
    settings: infra.settings,
    overlayKeys: infra.overlayKeys,
    hub: overlayHub,
    localUrl: infra.urls.local,
    streamerAsset: infra.streamerAsset,
  })
  const overlays = createOverlaysFeature({
    hub: overlayHub,
    overlays: overlayService,
    queue: alertQueue,
    alerts,
    bus: infra.bus,
    db: infra.db,
    localUrl: infra.urls.local,
    streamerAsset: infra.streamerAsset,
    liveStreamId,
    tipTiers,
  })
  const desktop = createDesktopActionsService({
    alerts,
    overlayKeys: infra.overlayKeys,
    settings: infra.settings,
    bus: infra.bus,
    localUrl: infra.urls.local,
    log: infra.log,
  })
  const sandbox = createSandboxFeature(infra)
  const tips = createTipsFeature(infra, { sandbox, liveStreamId, tipTiers })
  const dashboard = createDashboardFeature({
    dashboard: createDashboardService({
      settings: infra.settings,
      alerts,
      config: infra.config,
      version: infra.version,
      urls: infra.urls,
      liveClients: () => liveEvents.clientCount(),
      startedAt,
    }),
    liveEvents,
    sessions: infra.sessions,
    tipTiers,
  })

  const features: Feature[] = [
    dashboard,
    integrations,
    gamification,
    analytics,
    alertsFeature,
    overlays,
    sandbox,
    tips,
  ]
  return {
    features,
    services: {
      streams,
      integrations: integrations.services,
      gamification: gamification.services,
      alerts,
      alertQueue,
      overlayHub,
      desktop,
      sandbox,
      tips: tips.service,
      wallets: tips.wallets,
    },
  }
}
