import Conf from 'conf'
import { PREFERENCE_KEYS, SETTINGS } from './keys.js'
import type { PreferenceFile } from './settingsStore.js'

/** JSON Schema of the preferences file, from the settings list (conf and electron-store validate it). */
function preferenceJsonSchema(): Record<string, object> {
  const schema: Record<string, object> = {}
  for (const key of PREFERENCE_KEYS) schema[key] = SETTINGS[key].schema
  return schema
}

/**
 * Options shared by both hosts, so desktop (electron-store, which says `name` for `configName`) and
 * headless (conf) read `<data dir>/settings.json` the same way. Keys are flat ("ui.theme"), not paths.
 */
export function preferenceFileOptions(dataDir: string) {
  return {
    cwd: dataDir,
    configName: 'settings',
    schema: preferenceJsonSchema(),
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  } as const
}

/** Headless mode: `conf` (electron-store cannot load outside Electron). */
export function openHeadlessPreferences(dataDir: string): PreferenceFile {
  return new Conf<Record<string, unknown>>({
    projectName: 'wm-companion',
    ...preferenceFileOptions(dataDir),
  })
}

/** Preferences in memory, for tests and tools that must not touch a settings file. */
export function memoryPreferences(initial: Record<string, unknown> = {}): PreferenceFile {
  const values = new Map<string, unknown>(Object.entries(initial))
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  }
}
