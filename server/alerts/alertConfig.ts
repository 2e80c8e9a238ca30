import type {
  AlertSettings,
  AlertVariant,
  OverlayDisplaySettings,
  OverlayId,
} from '../contracts/overlays.js'
import { SETTINGS, type SettingValue } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'

export const defaultAlertSettings = (): AlertSettings => SETTINGS['alerts.settings'].default()

/** The display settings kept here; the goal overlay's goal is the goal system's (goalService.ts). */
export type StoredDisplaySettings = Omit<OverlayDisplaySettings, 'goal'>

export function defaultDisplaySettings(): StoredDisplaySettings {
  return SETTINGS['overlays.display'].default()
}

/** Custom CSS per overlay is bounded: it is streamer-written, but a stylesheet is no place for a book. */
export const MAX_CUSTOM_CSS = 20_000

export interface AlertConfigStore {
  settings(): AlertSettings
  saveSettings(settings: AlertSettings): void
  variants(): AlertVariant[]
  saveVariants(variants: AlertVariant[]): void
  display(): StoredDisplaySettings
  saveDisplay(display: StoredDisplaySettings): void
  customCss(overlay: OverlayId): string
  saveCustomCss(overlay: OverlayId, css: string): void
}

/** Alert and overlay settings, kept in the settings (server/settings/keys.ts). */
export function createAlertConfigStore(settings: SettingsStore): AlertConfigStore {
  return {
    settings: () => settings.get('alerts.settings'),
    saveSettings: (value) => settings.set('alerts.settings', value),
    variants: () => settings.get('alerts.variants') as AlertVariant[],
    saveVariants: (variants) =>
      settings.set('alerts.variants', variants as SettingValue<'alerts.variants'>),
    display: () => settings.get('overlays.display'),
    saveDisplay: (display) => settings.set('overlays.display', display),
    customCss: (overlay) => settings.get(`overlays.css.${overlay}`),
    saveCustomCss: (overlay, css) => settings.set(`overlays.css.${overlay}`, css),
  }
}
