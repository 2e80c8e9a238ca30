/**
 * The configuration flags in an Electron command line. Electron's argv carries more than ours: the
 * executable, the app path when run as `electron .`, Chromium switches (`--no-sandbox`,
 * `--enable-logging`), macOS's `-psn_...`; a second instance's argv arrives the same way. Only the
 * flags `loadConfig` knows are kept, so a Chromium switch never becomes a configuration error.
 */
import { CONFIG_OPTIONS } from '../../server/config/config.js'

/** Flags that take no value (loadConfig reads them alone as 1). */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  CONFIG_OPTIONS.sandbox.flag,
  CONFIG_OPTIONS.opInsecureHttp.flag,
])
const VALUE_FLAGS: ReadonlySet<string> = new Set(
  Object.values(CONFIG_OPTIONS)
    .map((option) => option.flag)
    .filter((flag) => !BOOLEAN_FLAGS.has(flag)),
)

/**
 * @param argv `process.argv` of the Electron main process
 * @param defaultApp `process.defaultApp`: true when started as `electron <path>` (argv[1] is the app)
 */
export function configArgs(argv: readonly string[], defaultApp: boolean): string[] {
  const args = argv.slice(defaultApp ? 2 : 1)
  const kept: string[] = []
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    if (BOOLEAN_FLAGS.has(flag)) {
      kept.push(arg)
    } else if (VALUE_FLAGS.has(flag)) {
      kept.push(arg)
      const next = args[i + 1]
      // `--local-port 9000`: keep the value with its flag; a missing value is loadConfig's to report.
      if (eq === -1 && next !== undefined && !next.startsWith('--')) {
        kept.push(next)
        i += 1
      }
    }
  }
  return kept
}
