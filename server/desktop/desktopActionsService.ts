/**
 * What the desktop shell (electron/main.ts) may do to and learn from the running server, in one narrow
 * service: the tray's and the preload bridge's actions go through the same alert service as the
 * dashboard's REST routes, and the shell needs nothing else of the server's internals. No Electron
 * import: tested under Node against a real server.
 */
import type { AlertService } from '../alerts/alertService.js'
import type { Amount, Asset, SupportEventView } from '../contracts/common.js'
import type { DomainEvents } from '../contracts/events.js'
import { makeAmount } from '../contracts/money.js'
import type { EventBus } from '../events/bus.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import type { SettingKey } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SupportTotals } from '../support/totalsRepository.js'

/**
 * The bus events the shell reacts to: notifications, the tray's pause checkbox, and the tray's
 * live/offline line with this stream's total.
 */
export type DesktopEventName =
  | 'support.recorded'
  | 'alert.test'
  | 'alert.updated'
  | 'alerts.paused'
  | 'stream.started'
  | 'stream.stopped'

/** What the tray shows about the stream: live or not, and what this stream has raised so far. */
export interface StreamStatus {
  live: boolean
  title: string | null
  /** Verified support of the live stream, in the streamer's currency; null when offline. */
  total: Amount | null
}

/** The desktop shell's own preferences (server/settings/keys.ts). */
export type DesktopPreference = Extract<
  SettingKey,
  'desktop.openAtLogin' | 'desktop.autoUpdate' | 'desktop.trayHintShown'
>

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
  streamStatus(): StreamStatus
  preference(key: DesktopPreference): boolean
  setPreference(key: DesktopPreference, value: boolean): void
  /** Called when one of the desktop preferences changes (from the dashboard's Settings page). */
  onPreferenceChange(listener: (key: DesktopPreference, value: boolean) => void): () => void
  /** Listens to one of the bus events the shell cares about; returns the unsubscribe. */
  on<K extends DesktopEventName>(name: K, listener: (payload: DomainEvents[K]) => void): () => void
  log: DesktopLog
}

export interface DesktopActionsServiceDeps {
  alerts: Pick<AlertService, 'sendTest' | 'setPaused' | 'isPaused'>
  overlayKeys: Pick<OverlayKeys, 'current'>
  settings: Pick<SettingsStore, 'get' | 'set' | 'onChange'>
  bus: Pick<EventBus, 'on'>
  localUrl(): string
  log: DesktopLog
  /** The stream live now (stream sessions). */
  liveStream(): { id: string; title: string | null } | null
  /** Verified support by stream (the ledger's totals). */
  totals: Pick<SupportTotals, 'byKind'>
  streamerAsset(): Asset
}

const DESKTOP_PREFERENCES: readonly DesktopPreference[] = [
  'desktop.openAtLogin',
  'desktop.autoUpdate',
  'desktop.trayHintShown',
]

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
    streamStatus() {
      const live = deps.liveStream()
      if (!live) return { live: false, title: null, total: null }
      const asset = deps.streamerAsset()
      const kinds = deps.totals.byKind({ asset, streamId: live.id, from: null })
      const total = kinds.reduce((sum, kind) => sum + kind.total, 0n)
      return {
        live: true,
        title: live.title,
        total: makeAmount(total, asset.assetCode, asset.assetScale),
      }
    },
    preference: (key) => deps.settings.get(key),
    setPreference: (key, value) => deps.settings.set(key, value),
    onPreferenceChange(listener) {
      return deps.settings.onChange((key) => {
        const preference = DESKTOP_PREFERENCES.find((candidate) => candidate === key)
        if (preference) listener(preference, deps.settings.get(preference))
      })
    },
    on: (name, listener) => deps.bus.on(name, listener),
    log: deps.log,
  }
}
