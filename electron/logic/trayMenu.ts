/**
 * The tray menu as data, built from state and action callbacks. Pure: main.ts turns it into an
 * Electron menu and rebuilds it whenever the state changes (pause toggled from the dashboard, say).
 */

import type { Amount } from '../../server/contracts/common.js'
import { formatAmount } from '../../server/contracts/money.js'

export interface TrayState {
  alertsPaused: boolean
  /** False until the server is up: the actions that need it are greyed out. */
  serverReady: boolean
  version: string
  /** Live or offline, and this stream's verified total (known once the server is up). */
  stream?: { live: boolean; total: Amount | null }
  /** For amounts ("€12.50"). */
  locale?: string
}

export interface TrayActions {
  openDashboard(): void
  setAlertsPaused(paused: boolean): void
  sendTestAlert(): void
  copyOverlayUrl(): void
  quit(): void
}

export type TrayItemId =
  | 'stream-status'
  | 'open-dashboard'
  | 'pause-alerts'
  | 'send-test-alert'
  | 'copy-overlay-url'
  | 'quit'

/** "Live · €12.50 this stream", "Offline", or "Starting…" before the server is up. */
export function streamStatusLabel(state: TrayState): string {
  if (!state.serverReady || !state.stream) return 'Starting…'
  if (!state.stream.live) return 'Offline'
  const total = state.stream.total ? formatAmount(state.stream.total, state.locale) : null
  return total ? `Live · ${total} this stream` : 'Live'
}

export type TrayMenuItem =
  | { type: 'separator' }
  | {
      type: 'normal'
      id: TrayItemId
      label: string
      enabled: boolean
      click: () => void
    }
  | {
      type: 'checkbox'
      id: TrayItemId
      label: string
      enabled: boolean
      checked: boolean
      /** Receives the new checked state (Electron flips a checkbox before calling its handler). */
      click: (checked: boolean) => void
    }

export function buildTrayMenu(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const ready = state.serverReady
  return [
    // A line of information, not an action (greyed out like a menu heading).
    {
      type: 'normal',
      id: 'stream-status',
      label: streamStatusLabel(state),
      enabled: false,
      click: () => undefined,
    },
    { type: 'separator' },
    {
      type: 'normal',
      id: 'open-dashboard',
      label: 'Open dashboard',
      enabled: ready,
      click: () => actions.openDashboard(),
    },
    { type: 'separator' },
    {
      type: 'checkbox',
      id: 'pause-alerts',
      label: 'Pause alerts',
      enabled: ready,
      checked: state.alertsPaused,
      click: (checked) => actions.setAlertsPaused(checked),
    },
    {
      type: 'normal',
      id: 'send-test-alert',
      label: 'Send test alert',
      // A paused alert box would hold the test alert back: say why nothing would show.
      enabled: ready && !state.alertsPaused,
      click: () => actions.sendTestAlert(),
    },
    {
      type: 'normal',
      id: 'copy-overlay-url',
      label: 'Copy overlay URL',
      enabled: ready,
      click: () => actions.copyOverlayUrl(),
    },
    { type: 'separator' },
    {
      type: 'normal',
      id: 'quit',
      label: 'Quit WM Companion',
      enabled: true,
      click: () => actions.quit(),
    },
  ]
}

/** The tray icon's tooltip: says at a glance whether alerts are held. */
export function trayTooltip(state: TrayState): string {
  const name = `WM Companion ${state.version}`
  if (!state.serverReady) return `${name} (starting)`
  const parts = [state.stream?.live ? streamStatusLabel(state) : null]
  if (state.alertsPaused) parts.push('alerts paused')
  const detail = parts.filter(Boolean).join(', ')
  return detail ? `${name} (${detail})` : name
}
