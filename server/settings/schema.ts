/**
 * App settings: one schema for electron-store (desktop) and conf (headless), DESIGN §4. Secrets never
 * live here: they go to the secret store (server/settings/secrets.ts). Feature issues add keys here.
 */
export interface AppSettings {
  /** The setup wizard was finished or skipped. */
  setupCompleted: boolean
  /** Alerts are held (dashboard or tray "Pause alerts"). */
  alertsPaused: boolean
  /** Tray notifications on tips (desktop app). */
  notificationsEnabled: boolean
  /** Dashboard colour scheme. */
  theme: 'system' | 'light' | 'dark'
  /** Start the sandbox wallet even without WM_SANDBOX=1. */
  sandboxEnabled: boolean
}

export const defaultSettings: AppSettings = {
  setupCompleted: false,
  alertsPaused: false,
  notificationsEnabled: true,
  theme: 'system',
  sandboxEnabled: false,
}

/** JSON Schema (draft 2020-12 subset understood by conf/ajv) for the stored settings file. */
export const settingsJsonSchema = {
  setupCompleted: { type: 'boolean' },
  alertsPaused: { type: 'boolean' },
  notificationsEnabled: { type: 'boolean' },
  theme: { type: 'string', enum: ['system', 'light', 'dark'] },
  sandboxEnabled: { type: 'boolean' },
} as const satisfies Record<keyof AppSettings, object>
