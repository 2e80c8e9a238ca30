import type { Asset } from '../contracts/common.js'
import { decimalToMinor, minorToDecimal } from '../contracts/money.js'
import type { StoredTipSettings } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { TipError, TipErrorCode } from './errors.js'

/** The tip page's settings, amounts in minor units at the streamer's asset scale. */
export interface TipSettingsValue {
  publicName: string
  minAmount: bigint
  maxAmount: bigint
}

export interface TipSettingsService {
  get(asset: Asset): TipSettingsValue
  /** Checks and stores new settings (the name trimmed, at most 64 characters); answers what is stored. */
  update(input: TipSettingsValue, asset: Asset): TipSettingsValue
  /** Min and max in minor units at the asset's scale. */
  limits(asset: Asset): { minAmount: bigint; maxAmount: bigint }
}

/** Defaults: half a unit (at least one minor unit) up to 1000 units of the streamer's currency. */
function defaults(asset: Asset): { min: bigint; max: bigint } {
  const unit = 10n ** BigInt(asset.assetScale)
  const half = unit / 2n
  return { min: half > 0n ? half : 1n, max: unit * 1000n }
}

/**
 * `tips.settings` keeps its amounts as decimal strings (server/settings/keys.ts): the wallet, and with
 * it the asset scale, can change, and "0.50" still means half a unit afterwards. They become minor units
 * here, on the way in and out of the store.
 */
export function createTipSettingsService(settings: SettingsStore): TipSettingsService {
  const stored = () => settings.get('tips.settings')
  function limits(asset: Asset) {
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
  function get(asset: Asset): TipSettingsValue {
    return { publicName: stored().publicName, ...limits(asset) }
  }
  return {
    limits,
    get,
    update(input, asset) {
      if (input.minAmount <= 0n)
        throw new TipError(
          TipErrorCode.InvalidAmount,
          'The minimum must be above zero.',
          'body.minAmount',
        )
      if (input.maxAmount < input.minAmount)
        throw new TipError(
          TipErrorCode.InvalidAmount,
          'The maximum must be at least the minimum.',
          'body.maxAmount',
        )
      const next: StoredTipSettings = {
        publicName: input.publicName.trim().slice(0, 64),
        minAmount: minorToDecimal(input.minAmount, asset.assetScale),
        maxAmount: minorToDecimal(input.maxAmount, asset.assetScale),
      }
      settings.set('tips.settings', next)
      return get(asset)
    },
  }
}
