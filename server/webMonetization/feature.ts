/**
 * Web Monetization (DESIGN §6): reports from pages on the public listener, reads of the streamer's
 * wallet that turn verified increases into support events of the one ledger, the optional list-all
 * poller, alerts by step and interval, the Integrations page's API and the `/overlay/wm` counter.
 */
import type { AlertQueueService } from '../alerts/alertQueueService.js'
import type { Feature } from '../app/feature.js'
import type { Asset } from '../contracts/common.js'
import { makeAmount } from '../contracts/money.js'
import type { WebMonetizationResponse, WmLive } from '../contracts/webMonetization.js'
import type { EventBus } from '../events/bus.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { SupportTotals } from '../support/totalsRepository.js'
import type { Db } from '../storage/db.js'
import type { WalletService } from '../wallet/walletService.js'
import { registerWmAdminRoutes, registerWmOverlay, registerWmPublicRoutes } from './routes.js'
import { createWmAlerts } from './wmAlerts.js'
import { createWmListAll } from './wmListAll.js'
import { createWmRepository } from './wmRepository.js'
import { createWmService, type WmService, type WmTiming } from './wmService.js'
import { linkTag, owncastSnippet } from './wmSnippet.js'

export interface WebMonetizationFeatureDeps {
  db: Db
  ledger: Pick<SupportLedger, 'record' | 'addRecorder'>
  wallets: Pick<WalletService, 'streamerWallet' | 'current'>
  settings: Pick<SettingsStore, 'get' | 'set'>
  bus: Pick<EventBus, 'on'>
  queue: Pick<AlertQueueService, 'stage' | 'announce' | 'enqueue'>
  totals: Pick<SupportTotals, 'byKind'>
  streamerAsset(): Asset
  liveStreamId(): string | null
  publicUrl(): string
  localPort(): number
  log: Parameters<typeof createWmService>[0]['log']
  timing?: Partial<WmTiming>
  listPollMs?: number
}

export interface WebMonetizationFeature extends Feature {
  service: WmService
  listAll: ReturnType<typeof createWmListAll>
  live(): WmLive
}

/** Without a live stream the counter shows the last 12 hours. */
const NO_STREAM_WINDOW_MS = 12 * 3_600_000

export function createWebMonetizationFeature(
  deps: WebMonetizationFeatureDeps,
): WebMonetizationFeature {
  const repository = createWmRepository(deps.db)
  const alerts = createWmAlerts({
    repository,
    queue: deps.queue,
    settings: deps.settings,
    bus: deps.bus,
  })
  const extraOrigins = () => {
    const origins = [deps.publicUrl()]
    const owncast = deps.settings.get('owncast.settings').baseUrl
    if (owncast) origins.push(owncast)
    return origins
  }
  const service = createWmService({
    repository,
    ledger: deps.ledger,
    wallets: deps.wallets,
    settings: deps.settings,
    liveStreamId: deps.liveStreamId,
    log: deps.log,
    extraOrigins,
    onRecord: alerts.onRecord,
    timing: deps.timing,
  })
  const listAll = createWmListAll({
    wallets: deps.wallets,
    service,
    publicUrl: deps.publicUrl,
    log: deps.log,
    pollMs: deps.listPollMs,
  })

  function live(): WmLive {
    const asset = deps.streamerAsset()
    const streamId = deps.liveStreamId()
    const byKind = deps.totals.byKind({
      asset,
      streamId,
      from: streamId ? null : Date.now() - NO_STREAM_WINDOW_MS,
    })
    const wm = byKind.find((row) => row.kind === 'web-monetization')
    return {
      viewers: service.activeViewers(),
      total: makeAmount(wm?.total ?? 0n, asset.assetCode, asset.assetScale),
      streamId,
    }
  }

  async function page(): Promise<WebMonetizationResponse> {
    const walletAddress = deps.wallets.current()?.walletAddress ?? null
    const reportUrl = `${deps.publicUrl()}/api/wm/reports`
    const shown = walletAddress ?? 'https://wallet.example/your-wallet'
    return {
      available: walletAddress !== null,
      walletAddress,
      linkTag: linkTag(shown),
      owncastSnippet: owncastSnippet(shown, reportUrl),
      reportUrl,
      reportOrigin: new URL(reportUrl).origin,
      listAll: { granted: listAll.granted() },
      settings: deps.settings.get('webMonetization.settings'),
      live: live(),
    }
  }

  const routeDeps = {
    service,
    listAll,
    settings: deps.settings,
    page,
    live,
    localPort: deps.localPort,
  }

  return {
    name: 'webMonetization',
    service,
    listAll,
    live,
    adminRoutes(app) {
      registerWmAdminRoutes(app, routeDeps)
    },
    publicRoutes(app) {
      registerWmPublicRoutes(app, routeDeps)
    },
    overlayRoutes(app) {
      registerWmOverlay(app, routeDeps)
    },
    start() {
      service.start()
      alerts.start()
      listAll.start()
      // A list-all grant from an earlier run: one listing finds out whether it still works.
      void listAll.pollOnce()
    },
    async stop() {
      alerts.stop()
      await listAll.stop()
      await service.stop()
    },
    bannerLines() {
      return [`Web Monetization reports: ${deps.publicUrl()}/api/wm/reports`]
    },
  }
}
