/**
 * What the desktop shell tells the user when the server cannot start, and with which exit code.
 * Pure, tested under Node.
 */
import { describeBindingChoice, type BindingChoice } from './nativeBinding.js'

/** Same codes as headless mode, plus one for a native module built for the wrong runtime. */
export const EXIT_CODES = {
  failure: 1,
  /** A bad configuration value, a port in use, an unknown migration. */
  config: 2,
  /** better-sqlite3 was compiled for Node, not for Electron (see explainStartError). */
  nativeModule: 3,
} as const

export interface StartErrorReport {
  message: string
  exitCode: number
}

/** What to do when the Electron build of better-sqlite3 is missing or cannot load. */
const NATIVE_MODULE_HELP =
  'Run `npm start`: it prepares an Electron build of better-sqlite3 beside the Node one (or says why it cannot), ' +
  'or `npm run start:headless` to run without Electron. Avoid `electron-rebuild` in a source checkout: ' +
  'it replaces the Node build that headless mode and the tests use.'

/**
 * `npm install` compiles better-sqlite3 for the installed Node; Electron embeds another Node with
 * another ABI, so loading it fails with NODE_MODULE_VERSION in the message. Packaging rebuilds it
 * for Electron; a source checkout gets its own Electron build from `npm start` (nativeBinding.ts).
 */
export function explainStartError(error: unknown, isConfigProblem: boolean): StartErrorReport {
  const message = error instanceof Error ? error.message : String(error)
  if (isConfigProblem) return { message, exitCode: EXIT_CODES.config }
  const code = (error as { code?: unknown } | null)?.code
  if (
    /NODE_MODULE_VERSION/.test(message) ||
    (code === 'ERR_DLOPEN_FAILED' && /better[-_]sqlite3/.test(message))
  ) {
    return {
      message: `The SQLite module (better-sqlite3) is built for Node.js, not for Electron. ${NATIVE_MODULE_HELP}`,
      exitCode: EXIT_CODES.nativeModule,
    }
  }
  return { message: `failed to start: ${message}`, exitCode: EXIT_CODES.failure }
}

/**
 * Before the server starts: Electron found no build of better-sqlite3 for itself in the cache (the app
 * was started without `npm start`, or Electron was updated since). Exit code 3 lets `npm start` fall
 * back to headless.
 */
export function explainBindingChoice(choice: BindingChoice): StartErrorReport | null {
  if (choice.kind !== 'missing' && choice.kind !== 'stale') return null
  return {
    message: `The SQLite module cannot load in this Electron: ${describeBindingChoice(choice)}. ${NATIVE_MODULE_HELP}`,
    exitCode: EXIT_CODES.nativeModule,
  }
}
