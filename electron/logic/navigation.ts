/**
 * Where the dashboard window may go. Pure: tested under Node, used by electron/security.ts.
 */
import { externalHttpsUrl } from './ipc.js'

/** The origin of the local listener, e.g. `http://127.0.0.1:8085`. */
export function originOf(url: string): string {
  return new URL(url).origin
}

/**
 * The window may only show pages of the local dashboard: same scheme, host and port as the local
 * listener. Anything else (another port on 127.0.0.1, `localhost` instead of `127.0.0.1`, `file:`,
 * `data:`, `javascript:`, the public listener) is blocked.
 */
export function isAllowedNavigation(url: string, localOrigin: string): boolean {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return false
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false
  if (target.username || target.password) return false
  return target.origin === localOrigin
}

export type WindowOpenDecision =
  /** Handed to the OS browser (https links such as a wallet's page). */
  | { action: 'open-external'; url: string }
  /** Dropped: no new Electron window is ever created. */
  | { action: 'deny' }

/** `window.open` and `target=_blank` never create an Electron window; https links go to the OS browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  const external = externalHttpsUrl(url)
  return external ? { action: 'open-external', url: external } : { action: 'deny' }
}

export type NavigationDecision =
  { action: 'allow' } | { action: 'open-external'; url: string } | { action: 'block' }

/**
 * A navigation of the dashboard window: inside the dashboard it proceeds; an https link elsewhere is
 * cancelled and opened in the OS browser instead; everything else is cancelled.
 */
export function decideNavigation(url: string, localOrigin: string): NavigationDecision {
  if (isAllowedNavigation(url, localOrigin)) return { action: 'allow' }
  const external = externalHttpsUrl(url)
  return external ? { action: 'open-external', url: external } : { action: 'block' }
}
