import { memoryPreferences } from '../settings/preferences.js'
import { createSettingsStore, type SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'

/** The app's settings store on a test database, preferences in memory. */
export function settingsFor(db: Db, preferences: Record<string, unknown> = {}): SettingsStore {
  return createSettingsStore({ db, preferences: memoryPreferences(preferences) })
}
