import type { StreamerAsset } from '../app/infrastructure.js'
import { decimalToMinor, minorToDecimal } from '../contracts/money.js'
import type { TipSettings } from '../contracts/tips.js'
import type { StoredTipSettings } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'

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

export function createTipSettingsStore(settings: SettingsStore): TipSettingsStore {
  const stored = () => settings.get('tips.settings')
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
    set(input, asset) {
      const next: StoredTipSettings = {
        publicName: input.publicName.trim().slice(0, 64),
        minAmount: minorToDecimal(
          decimalToMinor(input.minAmount, asset.assetScale),
          asset.assetScale,
        ),
        maxAmount: minorToDecimal(
          decimalToMinor(input.maxAmount, asset.assetScale),
          asset.assetScale,
        ),
      }
      settings.set('tips.settings', next)
      return this.get(asset)
    },
  }
}
