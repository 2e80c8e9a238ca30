import { ConfigError, loadConfig } from './config/config.js'
import { MigrationError } from './storage/db.js'
import { PortInUseError, startServer, type RunningServer } from './start.js'

/** Exit codes: 0 stopped cleanly, 1 unexpected failure, 2 configuration problem (bad value, port taken). */
export const EXIT_CONFIG = 2

export function formatBanner(server: RunningServer, loginUrl: string, mode: string): string {
  const lines = [
    `WM Companion ${server.context.version} is running (${mode}).`,
    `  Dashboard:  ${loginUrl}`,
    `              (one-time sign-in link; restart for a new one)`,
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
  try {
    const config = loadConfig(process.env, argv)
    server = await startServer({ config })
  } catch (error) {
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
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`wm-companion: error while stopping: ${(error as Error).message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
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
