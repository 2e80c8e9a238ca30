/**
 * What the desktop shell tells the user when the server cannot start, and with which exit code.
 * Pure, tested under Node.
 */

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

/**
 * `npm install` compiles better-sqlite3 for the installed Node; Electron embeds another Node with
 * another ABI, so loading it fails with NODE_MODULE_VERSION in the message. Packaging rebuilds it
 * for Electron; a development checkout needs `electron-rebuild`, or headless mode.
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
      message:
        'The SQLite module (better-sqlite3) is built for Node.js, not for Electron. ' +
        'Run `npx electron-rebuild -f -w better-sqlite3` to use the desktop app from a source checkout, ' +
        'or `npm run start:headless` to run without Electron.',
      exitCode: EXIT_CODES.nativeModule,
    }
  }
  return { message: `failed to start: ${message}`, exitCode: EXIT_CODES.failure }
}
