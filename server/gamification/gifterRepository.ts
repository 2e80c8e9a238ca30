import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'

/** The level last announced per supporter and asset (`supporter_levels`), so a level-up is told once. */
export interface GifterRepository {
  /** The level announced last, or undefined before the supporter's first check. */
  announced(supporterId: string, asset: Asset): number | undefined
  announce(supporterId: string, asset: Asset, level: number, at: number): void
}

export function createGifterRepository(db: Db): GifterRepository {
  const read = db.prepare(
    'SELECT level FROM supporter_levels WHERE supporter_key = ? AND asset_code = ? AND asset_scale = ?',
  )
  const write = db.prepare(
    `INSERT INTO supporter_levels (supporter_key, asset_code, asset_scale, level, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (supporter_key, asset_code, asset_scale) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`,
  )
  return {
    announced: (supporterId, asset) =>
      (read.get(supporterId, asset.assetCode, asset.assetScale) as { level: number } | undefined)
        ?.level,
    announce: (supporterId, asset, level, at) => {
      write.run(supporterId, asset.assetCode, asset.assetScale, level, at)
    },
  }
}
