import type { StreamerAsset } from '../app/infrastructure.js'
import { minorToNumber } from '../contracts/money.js'
import type { TipTierSet } from '../contracts/tiers.js'

/** The tier set shown before the tiers feature exists or the streamer picks a theme. */
export function defaultTipTierSet(asset: StreamerAsset): TipTierSet {
  // Whole units, so every amount is exact at any scale (JPY at scale 0 included).
  const unit = 10n ** BigInt(asset.assetScale)
  const ladder = [
    {
      id: 'fun-coffee',
      emoji: '☕',
      name: 'Coffee Shot',
      perk: 'Added to the supporter ticker',
      units: 1n,
    },
    { id: 'fun-snack', emoji: '🍩', name: 'Snack Attack', perk: 'Shout-out on stream', units: 3n },
    { id: 'fun-pizza', emoji: '🍕', name: 'Pizza Party', perk: 'Pick the next song', units: 10n },
  ]
  return {
    theme: 'fun',
    currency: asset.assetCode,
    tiers: ladder.map((tier) => ({
      id: tier.id,
      theme: 'fun',
      amount: minorToNumber(tier.units * unit, asset.assetScale),
      currency: asset.assetCode,
      emoji: tier.emoji,
      name: tier.name,
      perk: tier.perk,
    })),
  }
}
