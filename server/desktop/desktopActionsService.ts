/**
 * What the desktop shell (electron/main.ts) may do to and learn from the running server, in one narrow
 * service: the tray's and the preload bridge's actions go through the same alert service as the
 * dashboard's REST routes, and the shell needs nothing else of the server's internals. No Electron
 * import: tested under Node against a real server.
 */
import type { AlertService } from '../alerts/alertService.js'
import type { SupportEventView } from '../contracts/common.js'
import type { DomainEvents } from '../contracts/events.js'
import type { EventBus } from '../events/bus.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import type { SettingsStore } from '../settings/settingsStore.js'

/** The bus events the shell reacts to: notifications, and the tray's pause checkbox. */
export type DesktopEventName = 'support.recorded' | 'alert.test' | 'alerts.paused'

/** Where the shell reports what went wrong on its side (the server's logger). */
export interface DesktopLog {
  error(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
}

export interface DesktopActionsService {
  /** The tray's "Send test alert": the alert service's one test alert, with its default text. */
  sendTestAlert(): SupportEventView
  /** The tray checkbox and the preload bridge: the alert service's one pause switch. */
  setAlertsPaused(paused: boolean): boolean
  alertsPaused(): boolean
  /** The alert box overlay URL with the current key, to paste into OBS. */
  overlayAlertsUrl(): string
  /** The dashboard's "Tray notifications for tips" switch. */
  notificationsEnabled(): boolean
  /** Listens to one of the bus events the shell cares about; returns the unsubscribe. */
  on<K extends DesktopEventName>(name: K, listener: (payload: DomainEvents[K]) => void): () => void
  log: DesktopLog
}

export interface DesktopActionsServiceDeps {
  alerts: Pick<AlertService, 'sendTest' | 'setPaused' | 'isPaused'>
  overlayKeys: Pick<OverlayKeys, 'current'>
  settings: Pick<SettingsStore, 'get'>
  bus: Pick<EventBus, 'on'>
  localUrl(): string
  log: DesktopLog
}

/** The alert box overlay URL to paste into OBS (the overlays feature serves `/overlay/alerts`). */
export function overlayAlertsUrl(localUrl: string, overlayKey: string): string {
  return `${localUrl.replace(/\/+$/, '')}/overlay/alerts?key=${encodeURIComponent(overlayKey)}`
}

export function createDesktopActionsService(
  deps: DesktopActionsServiceDeps,
): DesktopActionsService {
  return {
    sendTestAlert: () => deps.alerts.sendTest().event,
    setAlertsPaused: (paused) => deps.alerts.setPaused(paused),
    alertsPaused: () => deps.alerts.isPaused(),
    overlayAlertsUrl: () => overlayAlertsUrl(deps.localUrl(), deps.overlayKeys.current()),
    notificationsEnabled: () => deps.settings.get('desktop.notifications'),
    on: (name, listener) => deps.bus.on(name, listener),
    log: deps.log,
  }
}
