import type { DesktopBridge, DesktopWindow } from '../../../server/contracts/desktop.js'

/** The Electron preload's `window.wmDesktop`, or undefined in a plain browser (headless mode). */
export function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as DesktopWindow).wmDesktop
}
