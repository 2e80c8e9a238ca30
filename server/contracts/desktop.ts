/**
 * The one object the Electron preload exposes to the dashboard as `window.wmDesktop` (STYLE rule 6).
 * Type-only and free of Node and Electron imports: the renderer imports it type-only, and in a plain
 * browser (headless mode) `window.wmDesktop` is simply absent, so the renderer falls back to web APIs.
 *
 * Every method is an IPC call the main process validates (sender origin, argument shape) before acting.
 */
export type DesktopPlatform = 'darwin' | 'win32' | 'linux' | 'other'

export interface DesktopBridge {
  /** Always true: lets the renderer tell the desktop app from a browser tab. */
  readonly isDesktop: true
  /** The operating system, for platform-specific wording ("menu bar" on macOS, "tray" elsewhere). */
  readonly platform: DesktopPlatform
  /** Puts plain text on the system clipboard (overlay URLs and the like). Rejects non-strings. */
  copyText(text: string): Promise<void>
  /**
   * Opens an https URL in the OS browser (wallet pages, docs). Resolves false when the main process
   * refused it (not https, credentials in it, too long), true when it was handed to the OS.
   */
  openExternal(url: string): Promise<boolean>
  /** Pauses or resumes alerts, like the dashboard toggle and the tray checkbox. Resolves the new state. */
  setAlertsPaused(paused: boolean): Promise<boolean>
  /** Where updates stand ("update ready" on the dashboard). */
  updateStatus(): Promise<UpdateStatusView>
  /**
   * "Restart now": quits, installs the ready update and starts the app again. Resolves false, doing
   * nothing, when no update is ready, updates are off or a stream is live (a live stream is never cut).
   */
  installUpdate(): Promise<boolean>
}

/** Where the desktop app's updates stand (electron/logic/updatePolicy.ts decides). */
export interface UpdateStatusView {
  status: 'off' | 'up-to-date' | 'checking' | 'downloading' | 'ready' | 'installing'
  version: string | null
  message: string
  error: string | null
  /** An update is ready and no stream is live: "Restart now" may install it. */
  canInstallNow: boolean
}

/** The property name on `window`; type it in the renderer as `window as DesktopWindow`. */
export type DesktopBridgeKey = 'wmDesktop'

/** `window` as seen by the renderer: the bridge exists only inside the desktop app. */
export interface DesktopWindow {
  wmDesktop?: DesktopBridge
}
