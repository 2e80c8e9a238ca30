import type { AlertService } from '../alerts/alertService.js'
import type { Infrastructure } from '../app/infrastructure.js'
import type { AppConfig } from '../config/config.js'
import type { AppSettings, AppSettingsPatch, StatusResponse } from '../contracts/dashboard.js'
import type { SettingsStore } from '../settings/settingsStore.js'

export interface DashboardService {
  status(): StatusResponse
  /** The switches of the Settings page. */
  settings(): AppSettings
  /** Applies the switches; the sandbox switch starts or stops the sandbox before it answers. */
  updateSettings(patch: AppSettingsPatch): Promise<AppSettings>
}

export interface DashboardServiceDeps {
  settings: Pick<SettingsStore, 'get' | 'set'>
  /** "Pause alerts" is the alert service's one pause switch. */
  alerts: Pick<AlertService, 'isPaused' | 'setPaused'>
  config: Pick<AppConfig, 'publicUrl' | 'dataDir' | 'sandbox'>
  version: string
  urls: Infrastructure['urls']
  /** The sandbox wallet's life cycle (server/sandbox/feature.ts). */
  sandbox: { setEnabled(enabled: boolean): Promise<void>; instance(): unknown }
  /** Open dashboard streams right now. */
  liveClients(): number
  startedAt: Date
}

/** The dashboard's own state: what runs where, and the Settings page's switches. */
export function createDashboardService(deps: DashboardServiceDeps): DashboardService {
  const { settings, alerts } = deps
  const read = (): AppSettings => ({
    setupCompleted: settings.get('app.setupCompleted'),
    alertsPaused: alerts.isPaused(),
    notificationsEnabled: settings.get('desktop.notifications'),
    theme: settings.get('ui.theme'),
    sandboxEnabled: settings.get('sandbox.enabled'),
    openAtLogin: settings.get('desktop.openAtLogin'),
    autoUpdate: settings.get('desktop.autoUpdate'),
    shareNameWithWallet: settings.get('tips.shareNameWithWallet'),
  })
  return {
    status: () => ({
      version: deps.version,
      localUrl: deps.urls.local(),
      publicUrl: deps.urls.public(),
      publicUrlConfigured: deps.config.publicUrl !== null,
      dataDir: deps.config.dataDir,
      sandbox: deps.sandbox.instance() !== null,
      alertsPaused: alerts.isPaused(),
      sseClients: deps.liveClients(),
      startedAt: deps.startedAt.toISOString(),
    }),
    settings: read,
    async updateSettings(patch) {
      if (patch.setupCompleted !== undefined)
        settings.set('app.setupCompleted', patch.setupCompleted)
      if (patch.notificationsEnabled !== undefined)
        settings.set('desktop.notifications', patch.notificationsEnabled)
      if (patch.theme !== undefined) settings.set('ui.theme', patch.theme)
      if (patch.sandboxEnabled !== undefined) await deps.sandbox.setEnabled(patch.sandboxEnabled)
      if (patch.alertsPaused !== undefined) alerts.setPaused(patch.alertsPaused)
      // The desktop shell listens to these two preferences and applies them (electron/main.ts).
      if (patch.openAtLogin !== undefined) settings.set('desktop.openAtLogin', patch.openAtLogin)
      if (patch.autoUpdate !== undefined) settings.set('desktop.autoUpdate', patch.autoUpdate)
      if (patch.shareNameWithWallet !== undefined)
        settings.set('tips.shareNameWithWallet', patch.shareNameWithWallet)
      return read()
    },
  }
}
