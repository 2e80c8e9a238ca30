import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'
import { supporterIdSql } from './supporters.js'

export const DAY_MS = 86_400_000

export type RankBy = 'total' | 'count'
export type SlidingWindow = '7d' | '30d'

/** Which support a ranking counts. */
export type RankingScope =
  | { all: true }
  | { streamId: string }
  /** Whole UTC days, from the window's first day (rolled by `rollWindows`). */
  | { window: SlidingWindow }
  /** From a moment on, to the minute: read from the events (dashboard and overlay time frames). */
  | { since: number }

/** A supporter's place in a ranking. `supporterId` is internal (a wallet address): never shown. */
export interface SupporterStanding {
  supporterId: string
  /** The latest name the supporter chose, or null (then the label is shown, supporters.ts). */
  chosenName: string | null
  total: bigint
  count: number
  /** The supporter's latest support counted here (epoch ms). */
  lastAt: number
}

/**
 * Per-supporter reads over the aggregates of supportAggregates.ts: rankings walk an index in rank
 * order and stop after `limit` rows, whatever the number of events. Ties: the supporter who reached the
 * figure first (earlier latest support) ranks higher, then the supporter id decides, so an order never
 * changes between two reads. Only `since` rankings read the events (a time range through an index).
 */
export interface SupporterRepository {
  rank(scope: RankingScope, asset: Asset, by: RankBy, limit: number): SupporterStanding[]
  /** One supporter's all-time figures in the asset; zero when they never supported in it. */
  standing(supporterId: string, asset: Asset): SupporterStanding
  /**
   * Moves the 7-day and 30-day windows to `today` (UTC day number), subtracting the days that left
   * them. Cheap when nothing changed. Returns each window's first day.
   */
  rollWindows(today: number): Record<SlidingWindow, number>
}

interface Row {
  supporter_key: string
  total_value: bigint
  support_count: bigint
  last_at: bigint
  name: string | null
}

const ORDER = {
  total: 't.total_value DESC, t.last_at, t.supporter_key',
  count: 't.support_count DESC, t.last_at, t.supporter_key',
} as const
const COLUMNS = 't.supporter_key, t.total_value, t.support_count, t.last_at, n.name'
const NAMES = 'LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key'

