import type { AppSettings } from '../../../server/contracts/api.js'

/** The app's settings as the pages share them: the last answer of the server and how to change it. */
export interface SettingsHandle {
  settings: AppSettings | null
  update(patch: Partial<AppSettings>): Promise<AppSettings>
}
