/**
 * The tray menu as data, built from state and action callbacks. Pure: main.ts turns it into an
 * Electron menu and rebuilds it whenever the state changes (pause toggled from the dashboard, say).
 */

export interface TrayState {
  alertsPaused: boolean
  /** False until the server is up: the actions that need it are greyed out. */
  serverReady: boolean
  version: string
}

export interface TrayActions {
  openDashboard(): void
  setAlertsPaused(paused: boolean): void
  sendTestAlert(): void
  copyOverlayUrl(): void
  quit(): void
}

export type TrayItemId =
  'open-dashboard' | 'pause-alerts' | 'send-test-alert' | 'copy-overlay-url' | 'quit'

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
  return state.alertsPaused ? `${name} (alerts paused)` : name
}
