import path from 'node:path'
import cookie from '@fastify/cookie'
import { findAppRoot } from '../app/appRoot.js'
import type { Feature } from '../app/feature.js'
import type { Asset } from '../contracts/common.js'
import type { ViewerSessions } from '../viewers/viewerSessions.js'
import type { WalletService } from '../wallet/walletService.js'
import { registerTipAdminRoutes, registerTipPublicRoutes } from './routes.js'
import type { TipFlowService } from './tipFlowService.js'
import { registerTipPage } from './tipPage.js'
import type { TipPageService } from './tipPageService.js'
import type { TipSettingsService } from './tipSettingsService.js'

export interface TipsFeatureDeps {
  flows: TipFlowService
  page: TipPageService
  settings: TipSettingsService
  /** Viewer sessions (remembered wallets); this feature sweeps their expired rows. */
  viewerSessions: ViewerSessions
  /** Whether a wallet is set up, for the start-up banner. */
  wallets: Pick<WalletService, 'status' | 'current'>
  /** The streamer's currency (the tip settings' scale). */
  asset(): Asset
  /** The public base URL (WM_PUBLIC_URL or the public listener). */
  publicUrl(): string
  /** Where the tip page's files are; server/tips/client under the app root by default. */
  clientDir?: string
}

/** How often expired viewer sessions are deleted. */
const SESSION_SWEEP_MS = 60_000

/**
 * Tips over Open Payments: the tip API and the tip page on the public listener, the tip settings and
 * recent flows on the admin API, and the tip flow's background work (recovery, sweep) in the server's
 * life cycle. Every service it uses is built in the composition root.
 */
export function createTipsFeature(deps: TipsFeatureDeps): Feature {
  let sessionSweep: NodeJS.Timeout | undefined

  return {
    name: 'tips',
    adminRoutes(app) {
      registerTipAdminRoutes(app, { flows: deps.flows, settings: deps.settings, asset: deps.asset })
    },
    async publicRoutes(app) {
      await app.register(cookie)
      registerTipPublicRoutes(app, {
        flows: deps.flows,
        page: deps.page,
        sessions: deps.viewerSessions,
      })
      registerTipPage(app, {
        flows: deps.flows,
        publicUrl: deps.publicUrl,
        clientDir: deps.clientDir ?? path.join(findAppRoot(), 'server', 'tips', 'client'),
        monetizationLink: () => deps.wallets.current()?.walletAddress ?? null,
      })
    },
    async start() {
      sessionSweep = setInterval(() => deps.viewerSessions.sweep(), SESSION_SWEEP_MS)
      sessionSweep.unref()
      deps.viewerSessions.sweep()
      await deps.flows.start()
    },
    async stop() {
      if (sessionSweep) clearInterval(sessionSweep)
      await deps.flows.stop()
    },
    bannerLines() {
      const base = deps.publicUrl()
      const configured = deps.wallets.status().configured
      return [
        `Tip page:   ${base}/tip${configured ? '' : '   (no wallet set up yet)'}`,
        `Tip widget: <script type="module" src="${base}/tip/widget.js"></script><wm-tip-panel></wm-tip-panel>`,
      ]
    },
  }
}
