import type { Feature } from '../app/feature.js'
import { registerWalletAdminRoutes } from './routes.js'
import type { WalletService } from './walletService.js'

export interface WalletFeatureDeps {
  /** Built once in the composition root; the tips feature is handed the same one. */
  wallets: WalletService
}

/**
 * The streamer's wallet: its setup on the admin API (`/api/wallet*`). The wallet service behind it (the
 * Open Payments client identity, its gateway and grants, the sandbox fallback) serves the tip flow too.
 */
export function createWalletFeature(deps: WalletFeatureDeps): Feature {
  return {
    name: 'wallet',
    adminRoutes(app) {
      registerWalletAdminRoutes(app, deps.wallets)
    },
  }
}
