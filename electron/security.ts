/**
 * Every security default of the desktop shell, in one file (STYLE rule 6). The decisions themselves
 * (which URL is allowed, which IPC sender is trusted, what an argument may be) are pure functions in
 * electron/logic/, tested under Node; this file wires them into Electron.
 *
 * - Renderer: context isolation, no Node, Chromium sandbox, web security, no <webview>.
 * - The dashboard window shows only the local listener's origin; `window.open` never creates a window
 *   (https links go to the OS browser); redirects and navigations elsewhere are cancelled.
 * - Every permission request (camera, notifications, clipboard read, geolocation, ...) is denied.
 * - IPC: only from the top frame of a page on the local dashboard origin, arguments validated.
 */
import { app, ipcMain, shell } from 'electron'
import type { IpcMainInvokeEvent, Session, WebContents, WebPreferences } from 'electron'
import { type IpcChannel, isTrustedSender } from './logic/ipc.js'
import { decideNavigation, decideWindowOpen, isAllowedNavigation } from './logic/navigation.js'

/** The local dashboard origin (`http://127.0.0.1:<port>`), or null before the server listens. */
export type LocalOriginSource = () => string | null

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  }
}

/** Hands an https URL (already validated) to the OS browser. */
export function openExternalHttps(url: string): void {
  void shell.openExternal(url).catch(() => undefined)
}

/** Navigation, redirect, window.open and <webview> rules for one WebContents. */
export function hardenWebContents(contents: WebContents, localOrigin: LocalOriginSource): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url)
    if (decision.action === 'open-external') openExternalHttps(decision.url)
    return { action: 'deny' }
  })

  // Covers the top frame and subframes (Electron's `will-navigate` only sees the top frame).
  contents.on('will-frame-navigate', (event) => {
    const origin = localOrigin()
    const decision = origin ? decideNavigation(event.url, origin) : ({ action: 'block' } as const)
    if (decision.action === 'allow') return
    event.preventDefault()
    // Only a link followed in the dashboard itself opens the OS browser; a subframe cannot.
    if (decision.action === 'open-external' && event.isMainFrame) openExternalHttps(decision.url)
  })

  // A server-side redirect away from the dashboard is never followed, nor handed to the OS.
  contents.on('will-redirect', (event) => {
    const origin = localOrigin()
    if (!origin || !isAllowedNavigation(event.url, origin)) event.preventDefault()
  })

  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Denies every permission request and check: the dashboard needs none (the tray shows notifications). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}))
}

/** Applies `hardenWebContents` to every WebContents the app ever creates, before it loads anything. */
export function installAppHardening(localOrigin: LocalOriginSource): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, localOrigin))
}

export class UntrustedIpcSenderError extends Error {
  override name = 'UntrustedIpcSenderError'
  constructor(channel: string) {
    super(`${channel}: refused, the sender is not the dashboard`)
  }
}

export function isTrustedIpcEvent(event: IpcMainInvokeEvent, localOrigin: string | null): boolean {
  const frame = event.senderFrame
  if (!localOrigin || !frame) return false
  return isTrustedSender({ url: frame.url, isMainFrame: frame.parent === null }, localOrigin)
}

/**
 * `ipcMain.handle` with the sender check first: a call from anything but the dashboard's top frame on
 * the local origin is rejected before the handler sees its arguments.
 */
export function handleTrustedIpc<T>(
  channel: IpcChannel,
  localOrigin: LocalOriginSource,
  handler: (...args: unknown[]) => T | Promise<T>,
): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    if (!isTrustedIpcEvent(event, localOrigin())) throw new UntrustedIpcSenderError(channel)
    return handler(...args)
  })
}
