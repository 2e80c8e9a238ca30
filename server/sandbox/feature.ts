/**
 * Sandbox wallet feature: starts the local Open Payments provider when `WM_SANDBOX=1` or the
 * `sandboxEnabled` setting is on. The wallet feature is handed it and asks `instance()`.
 */
import path from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Feature } from '../app/feature.js'
import type { AppConfig } from '../config/config.js'
import { HttpError } from '../http/errors.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

export const SANDBOX_DB_FILE = 'sandbox.sqlite'

export interface SandboxFeatureDeps {
  /** `sandbox` (WM_SANDBOX=1), its port, and the data folder its SQLite file lives in. */
  config: Pick<AppConfig, 'sandbox' | 'sandboxPort' | 'dataDir'>
  /** `sandbox.enabled`: the Settings switch. */
  settings: Pick<SettingsStore, 'get' | 'set'>
  log: Pick<FastifyBaseLogger, 'info' | 'error'>
}

export interface SandboxFeature extends Feature {
  /** The running sandbox, or null when it is off. */
  instance(): SandboxWallet | null
  /**
   * Starts the sandbox now if it is not running (the Settings switch was just turned on); resolves
   * to the running instance. Concurrent calls share one start.
   */
  ensureStarted(): Promise<SandboxWallet>
  /**
   * The Settings switch: on starts the sandbox at once, off stops it (WM_SANDBOX=1 keeps it running,
   * since the command line asked for it). The setting is stored only once the change took effect.
   */
  setEnabled(enabled: boolean): Promise<void>
}

export function createSandboxFeature(deps: SandboxFeatureDeps): SandboxFeature {
  let wallet: SandboxWallet | null = null
  let starting: Promise<SandboxWallet> | null = null

  function ensureStarted(): Promise<SandboxWallet> {
    if (wallet) return Promise.resolve(wallet)
    starting ??= startSandboxWallet({
      port: deps.config.sandboxPort,
      dbFile: path.join(deps.config.dataDir, SANDBOX_DB_FILE),
    })
      .then((started) => {
        wallet = started
        deps.log.info({ url: started.url }, 'sandbox wallet started (play money)')
        return started
      })
      .finally(() => {
        starting = null
      })
    return starting
  }

  async function stopRunning(): Promise<void> {
    const running = wallet ?? (starting ? await starting.catch(() => null) : null)
    wallet = null
    await running?.close()
  }

  return {
    name: 'sandbox',
    instance: () => wallet,
    ensureStarted,
    async setEnabled(enabled) {
      if (enabled) {
        try {
          await ensureStarted()
        } catch (error) {
          throw new HttpError(
            409,
            'sandbox_start_failed',
            `The sandbox wallet could not start: ${(error as Error).message}`,
          )
        }
      } else if (!deps.config.sandbox) {
        await stopRunning()
        deps.log.info({}, 'sandbox wallet stopped (switched off in Settings)')
      }
      deps.settings.set('sandbox.enabled', enabled)
    },
    async start() {
      if (deps.config.sandbox) {
        // WM_SANDBOX=1 asked for it: a sandbox that cannot start is a start-up error.
        await ensureStarted()
      } else if (deps.settings.get('sandbox.enabled')) {
        // Only the Settings switch asked: the app still starts, and the log says why there is none.
        try {
          await ensureStarted()
        } catch (error) {
          deps.log.error({ err: error }, 'the sandbox wallet could not start')
        }
      }
    },
    stop: stopRunning,
    bannerLines() {
      if (!wallet) return []
      return [
        `Sandbox wallet (play money): ${wallet.url}/`,
        `  streamer ${wallet.streamer.address}; viewers ${wallet.viewers.map((v) => v.address).join(', ')}`,
      ]
    },
  }
}
