import type { FastifyInstance } from 'fastify'
import { walletAdminRoutes } from '../contracts/wallet.js'
import { registerRoutes } from '../http/routes.js'
import type { WalletService } from './walletService.js'

/** Wallet setup for the Setup page, on the admin API (local listener, under /api). */
export function registerWalletAdminRoutes(app: FastifyInstance, wallets: WalletService): void {
  registerRoutes(app, walletAdminRoutes, {
    'GET /wallet': async () => wallets.status(),
    'POST /wallet': async (request) => wallets.configure(request.body),
    'POST /wallet/sandbox': async () => wallets.useSandbox(),
    'DELETE /wallet': async () => {
      wallets.forget()
      return wallets.status()
    },
  })
}
