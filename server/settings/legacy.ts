import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../storage/db.js'
import type { SettingKey } from './keys.js'

/**
 * Version 0.1 kept five switches in settings.json under bare names. Preferences keep their place and
 * take their new names; the streamer's switches move to the settings table (server/settings/keys.ts).
 * The SQLite side of the same change is migration 0007.
 */
const PREFERENCE_RENAMES: Record<string, SettingKey> = {
  theme: 'ui.theme',
  notificationsEnabled: 'desktop.notifications',
}
const MOVED_TO_STATE: Record<string, SettingKey> = {
  setupCompleted: 'app.setupCompleted',
  alertsPaused: 'alerts.paused',
  sandboxEnabled: 'sandbox.enabled',
}

/** Upgrades `<data dir>/settings.json` written by 0.1, once; a no-op on anything newer. */
export function upgradeLegacyPreferences(dataDir: string, db: Db): void {
  const file = path.join(dataDir, 'settings.json')
  let stored: Record<string, unknown>
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return // No file yet, or one conf will report itself.
  }
  const legacy = Object.keys(stored).filter(
    (key) => key in PREFERENCE_RENAMES || key in MOVED_TO_STATE,
  )
  if (legacy.length === 0) return
  const keep = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  )
  const next: Record<string, unknown> = {}
  db.transaction(() => {
    for (const [key, value] of Object.entries(stored)) {
      const renamed = PREFERENCE_RENAMES[key]
      const moved = MOVED_TO_STATE[key]
      if (renamed) {
        if (!(renamed in stored)) next[renamed] = value
      } else if (moved) {
        keep.run(moved, JSON.stringify(value), Date.now())
      } else {
        next[key] = value
      }
    }
  })()
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(next, null, '\t'), { mode: 0o600 })
  fs.renameSync(tmp, file)
}
