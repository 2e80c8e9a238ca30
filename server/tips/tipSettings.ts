import type { StreamerAsset } from '../app/context.js'
import { decimalToMinor, minorToDecimal } from '../contracts/money.js'
import type { TipSettings } from '../contracts/tips.js'
import type { Db } from '../storage/db.js'

const KEY = 'tips.settings'

interface StoredTipSettings {
  publicName: string
  /** Decimal strings in the streamer's currency (the asset can change with the wallet). */
  minAmount: string | null
  maxAmount: string | null
}

export interface TipSettingsStore {
  get(asset: StreamerAsset): TipSettings
  set(settings: TipSettings, asset: StreamerAsset): TipSettings
  /** Min and max in minor units at the asset's scale. */
  limits(asset: StreamerAsset): { minAmount: bigint; maxAmount: bigint }
}

/** Defaults: half a unit (at least one minor unit) up to 1000 units of the streamer's currency. */
function defaults(asset: StreamerAsset): { min: bigint; max: bigint } {
  const unit = 10n ** BigInt(asset.assetScale)
  const half = unit / 2n
  return { min: half > 0n ? half : 1n, max: unit * 1000n }
}

export function createTipSettingsStore(db: Db): TipSettingsStore {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?')
  const write = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  function stored(): StoredTipSettings {
    const row = read.get(KEY) as { value: string } | undefined
    return row
      ? (JSON.parse(row.value) as StoredTipSettings)
      : { publicName: '', minAmount: null, maxAmount: null }
  }
  function limits(asset: StreamerAsset) {
    const s = stored()
    const d = defaults(asset)
    const parse = (value: string | null, fallback: bigint) => {
      if (value === null) return fallback
      try {
        return decimalToMinor(value, asset.assetScale)
      } catch {
        return fallback
      }
    }
    return { minAmount: parse(s.minAmount, d.min), maxAmount: parse(s.maxAmount, d.max) }
  }
  return {
    limits,
    get(asset) {
      const s = stored()
      const l = limits(asset)
      return {
        publicName: s.publicName,
        minAmount: minorToDecimal(l.minAmount, asset.assetScale),
        maxAmount: minorToDecimal(l.maxAmount, asset.assetScale),
      }
    },
    set(settings, asset) {
      const next: StoredTipSettings = {
        publicName: settings.publicName.trim().slice(0, 64),
        minAmount: minorToDecimal(
          decimalToMinor(settings.minAmount, asset.assetScale),
          asset.assetScale,
        ),
        maxAmount: minorToDecimal(
          decimalToMinor(settings.maxAmount, asset.assetScale),
          asset.assetScale,
        ),
      }
      write.run(KEY, JSON.stringify(next), Date.now())
      return this.get(asset)
    },
  }
}
