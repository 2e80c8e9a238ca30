import path from 'node:path'
import { findAppRoot } from '../app/appRoot.js'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { SandboxWallet } from '../sandbox/sandboxWallet.js'
import { createViewerSessions } from '../viewers/viewerSessions.js'
import { registerWalletAdminRoutes } from '../wallet/walletRoutes.js'
import {
  createWalletService,
  type SandboxIdentity,
  type WalletService,
} from '../wallet/walletService.js'
import { registerTipAdminRoutes, registerTipPublicRoutes } from './publicRoutes.js'
import { createTipFlowService, type TipFlowService } from './tipFlowService.js'
import { createTipSettingsStore } from './tipSettings.js'

export interface TipsFeatureDeps {
  /** The tiers the tip page shows (tier service). */
  tipTiers(streamId: string | null): TipTierSet
  /** The stream live at time `at` (ms), to attribute tips (stream sessions). */
  liveStreamId(at: number): string | null
  sandbox: {
    instance(): SandboxWallet | null
    /** Starts the sandbox on demand ("use the sandbox wallet" in one click). */
    ensureStarted?(): Promise<SandboxWallet>
  }
}

export function sandboxIdentity(wallet: SandboxWallet | null): SandboxIdentity | null {
  if (!wallet) return null
  return {
    url: wallet.url,
    streamerWalletAddress: wallet.streamer.address,
    viewers: wallet.viewers.map((viewer) => viewer.address),
    client: {
      walletAddress: wallet.client.walletAddress,
      keyId: wallet.client.keyId,
      privateKey: wallet.client.privateKey,
    },
  }
}

/**
 * Tips over Open Payments (issue 3): wallet setup on the admin API, the tip flow service with its
 * recovery, viewer sessions, the public tip API, the tip page and the <wm-tip-panel> widget.
 */
export function createTipsFeature(
  ctx: Infrastructure,
  deps: TipsFeatureDeps,
): Feature & { service: TipFlowService; wallets: WalletService } {
  const wallets = createWalletService({
    db: ctx.db,
    settings: ctx.settings,
    secrets: ctx.secrets,
    sandbox: () => sandboxIdentity(deps.sandbox.instance()),
    startSandbox: deps.sandbox.ensureStarted
      ? async () => sandboxIdentity(await deps.sandbox.ensureStarted!())
      : undefined,
    onSandboxChosen: () => ctx.settings.set('sandbox.enabled', true),
    sandboxPreferred: () => ctx.config.sandbox || ctx.settings.get('sandbox.enabled'),
    opInsecureHttp: ctx.config.opInsecureHttp,
    setAsset: (asset) =>
      ctx.settings.set('wallet.streamerAsset', {
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
      }),
  })
  const settings = createTipSettingsStore(ctx.settings)
  const sessions = createViewerSessions({ db: ctx.db })
  const service = createTipFlowService({
    db: ctx.db,
    wallets,
    ledger: ctx.ledger,
    bus: ctx.bus,
    tiers: (streamId) => deps.tipTiers(streamId),
    liveStreamId: (at) => deps.liveStreamId(at),
    callbackUrl: (flowId) => `${ctx.urls.public()}/tip/callback/${flowId}`,
    log: {
      info: (obj, msg) => ctx.log.info(obj, msg),
      warn: (obj, msg) => ctx.log.warn(obj, msg),
      error: (obj, msg) => ctx.log.error(obj, msg),
    },
  })
  let sessionSweep: NodeJS.Timeout | undefined

  return {
    name: 'tips',
    service,
    wallets,
    adminRoutes(app) {
      registerWalletAdminRoutes(app, { wallets, settings, asset: () => ctx.streamerAsset() })
      registerTipAdminRoutes(app, service)
    },
    async publicRoutes(app) {
      await registerTipPublicRoutes(app, {
        service,
        wallets,
        sessions,
        settings,
        tiers: (streamId) => deps.tipTiers(streamId),
        asset: () => ctx.streamerAsset(),
        publicUrl: () => ctx.urls.public(),
        clientDir: path.join(findAppRoot(), 'server', 'tips', 'client'),
      })
    },
    async start() {
      sessionSweep = setInterval(() => sessions.sweep(), 60_000)
      sessionSweep.unref()
      sessions.sweep()
      await service.start()
    },
    async stop() {
      if (sessionSweep) clearInterval(sessionSweep)
      await service.stop()
    },
    bannerLines() {
      const status = wallets.status()
      return [
        `Tip page:   ${ctx.urls.public()}/tip${status.configured ? '' : '   (no wallet set up yet)'}`,
        `Tip widget: <script type="module" src="${ctx.urls.public()}/tip/widget.js"></script><wm-tip-panel></wm-tip-panel>`,
      ]
    },
  }
}
