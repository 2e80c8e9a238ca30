/**
 * The IPC contract between the preload (`window.wmDesktop`) and the main process, and the validation
 * the main process applies to every call before acting. Pure: no Electron import, tested under Node.
 */
import type { DesktopBridge, DesktopPlatform } from '../../server/contracts/desktop.js'

/**
 * Channel names. The sandboxed preload cannot import this file at run time (it may only require
 * `electron`), so it repeats the literals and is type-checked against `IpcChannels`: a typo there
 * fails the build.
 */
export const IPC_CHANNELS = {
  copyText: 'wm-desktop:copy-text',
  openExternal: 'wm-desktop:open-external',
  setAlertsPaused: 'wm-desktop:set-alerts-paused',
  updateStatus: 'wm-desktop:update-status',
  installUpdate: 'wm-desktop:install-update',
} as const satisfies Record<Exclude<keyof DesktopBridge, 'isDesktop' | 'platform'>, string>

export type IpcChannels = typeof IPC_CHANNELS
export type IpcChannel = IpcChannels[keyof IpcChannels]

/** Clipboard text longer than this is refused: overlay URLs are a few hundred characters. */
export const MAX_CLIPBOARD_CHARS = 8192
/** URLs longer than this are refused before they reach the OS's URL handler. */
export const MAX_EXTERNAL_URL_CHARS = 2048

export class IpcValidationError extends Error {
  override name = 'IpcValidationError'
}

export function toDesktopPlatform(platform: string): DesktopPlatform {
  return platform === 'darwin' || platform === 'win32' || platform === 'linux' ? platform : 'other'
}

/**
 * An IPC message is trusted only when it comes from the top frame of a page whose origin is exactly the
 * local dashboard's (scheme, host and port): not a subframe, not another port, not `localhost` spelled
 * differently, not a `file:` or `data:` page.
 */
export function isTrustedSender(
  sender: { url: string | null | undefined; isMainFrame: boolean },
  localOrigin: string,
): boolean {
  if (!sender.isMainFrame || !sender.url) return false
  let url: URL
  try {
    url = new URL(sender.url)
  } catch {
    return false
  }
  return url.origin !== 'null' && url.origin === localOrigin
}

export function parseCopyText(value: unknown): string {
  if (typeof value !== 'string') throw new IpcValidationError('copyText expects a string')
  if (value.length > MAX_CLIPBOARD_CHARS)
    throw new IpcValidationError(`copyText accepts at most ${MAX_CLIPBOARD_CHARS} characters`)
  return value
}

export function parseAlertsPaused(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new IpcValidationError('setAlertsPaused expects a boolean')
  return value
}

/**
 * The URL the OS browser may open, or null. Only https, without user name or password (they hide the
 * real host: `https://wallet.example@evil.test`), bounded in length. Returns the normalised href.
 */
export function externalHttpsUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_EXTERNAL_URL_CHARS)
    return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null
  return url.href
}
