/**
 * Sandbox wallet feature: starts the local Open Payments provider when `WM_SANDBOX=1` or the
 * `sandboxEnabled` setting is on (issue 3 item 7). The tips feature wires it and asks `instance()`.
 */
import path from 'node:path'
import type { AppContext, Feature } from '../app/context.js'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

export {
  startSandboxWallet,
  type SandboxClientIdentity,
  type SandboxOptions,
  type SandboxWallet,
  type SandboxWalletInfo,
} from './sandboxWallet.js'
export { interactionHash } from './authServer.js'

export const SANDBOX_DB_FILE = 'sandbox.sqlite'

export function createSandboxFeature(
  ctx: AppContext,
): Feature & { instance(): SandboxWallet | null } {
  let wallet: SandboxWallet | null = null
  return {
    name: 'sandbox',
    instance: () => wallet,
    async start() {
      if (!ctx.config.sandbox && !ctx.settings.get('sandboxEnabled')) return
      wallet = await startSandboxWallet({
        port: ctx.config.sandboxPort,
        dbFile: path.join(ctx.config.dataDir, SANDBOX_DB_FILE),
      })
      ctx.log.info({ url: wallet.url }, 'sandbox wallet started (play money)')
    },
    async stop() {
      const running = wallet
      wallet = null
      await running?.close()
    },
    bannerLines() {
      if (!wallet) return []
      return [
        `Sandbox wallet (play money): ${wallet.url}/`,
        `  streamer ${wallet.streamer.address}; viewers ${wallet.viewers.map((v) => v.address).join(', ')}`,
      ]
    },
  }
}
