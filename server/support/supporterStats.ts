import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'

/** Per-supporter statistics a tier ladder starts from (all time, real support, one asset). */
export interface SupporterStats {
  /** One supporter (supporters.ts: their key) in the asset; zeros when they never supported in it. */
  viewer(supporterKey: string, asset: Asset): { total: bigint; count: number }
  /** Everyone who supported at least twice, together. */
  returning(asset: Asset): { total: bigint; count: number }
  /** The `limit` supporters who gave the most (ties as in every ranking), together. */
  top(asset: Asset, limit: number): { total: bigint; count: number }
}

export function createSupporterStats(db: Db): SupporterStats {
  const viewer = db
    .prepare(
      `SELECT total_value AS total, support_count AS n FROM supporter_totals
       WHERE supporter_key = ? AND asset_code = ? AND asset_scale = ?`,
    )
    .safeIntegers(true)
  const returning = db
    .prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(support_count), 0) AS n
       FROM supporter_totals WHERE asset_code = ? AND asset_scale = ? AND support_count >= 2`,
    )
    .safeIntegers(true)
  const top = db
    .prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(support_count), 0) AS n FROM (
         SELECT total_value, support_count FROM supporter_totals WHERE asset_code = ? AND asset_scale = ?
         ORDER BY total_value DESC, last_at, supporter_key LIMIT ?)`,
    )
    .safeIntegers(true)
  const figures = (row: { total: bigint; n: bigint } | undefined) => ({
    total: row?.total ?? 0n,
    count: Number(row?.n ?? 0n),
  })
  return {
    viewer: (supporterKey, asset) =>
      figures(
        viewer.get(supporterKey, asset.assetCode, asset.assetScale) as
          { total: bigint; n: bigint } | undefined,
      ),
    returning: (asset) =>
      figures(returning.get(asset.assetCode, asset.assetScale) as { total: bigint; n: bigint }),
    top: (asset, limit) =>
      figures(top.get(asset.assetCode, asset.assetScale, limit) as { total: bigint; n: bigint }),
  }
}
