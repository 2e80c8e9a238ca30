import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type {
  AlertSettings,
  AlertVariant,
  OverlayDisplaySettings,
  OverlayId,
} from '../contracts/overlays.js'
import type { Db } from '../storage/db.js'
import {
  AlertSettingsSchema,
  AlertVariantsSchema,
  OverlayDisplaySettingsSchema,
} from './schemas.js'
import { defaultVariants } from './variants.js'

export const defaultAlertSettings: AlertSettings = {
  durationMs: 6000,
  gapMs: 1500,
  minAmountToAlert: '0',
  minAmountForMessage: '0',
  webMonetizationAlerts: true,
  blockedWords: [],
  blockedWordAction: 'mask',
  moderationEnabled: false,
  autoApproveSeconds: null,
}

export function defaultDisplaySettings(now: Date = new Date()): OverlayDisplaySettings {
  const startOfDay = new Date(now)
  startOfDay.setHours(0, 0, 0, 0)
  return {
    goal: { title: 'Stream goal', target: '100', startAt: startOfDay.toISOString() },
    leaderboard: { title: 'Top supporters', window: 'stream', size: 5 },
    ticker: { title: 'Thank you', size: 10 },
  }
}

/** Custom CSS per overlay is bounded: it is streamer-written, but a stylesheet is no place for a book. */
export const MAX_CUSTOM_CSS = 20_000

export interface AlertConfigStore {
  settings(): AlertSettings
  saveSettings(settings: AlertSettings): void
  variants(): AlertVariant[]
  saveVariants(variants: AlertVariant[]): void
  display(): OverlayDisplaySettings
  saveDisplay(display: OverlayDisplaySettings): void
  customCss(overlay: OverlayId): string
  saveCustomCss(overlay: OverlayId, css: string): void
}

/** Alert and overlay settings, one JSON value per key in `alert_config`, cached in memory. */
export function createAlertConfigStore(db: Db): AlertConfigStore {
  const read = db.prepare('SELECT value FROM alert_config WHERE key = ?')
  const write = db.prepare(
    `INSERT INTO alert_config (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  const cache = new Map<string, unknown>()

  function load<T>(key: string, schema: TSchema, fallback: () => T): T {
    if (cache.has(key)) return cache.get(key) as T
    const row = read.get(key) as { value: string } | undefined
    let value = fallback()
    if (row) {
      try {
        const parsed: unknown = JSON.parse(row.value)
        // A value written by another version that no longer fits the schema falls back to defaults.
        if (Value.Check(schema, parsed)) value = parsed as T
      } catch {
        // Unreadable JSON: defaults.
      }
    }
    cache.set(key, value)
    return value
  }
  function save(key: string, value: unknown): void {
    write.run(key, JSON.stringify(value), Date.now())
    cache.set(key, value)
  }

  return {
    settings: () =>
      load('alerts.settings', AlertSettingsSchema, () => ({ ...defaultAlertSettings })),
    saveSettings: (settings) => save('alerts.settings', settings),
    variants: () =>
      load('alerts.variants', AlertVariantsSchema, () => structuredClone(defaultVariants)),
    saveVariants: (variants) => save('alerts.variants', variants),
    display: () => load('overlays.display', OverlayDisplaySettingsSchema, defaultDisplaySettings),
    saveDisplay: (display) => save('overlays.display', display),
    customCss(overlay) {
      const row = read.get(`overlays.css.${overlay}`) as { value: string } | undefined
      if (!row) return ''
      try {
        const css: unknown = JSON.parse(row.value)
        return typeof css === 'string' ? css : ''
      } catch {
        return ''
      }
    },
    saveCustomCss: (overlay, css) =>
      write.run(`overlays.css.${overlay}`, JSON.stringify(css), Date.now()),
  }
}
