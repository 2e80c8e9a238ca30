import { claimInstance, formatAlreadyRunning, type InstanceLock } from './app/control.js'
import { ConfigError, loadConfig, type AppConfig } from './config/config.js'
import { MigrationError } from './storage/db.js'
import { PortInUseError, startServer, type RunningServer } from './start.js'

/** Exit codes: 0 stopped cleanly, 1 unexpected failure, 2 configuration problem (bad value, port taken). */
export const EXIT_CONFIG = 2
export const EXIT_FAILURE = 1

export function formatBanner(server: RunningServer, loginUrl: string, mode: string): string {
  const lines = [
    `WM Companion ${server.context.version} is running (${mode}).`,
    `  Dashboard:  ${loginUrl}`,
    `              (one-time sign-in link; npm run sign-in-link prints a new one)`,
    `  Public URL: ${server.publicUrl}${server.context.config.publicUrl ? '' : "   (set WM_PUBLIC_URL to your tunnel's https URL)"}`,
    `  Listening:  local ${server.localUrl}, public ${server.publicListenUrl}`,
    `  Data:       ${server.context.config.dataDir}`,
    ...server.bannerLines().map((line) => `  ${line}`),
    'Press Ctrl+C to stop.',
  ]
  return lines.join('\n')
}

export async function runHeadless(
  argv: readonly string[] = process.argv.slice(2),
  mode = 'headless',
): Promise<void> {
  let server: RunningServer
  let lock: InstanceLock | undefined
  try {
    const config = loadConfig(process.env, argv)
    lock = await claimDataFolder(config)
    server = await startServer({ config })
  } catch (error) {
    lock?.release()
    if (
      error instanceof ConfigError ||
      error instanceof PortInUseError ||
      error instanceof MigrationError
    ) {
      process.stderr.write(`wm-companion: ${error.message}\n`)
      process.exit(EXIT_CONFIG)
    }
    throw error
  }
  process.stdout.write(`${formatBanner(server, server.loginUrl(), mode)}\n`)
  const instanceLock = lock

  let stoppingSince = 0
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince) {
      // conf's write-on-exit helper (when-exit) re-raises the signal right after the first one; only a
      // second Ctrl+C from a person, a moment later, means "exit now".
      if (Date.now() - stoppingSince < 1000) return
      process.stderr.write(`wm-companion: ${signal} again, exiting now\n`)
      process.exit(1)
    }
    stoppingSince = Date.now()
    process.stdout.write(
      `wm-companion: ${signal} received, finishing requests and closing the database\n`,
    )
    server.close().then(
      () => {
        instanceLock.release()
        process.exit(0)
      },
      (error: unknown) => {
        process.stderr.write(`wm-companion: error while stopping: ${(error as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/**
 * One server per data folder: a second start on the same folder prints where the running one is and
 * exits 0, before it opens the database or binds a port (control.ts).
 */
async function claimDataFolder(config: AppConfig): Promise<InstanceLock> {
  const claim = await claimInstance(config.dataDir)
  if (claim.kind === 'acquired') return claim.lock
  if (claim.kind === 'running') {
    process.stdout.write(`${formatAlreadyRunning(claim.record, config.dataDir)}\n`)
    process.exit(0)
  }
  process.stderr.write(
    `wm-companion: another process holds ${config.dataDir} but its server does not answer; stop it or set WM_DATA_DIR to another folder.\n`,
  )
  process.exit(EXIT_FAILURE)
}

const entry = process.argv[1] ?? ''
if (/headless\.(ts|js)$/.test(entry)) {
  runHeadless().catch((error: unknown) => {
    process.stderr.write(
      `wm-companion: failed to start: ${(error as Error).stack ?? String(error)}\n`,
    )
    process.exit(1)
  })
}
