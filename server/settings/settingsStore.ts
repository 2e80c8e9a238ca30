import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Db } from '../storage/db.js'
import { SETTINGS, type SettingKey, type SettingValue } from './keys.js'

/**
 * Where preferences are kept: electron-store in the desktop app, `conf` headless (electron-store is
 * built on conf and cannot load outside Electron), a plain object in tests. Both stores are opened with
 * `preferenceFileOptions` (server/settings/preferences.ts), so they read the same file the same way.
 */
export interface PreferenceFile {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

// TypeBox's checker knows no formats by itself: without this, a stored `date-time` never fits.
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)))

export interface SettingsStore {
  /** The stored value, checked against its schema, or the default. Cached after the first read. */
  get<K extends SettingKey>(key: K): SettingValue<K>
  /** Stores a value (refused when it does not fit its schema: that is a bug, not user input). */
  set<K extends SettingKey>(key: K, value: SettingValue<K>): void
  /** Forgets the stored value: the default applies again. */
  reset(key: SettingKey): void
  /** Called after every set or reset, with the key (live parts re-read what they cache). */
  onChange(listener: (key: SettingKey) => void): () => void
}

export interface SettingsStoreDeps {
  db: Db
  preferences: PreferenceFile
  /** A stored value that no longer fits its schema was replaced by the default. */
  onInvalid?(key: SettingKey): void
}

export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError'
}

/** The one typed store of settings (server/settings/keys.ts says which key lives where). */
export function createSettingsStore(deps: SettingsStoreDeps): SettingsStore {
  const read = deps.db.prepare('SELECT value FROM settings WHERE key = ?').pluck()
  const write = deps.db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  const remove = deps.db.prepare('DELETE FROM settings WHERE key = ?')
  const cache = new Map<SettingKey, unknown>()
  const listeners = new Set<(key: SettingKey) => void>()

  function stored(key: SettingKey): unknown {
    if (SETTINGS[key].place === 'preference') return deps.preferences.get(key)
    const text = read.get(key) as string | undefined
    if (text === undefined) return undefined
    try {
      return JSON.parse(text) as unknown
    } catch {
      return Symbol.for('unreadable')
    }
  }

  function changed(key: SettingKey): void {
    for (const listener of listeners) listener(key)
  }

  return {
    get<K extends SettingKey>(key: K): SettingValue<K> {
      if (cache.has(key)) return cache.get(key) as SettingValue<K>
      const definition = SETTINGS[key]
      const value = stored(key)
      let result: unknown
      if (value === undefined) {
        result = definition.default()
      } else if (Value.Check(definition.schema, value)) {
        result = value
      } else {
        deps.onInvalid?.(key)
        result = definition.default()
      }
      cache.set(key, result)
      return result as SettingValue<K>
    },
    set(key, value) {
      const definition = SETTINGS[key]
      if (!Value.Check(definition.schema, value)) {
        const first = Value.Errors(definition.schema, value).First()
        throw new InvalidSettingError(
          `${key}${first?.path ?? ''}: ${first?.message ?? 'does not fit its schema'}`,
        )
      }
      if (definition.place === 'preference') deps.preferences.set(key, value)
      else write.run(key, JSON.stringify(value), Date.now())
      cache.set(key, value)
      changed(key)
    },
    reset(key) {
      if (SETTINGS[key].place === 'preference') deps.preferences.delete(key)
      else remove.run(key)
      cache.delete(key)
      changed(key)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
