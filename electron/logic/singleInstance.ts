/**
 * One app per data folder, desktop side. Electron's own lock (`app.requestSingleInstanceLock`, kept in
 * userData, which main.ts points at the data folder) makes a second desktop start hand its command line
 * to the first (`second-instance`): what the first then does is decided here. A headless server on the
 * same folder holds the folder's instance lock (server/app/control.ts); a desktop start that finds it
 * opens that server's dashboard rather than starting a second server on one database. Pure, tested
 * under Node.
 */
import { HIDDEN_FLAG } from './autostart.js'

export type WindowState = 'none' | 'hidden' | 'minimized' | 'visible'

export type SecondInstanceAction =
  /** A login-item start (`--hidden`) while already running: nothing to show. */
  | { kind: 'ignore' }
  /** The server is still starting: open the window once it is up. */
  | { kind: 'open-when-ready' }
  /** No window (closed to the tray): open a new one. */
  | { kind: 'open-window' }
  /** Bring the existing window forward. */
  | { kind: 'focus-window'; restore: boolean; show: boolean }

export function onSecondInstance(input: {
  /** The second start's argv, as Electron's `second-instance` event gives it. */
  argv: readonly string[]
  serverReady: boolean
  window: WindowState
}): SecondInstanceAction {
  if (input.argv.includes(HIDDEN_FLAG)) return { kind: 'ignore' }
  if (!input.serverReady) return { kind: 'open-when-ready' }
  switch (input.window) {
    case 'none':
      return { kind: 'open-window' }
    case 'hidden':
      return { kind: 'focus-window', restore: false, show: true }
    case 'minimized':
      return { kind: 'focus-window', restore: true, show: true }
    case 'visible':
      return { kind: 'focus-window', restore: false, show: false }
  }
}

/** What the `second-instance` handler reads from the window (null when there is none). */
export function windowStateOf(
  window: { isDestroyed(): boolean; isVisible(): boolean; isMinimized(): boolean } | null,
): WindowState {
  if (!window || window.isDestroyed()) return 'none'
  if (window.isMinimized()) return 'minimized'
  return window.isVisible() ? 'visible' : 'hidden'
}

/** The outcome of claiming the data folder (server/app/control.ts `claimInstance`). */
export type FolderClaim =
  | { kind: 'acquired' }
  | { kind: 'running'; record: { localUrl: string; pid: number } }
  | { kind: 'busy' }

export type DesktopStartAction =
  | { kind: 'start-server' }
  /** A headless server has this folder: open its dashboard in the browser, then quit. */
  | { kind: 'open-running'; url: string; message: string }
  | { kind: 'fail'; message: string }

export function onDesktopStart(claim: FolderClaim, dataDir: string): DesktopStartAction {
  switch (claim.kind) {
    case 'acquired':
      return { kind: 'start-server' }
    case 'running':
      return {
        kind: 'open-running',
        url: `${claim.record.localUrl}/`,
        message: `WM Companion is already running without a window on this data folder (pid ${claim.record.pid}). Its dashboard opens in your browser; run \`npm run sign-in-link\` there for a sign-in link, or stop it to use the desktop app.`,
      }
    case 'busy':
      return {
        kind: 'fail',
        message: `Another process holds the data folder ${dataDir} but does not answer. Stop it, or set WM_DATA_DIR to another folder.`,
      }
  }
}
