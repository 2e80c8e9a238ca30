import Conf from 'conf'
import { defaultSettings, settingsJsonSchema, type AppSettings } from './schema.js'

export interface SettingsStore {
  get<K extends keyof AppSettings>(key: K): AppSettings[K]
  set<K extends keyof AppSettings>(key: K, value: AppSettings[K]): void
  getAll(): AppSettings
}

/** The part of the Conf API that electron-store shares (electron-store extends Conf). */
export interface ConfLike {
  get(key: string): unknown
  set(key: string, value: unknown): void
  readonly store: Record<string, unknown>
}

/** Wraps a Conf or electron-store instance built with `settingsStoreOptions`. */
export function createSettingsStore(backend: ConfLike): SettingsStore {
  return {
    get(key) {
      return (backend.get(key) ?? defaultSettings[key]) as AppSettings[typeof key]
    },
    set(key, value) {
      backend.set(key, value)
    },
    getAll() {
      return { ...defaultSettings, ...(backend.store as Partial<AppSettings>) }
    },
  }
}

/** Options shared by both hosts, so desktop and headless read the same file the same way. */
export function settingsStoreOptions(dataDir: string) {
  return {
    cwd: dataDir,
    configName: 'settings',
    schema: settingsJsonSchema,
    defaults: defaultSettings,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  } as const
}

/** Headless mode: `conf` (electron-store cannot load outside Electron). */
export function createHeadlessSettingsStore(dataDir: string): SettingsStore {
  const conf = new Conf<AppSettings>({
    projectName: 'wm-companion',
    ...settingsStoreOptions(dataDir),
  })
  return createSettingsStore(conf as unknown as ConfLike)
}

/** An in-memory store for tests and tools that must not touch a settings file. */
export function createMemorySettingsStore(initial: Partial<AppSettings> = {}): SettingsStore {
  const store: Record<string, unknown> = { ...defaultSettings, ...initial }
  return createSettingsStore({
    get: (key) => store[key],
    set: (key, value) => {
      store[key] = value
    },
    get store() {
      return store
    },
  })
}
