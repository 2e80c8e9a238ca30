import type { StreamerAsset } from '../app/infrastructure.js'
import { makeAmount } from '../contracts/money.js'
import type {
  LeaderboardEntry,
  LeaderboardMetric,
  LeaderboardView,
  LeaderboardWindow,
} from '../contracts/gamification.js'
import type { Db } from '../storage/db.js'
import type { SupporterIdentity } from './labels.js'

export const DAY_MS = 86_400_000

export interface LeaderboardQuery {
  window: LeaderboardWindow
  by: LeaderboardMetric
  limit?: number
  /** For window 'stream': defaults to the live stream. */
  streamId?: string | null
}

export interface LeaderboardService {
  top(query: LeaderboardQuery): LeaderboardView
  /**
   * Moves the 7-day and 30-day windows to today (UTC), subtracting the days that left them. Cheap when
   * nothing changed; called before each window query.
   */
  rollWindows(): void
}

export interface LeaderboardDeps {
  db: Db
  identity: SupporterIdentity
  streamerAsset(): StreamerAsset
  liveStreamId(): string | null
  now?(): number
}

interface Row {
  supporter_key: string
  total_value: bigint
  support_count: bigint
  last_at: bigint
  name: string | null
}

const COLUMNS = 't.supporter_key, t.total_value, t.support_count, t.last_at, n.name'

/**
 * Top supporters from the trigger-maintained aggregate tables (migration 0004): each query walks an
 * index in rank order and stops after `limit` rows, whatever the number of events. Ties: the supporter
 * who reached the figure first (earlier last support) ranks higher, then the supporter key decides, so
 * the order never changes between two reads.
 */
export function createLeaderboardService(deps: LeaderboardDeps): LeaderboardService {
  const { db, identity } = deps
  const now = deps.now ?? Date.now
  const order = {
    total: 't.total_value DESC, t.last_at, t.supporter_key',
    count: 't.support_count DESC, t.last_at, t.supporter_key',
  } as const
  const byAll = {
    total: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.total} LIMIT ?`,
    ),
    count: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.count} LIMIT ?`,
    ),
  }
  const byStream = {
    total: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_stream_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.stream_id = ? AND t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.total} LIMIT ?`,
    ),
    count: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_stream_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.stream_id = ? AND t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.count} LIMIT ?`,
    ),
  }
  const byWindow = {
    total: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_window_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.window_name = ? AND t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.total} LIMIT ?`,
    ),
    count: db.prepare(
      `SELECT ${COLUMNS} FROM supporter_window_totals t LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
        WHERE t.window_name = ? AND t.asset_code = ? AND t.asset_scale = ? ORDER BY ${order.count} LIMIT ?`,
    ),
  }
  for (const statement of [
    ...Object.values(byAll),
    ...Object.values(byStream),
    ...Object.values(byWindow),
  ])
    statement.safeIntegers(true)

  const readWindows = db.prepare('SELECT name, days, from_day FROM leaderboard_windows')
  const setFromDay = db.prepare('UPDATE leaderboard_windows SET from_day = ? WHERE name = ?')
  // Day by day, row by row through the primary keys: a day holds a few thousand rows at most, and
  // this plan never scans a whole window.
  const dayRows = db
    .prepare(
      'SELECT supporter_key, asset_code, asset_scale, total_value, support_count FROM supporter_daily WHERE day = ?',
    )
    .safeIntegers(true)
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
  const windowStart = new Map<string, number>()

  function rollWindows(): void {
    const today = Math.floor(now() / DAY_MS)
    if (today === rolledForDay) return
    db.transaction(() => {
      for (const row of readWindows.all() as { name: string; days: number; from_day: number }[]) {
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
                const key = [
                  row.name,
                  daily.supporter_key,
                  daily.asset_code,
                  daily.asset_scale,
                ] as const
                subtractRow.run(daily.total_value, daily.support_count, ...key)
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
        windowStart.set(row.name, Math.max(target, row.from_day))
      }
    })()
    rolledForDay = today
  }

  function toEntries(rows: Row[], asset: StreamerAsset): LeaderboardEntry[] {
    return rows.map((row, index) => {
      const label = identity.label(row.supporter_key)
      return {
        rank: index + 1,
        supporterId: identity.publicId(row.supporter_key),
        displayName: row.name ?? label,
        label,
        total: makeAmount(row.total_value, asset.assetCode, asset.assetScale),
        supportCount: Number(row.support_count),
        lastSupportAt: new Date(Number(row.last_at)).toISOString(),
      }
    })
  }

  return {
    rollWindows,
    top(query) {
      const asset = deps.streamerAsset()
      const limit = Math.max(1, Math.min(query.limit ?? 10, 100))
      let rows: Row[]
      let streamId: string | null = null
      let since: string | null = null
      switch (query.window) {
        case 'stream':
          streamId = query.streamId ?? deps.liveStreamId()
          rows = streamId
            ? (byStream[query.by].all(streamId, asset.assetCode, asset.assetScale, limit) as Row[])
            : []
          break
        case '7d':
        case '30d':
          rollWindows()
          since = new Date((windowStart.get(query.window) ?? 0) * DAY_MS).toISOString()
          rows = byWindow[query.by].all(
            query.window,
            asset.assetCode,
            asset.assetScale,
            limit,
          ) as Row[]
          break
        default:
          rows = byAll[query.by].all(asset.assetCode, asset.assetScale, limit) as Row[]
      }
      return {
        window: query.window,
        by: query.by,
        streamId,
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
        since,
        entries: toEntries(rows, asset),
      }
    },
  }
}
