import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'

/** One of the streamer's own tiers, in exact minor units of the asset it was saved in. */
export interface StoredTier {
  id: string
  emoji: string
  name: string
  perk: string
  amount: bigint
  asset: Asset
}

/** A row read with safeIntegers, so amounts beyond 2^53 minor units stay exact. */
interface CustomTierRow {
  id: string
  emoji: string
  name: string
  perk: string
  amount_value: number | bigint
  asset_code: string
  asset_scale: number | bigint
}

/**
 * The SQL of `custom_tip_tiers`: the streamer's edited tier list, in display order. Writes run inside
 * the tier service's transactions (better-sqlite3 nests them as savepoints).
 */
export interface TierRepository {
  /** The custom tiers in display order (empty when the streamer uses a theme's ladder). */
  list(): StoredTier[]
  /** Replaces the whole list: `tiers` in this order, saved in `asset`, remembered as `theme`'s. */
  replace(tiers: readonly Omit<StoredTier, 'asset'>[], theme: string, asset: Asset): void
  clear(): void
}

export function createTierRepository(db: Db): TierRepository {
  const selectAll = db
    .prepare(
      'SELECT id, emoji, name, perk, amount_value, asset_code, asset_scale FROM custom_tip_tiers ORDER BY position',
    )
    .safeIntegers(true)
  const deleteAll = db.prepare('DELETE FROM custom_tip_tiers')
  const insert = db.prepare(
    `INSERT INTO custom_tip_tiers (id, position, theme, emoji, name, perk, amount_value, asset_code, asset_scale)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )

  return {
    list() {
      return (selectAll.all() as CustomTierRow[]).map((row) => ({
        id: row.id,
        emoji: row.emoji,
        name: row.name,
        perk: row.perk,
        amount: BigInt(row.amount_value),
        asset: { assetCode: row.asset_code, assetScale: Number(row.asset_scale) },
      }))
    },
    replace(tiers, theme, asset) {
      db.transaction(() => {
        deleteAll.run()
        tiers.forEach((tier, position) =>
          insert.run(
            tier.id,
            position,
            theme,
            tier.emoji,
            tier.name,
            tier.perk,
            tier.amount,
            asset.assetCode,
            asset.assetScale,
          ),
        )
      })()
    },
    clear() {
      deleteAll.run()
    },
  }
}
