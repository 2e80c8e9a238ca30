import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'
import type { SupporterStats } from './tierService.js'

interface SumRow {
  total: bigint
  n: bigint
}

/**
 * Stand-in for the support ledger's per-supporter statistics, read from `supporter_totals` until the
 * ledger exports its own implementation of SupporterStats.
 */
export function createSqlSupporterStats(db: Db): SupporterStats {
  const viewer = db
    .prepare(
      'SELECT total_value, support_count FROM supporter_totals WHERE supporter_key = ? AND asset_code = ? AND asset_scale = ?',
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
  const sum = (row: SumRow) => ({ total: row.total, count: Number(row.n) })

  return {
    viewer(supporterKey: string, asset: Asset) {
      const row = viewer.get(supporterKey, asset.assetCode, asset.assetScale) as
        { total_value: bigint; support_count: bigint } | undefined
      return row
        ? { total: row.total_value, count: Number(row.support_count) }
        : { total: 0n, count: 0 }
    },
    returning: (asset) => sum(returning.get(asset.assetCode, asset.assetScale) as SumRow),
    top: (asset, limit) => sum(top.get(asset.assetCode, asset.assetScale, limit) as SumRow),
  }
}
