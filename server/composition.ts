import { createAlertQueueService } from './alerts/alertQueueService.js'
import { createAlertRepository } from './alerts/alertRepository.js'
import { alertRulesFrom, createAlertService } from './alerts/alertService.js'
import { createAlertsFeature } from './alerts/feature.js'
import { cleanViewerText, createBlockedWordMatcher } from './alerts/viewerText.js'
import { createAnalyticsService } from './analytics/analyticsService.js'
import { createAnalyticsFeature } from './analytics/feature.js'
import { createPlatformEventRepository } from './analytics/platformEventRepository.js'
import type { Feature } from './app/feature.js'
import type { Infrastructure } from './app/infrastructure.js'
import { createDashboardService } from './dashboard/dashboardService.js'
import { createDashboardFeature } from './dashboard/feature.js'
import { createLiveEventsService } from './dashboard/liveEventsService.js'
import { createDesktopActionsService } from './desktop/desktopActionsService.js'
import { createGamificationFeature } from './gamification/feature.js'
import { createGifterRepository } from './gamification/gifterRepository.js'
import { createGifterService } from './gamification/gifterService.js'
import { createGoalRepository } from './gamification/goalRepository.js'
import { createGoalService } from './gamification/goalService.js'
import { createLeaderboardService } from './gamification/leaderboardService.js'
import { createIntegrationsFeature } from './integrations/feature.js'
import { createIntegrationsService } from './integrations/integrationsService.js'
import { createLabelsFeature } from './labels/feature.js'
import { createLabelService } from './labels/labelService.js'
import { createObsFeature } from './obs/feature.js'
import { createObsService } from './obs/obsService.js'
import { createOverlaysFeature } from './overlays/feature.js'
import { alertDeliveryTo, createOverlayHub } from './overlays/overlayHub.js'
import { createOverlayService } from './overlays/overlayService.js'
import { createSandboxFeature } from './sandbox/feature.js'
import { createSupportReadModels } from './support/readModels.js'
import { createSupporterIdentity } from './support/supporters.js'
import { createTiersFeature } from './tiers/feature.js'
import { createTierRepository } from './tiers/tierRepository.js'
import { createTierService } from './tiers/tierService.js'
import { createTimerFeature } from './timer/feature.js'
import { createTimerService } from './timer/timerService.js'
import { createTipsFeature } from './tips/feature.js'
import { createTipFlowService } from './tips/tipFlowService.js'
import { createTipPageService } from './tips/tipPageService.js'
import { createTipSettingsService } from './tips/tipSettingsService.js'
import { createViewerSessions } from './viewers/viewerSessions.js'
import { createWalletFeature } from './wallet/feature.js'
import { sandboxHost } from './wallet/sandboxIdentity.js'
import { createWalletService } from './wallet/walletService.js'
import { createWebMonetizationFeature } from './webMonetization/feature.js'

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
    ledger: infra.ledger,
    log: infra.log,
  })
  const streams = integrationServices.sessions
  const now = integrationServices.now
  const liveStreamId = (at?: number) => streams.liveStreamId(at ?? now())
  const viewerSessions = createViewerSessions({ db: infra.db })

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
  const gamification = createGamificationFeature({
    bus: infra.bus,
    log: infra.log,
    gifter,
    leaderboards,
    goals,
  })
  const tipSettings = createTipSettingsService(infra.settings)
  const tiers = createTierService({
    db: infra.db,
    bus: infra.bus,
    settings: infra.settings,
    secrets: infra.secrets,
    repository: createTierRepository(infra.db),
    supporterStats: support.stats,
    streamerAsset,
    onAiFallback: (reason) =>
      infra.log.warn({ reason }, 'AI tier suggestion failed; built-in tiers used'),
    tipLimits: (asset) => tipSettings.limits(asset),
  })
  const tipTiers = () => tiers.current()
  const tiersFeature = createTiersFeature({ tiers, viewerSessions })

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
  // OBS control comes before the alert queue: "hold alerts while OBS is not streaming" is one of the
  // queue's pause conditions, handed to it as a dependency.
  const obs = createObsService({
    settings: () => infra.settings.get('obs.settings'),
    password: () => infra.secrets.get('obs.password'),
    localUrl: infra.urls.local,
    log: infra.log,
    onStatus: (status) => infra.bus.emit('obs.status', status),
    onStreamingChanged: () => alertQueue.pump(),
  })
  const obsFeature = createObsFeature({
    obs,
    settings: infra.settings,
    secrets: infra.secrets,
    bus: infra.bus,
  })
  const overlayHub = createOverlayHub({ isKeyValid: (key) => infra.overlayKeys.verify(key) })
  const alertQueue = createAlertQueueService({
    isLargestThisStream: (event) => support.eventLog.isLargestThisStream(event),
    repository: createAlertRepository(infra.db),
    rules: alertRulesFrom(infra.settings),
    delivery: alertDeliveryTo(overlayHub),
    isPaused: () => infra.settings.get('alerts.paused') || obs.holdsAlerts(),
    onChange: (view) => infra.bus.emit('alert.updated', view),
  })
  const alerts = createAlertService({
    settings: infra.settings,
    ledger: infra.ledger,
    bus: infra.bus,
    queue: alertQueue,
    streamerAsset: infra.streamerAsset,
  })
  const alertsFeature = createAlertsFeature({
    alerts,
    queue: alertQueue,
    bus: infra.bus,
    ledger: infra.ledger,
  })
  // The timer's text follows it into the stream label file and the OBS text source.
  const timer = createTimerService({
    settings: infra.settings,
    onChange: (view) => infra.bus.emit('timer.updated', view),
    onText: (text) => {
      labelsFeatureUpdate(['timer'])
      void obs.showTimerText(text)
    },
  })
  const timerFeature = createTimerFeature({ timer, ledger: infra.ledger, bus: infra.bus })
  const labels = createLabelService({
    dataDir: infra.config.dataDir,
    formats: () => infra.settings.get('labels.formats'),
    support,
    goal: () => goals.overlayGoal(),
    streamerAsset,
    liveStreamId: () => liveStreamId(),
    displayName: (name) => {
      const cleaned = cleanViewerText(name, 40)
      if (!cleaned) return 'Anonymous'
      return createBlockedWordMatcher(alerts.settings().blockedWords).mask(cleaned).text ?? cleaned
    },
    timerText: () => timer.text(),
  })
  const labelsFeature = createLabelsFeature({
    labels,
    settings: infra.settings,
    bus: infra.bus,
    log: infra.log,
  })
  function labelsFeatureUpdate(ids: Parameters<typeof labels.update>[0]): void {
    try {
      labels.update(ids)
    } catch (error) {
      infra.log.warn({ error: (error as Error).message }, 'Timer label file not written')
    }
  }
  const overlayService = createOverlayService({
    settings: infra.settings,
    overlayKeys: infra.overlayKeys,
    hub: overlayHub,
    localUrl: infra.urls.local,
    streamerAsset: infra.streamerAsset,
    goals,
  })
  const overlays = createOverlaysFeature({
    hub: overlayHub,
    overlays: overlayService,
    queue: alertQueue,
    alerts,
    bus: infra.bus,
    support,
    goals,
    localUrl: infra.urls.local,
    streamerAsset: infra.streamerAsset,
    liveStreamId,
    tipTiers,
    timer,
  })
  const desktop = createDesktopActionsService({
    alerts,
    overlayKeys: infra.overlayKeys,
    settings: infra.settings,
    bus: infra.bus,
    localUrl: infra.urls.local,
    log: infra.log,
    liveStream: () => streams.live(now()),
    totals: support.totals,
    streamerAsset,
  })
  const sandbox = createSandboxFeature({
    config: infra.config,
    settings: infra.settings,
    log: infra.log,
  })

  const wallets = createWalletService({
    db: infra.db,
    settings: infra.settings,
    secrets: infra.secrets,
    sandbox: sandboxHost(sandbox),
    sandboxForced: infra.config.sandbox,
    opInsecureHttp: infra.config.opInsecureHttp,
    log: infra.log.child({ name: 'open-payments' }),
  })
  const wallet = createWalletFeature({ wallets })
  const tipFlows = createTipFlowService({
    db: infra.db,
    wallets,
    ledger: infra.ledger,
    liveStreamId,
    callbackUrl: (flowId) => `${infra.urls.public()}/tip/callback/${flowId}`,
    shareNameWithWallet: () => infra.settings.get('tips.shareNameWithWallet'),
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

  const webMonetization = createWebMonetizationFeature({
    db: infra.db,
    ledger: infra.ledger,
    wallets,
    settings: infra.settings,
    bus: infra.bus,
    queue: alertQueue,
    totals: support.totals,
    streamerAsset,
    liveStreamId: () => liveStreamId(),
    publicUrl: infra.urls.public,
    localPort: () => Number(new URL(infra.urls.local()).port),
    log: infra.log,
  })

  const dashboard = createDashboardFeature({
    dashboard: createDashboardService({
      settings: infra.settings,
      alerts,
      config: infra.config,
      version: infra.version,
      urls: infra.urls,
      sandbox,
      liveClients: () => liveEvents.clientCount(),
      startedAt,
    }),
    liveEvents,
    sessions: infra.sessions,
  })

  const features: Feature[] = [
    dashboard,
    integrations,
    gamification,
    tiersFeature,
    analytics,
    alertsFeature,
    overlays,
    sandbox,
    wallet,
    tips,
    webMonetization,
    obsFeature,
    labelsFeature,
    timerFeature,
  ]
  return {
    features,
    services: {
      streams,
      integrations: integrationServices,
      gamification: { gifter, leaderboards, goals },
      support,
      tiers,
      alerts,
      alertQueue,
      overlayHub,
      desktop,
      sandbox,
      tips: tipFlows,
      wallets,
      viewerSessions,
      webMonetization,
      obs,
      labels,
      timer,
    },
  }
}