export function createSupporterRepository(db: Db): SupporterRepository {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true)
  const ranked = (from: string, where: string) => ({
    total: prepare(
      `SELECT ${COLUMNS} FROM ${from} t ${NAMES}
       WHERE ${where} AND t.asset_code = @code AND t.asset_scale = @scale ORDER BY ${ORDER.total} LIMIT @limit`,
    ),
    count: prepare(
      `SELECT ${COLUMNS} FROM ${from} t ${NAMES}
       WHERE ${where} AND t.asset_code = @code AND t.asset_scale = @scale ORDER BY ${ORDER.count} LIMIT @limit`,
    ),
  })
  const byAll = ranked('supporter_totals', '1 = 1')
  const byStream = ranked('supporter_stream_totals', 't.stream_id = @stream')
  const byWindow = ranked('supporter_window_totals', 't.window_name = @window')
  const since = `(SELECT ${supporterIdSql()} AS supporter_key, SUM(amount_value) AS total_value,
      COUNT(*) AS support_count, MAX(occurred_at) AS last_at
    FROM support_events
    WHERE is_test = 0 AND occurred_at >= @since AND asset_code = @code AND asset_scale = @scale
      AND ${supporterIdSql()} IS NOT NULL
    GROUP BY ${supporterIdSql()})`
  const bySince = {
    total: prepare(
      `SELECT ${COLUMNS} FROM ${since} t ${NAMES} ORDER BY ${ORDER.total} LIMIT @limit`,
    ),
    count: prepare(
      `SELECT ${COLUMNS} FROM ${since} t ${NAMES} ORDER BY ${ORDER.count} LIMIT @limit`,
    ),
  }
  // One row even for a supporter without support in the asset: their name may still be known.
  const one = prepare(
    `SELECT t.total_value, t.support_count, t.last_at,
       (SELECT name FROM supporter_names WHERE supporter_key = @id) AS name
     FROM (SELECT 1) LEFT JOIN supporter_totals t
       ON t.supporter_key = @id AND t.asset_code = @code AND t.asset_scale = @scale`,
  )

  const readWindows = db.prepare('SELECT name, days, from_day FROM leaderboard_windows')
  const setFromDay = db.prepare('UPDATE leaderboard_windows SET from_day = ? WHERE name = ?')
  // Day by day, row by row through the primary keys: a day holds a few thousand rows at most, and
  // this plan never scans a whole window.
  const dayRows = prepare(
    'SELECT supporter_key, asset_code, asset_scale, total_value, support_count FROM supporter_daily WHERE day = ?',
  )
  const subtractRow = db.prepare(
    `UPDATE supporter_window_totals SET total_value = total_value - ?, support_count = support_count - ?
     WHERE window_name = ? AND supporter_key = ? AND asset_code = ? AND asset_scale = ?`,
  )
  // One range delete per asset at the end of the count index (support_count DESC).
  const dropEmpty = db.prepare(
    `DELETE FROM supporter_window_totals
     WHERE window_name = ? AND asset_code = ? AND asset_scale = ? AND support_count <= 0`,
  )
  const clearWindow = db.prepare('DELETE FROM supporter_window_totals WHERE window_name = ?')
  const rebuildWindow = db.prepare(
    `INSERT INTO supporter_window_totals
       (window_name, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
     SELECT ?, supporter_key, asset_code, asset_scale, SUM(total_value), SUM(support_count), MAX(last_at)
     FROM supporter_daily WHERE day >= ? GROUP BY supporter_key, asset_code, asset_scale`,
  )

  let rolledForDay = -1
  const windowStart: Record<SlidingWindow, number> = { '7d': 0, '30d': 0 }

  function roll(today: number): void {
    for (const row of readWindows.all() as {
      name: SlidingWindow
      days: number
      from_day: number
    }[]) {
      const target = today - row.days + 1
      if (target > row.from_day) {
        if (target - row.from_day >= row.days) {
          clearWindow.run(row.name)
          rebuildWindow.run(row.name, target)
        } else {
          const assets = new Map<string, [string, bigint]>()
          for (let day = row.from_day; day < target; day += 1) {
            for (const daily of dayRows.all(day) as {
              supporter_key: string
              asset_code: string
              asset_scale: bigint
              total_value: bigint
              support_count: bigint
            }[]) {
              subtractRow.run(
                daily.total_value,
                daily.support_count,
                row.name,
                daily.supporter_key,
                daily.asset_code,
                daily.asset_scale,
              )
              assets.set(`${daily.asset_code}:${daily.asset_scale}`, [
                daily.asset_code,
                daily.asset_scale,
              ])
            }
          }
          for (const [code, scale] of assets.values()) dropEmpty.run(row.name, code, scale)
        }
        setFromDay.run(target, row.name)
      }
      windowStart[row.name] = Math.max(target, row.from_day)
    }
  }

  function toStanding(row: Row): SupporterStanding {
    return {
      supporterId: row.supporter_key,
      chosenName: row.name,
      total: BigInt(row.total_value),
      count: Number(row.support_count),
      lastAt: Number(row.last_at),
    }
  }

  return {
    rank(scope, asset, by, limit) {
      const base = { code: asset.assetCode, scale: asset.assetScale, limit }
      let rows: unknown[]
      if ('streamId' in scope) rows = byStream[by].all({ ...base, stream: scope.streamId })
      else if ('window' in scope) rows = byWindow[by].all({ ...base, window: scope.window })
      else if ('since' in scope) rows = bySince[by].all({ ...base, since: scope.since })
      else rows = byAll[by].all(base)
      return (rows as Row[]).map(toStanding)
    },
    standing(supporterId, asset) {
      const row = one.get({ id: supporterId, code: asset.assetCode, scale: asset.assetScale }) as {
        total_value: bigint | null
        support_count: bigint | null
        last_at: bigint | null
        name: string | null
      }
      return {
        supporterId,
        chosenName: row.name,
        total: row.total_value ?? 0n,
        count: Number(row.support_count ?? 0n),
        lastAt: Number(row.last_at ?? 0n),
      }
    },
    rollWindows(today) {
      if (today !== rolledForDay) {
        db.transaction(() => roll(today))()
        rolledForDay = today
      }
      return { ...windowStart }
    },
  }
}
