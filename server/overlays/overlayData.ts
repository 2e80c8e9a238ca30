import type { StreamerAsset } from '../app/infrastructure.js'
import { decimalToMinor, formatAmount, makeAmount, MoneyFormatError } from '../contracts/money.js'
import type {
  GoalData,
  LeaderboardData,
  LeaderboardWindow,
  OverlayDisplaySettings,
  TickerData,
  TiersData,
} from '../contracts/overlays.js'
import type { LeaderboardView } from '../contracts/gamification.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { Db } from '../storage/db.js'

export interface OverlayDataDeps {
  db: Db
  display(): OverlayDisplaySettings
  streamerAsset(): StreamerAsset
  liveStreamId(): string | null
  tipTiers(streamId: string | null): TipTierSet
  /**
   * The gamification feature's latest board for a window (from its 'leaderboard.updated' events): kept
   * by aggregate tables, so it is cheap and names nameless supporters with stable labels. Used when it
   * covers what the overlay asks for; otherwise the overlay queries on its own.
   */
  sharedBoard?(window: 'stream' | 'all'): LeaderboardView | undefined
  /** Supporter names as overlays may show them (cleaned, blocked words masked). */
  displayName(name: string | null): string
  now?: () => number
}

export interface OverlayData {
  goal(): GoalData
  leaderboard(): LeaderboardData
  ticker(): TickerData
  tiers(): TiersData
}

const HOUR = 60 * 60 * 1000
const WINDOW_MS: Record<Exclude<LeaderboardWindow, 'stream' | 'all'>, number> = {
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
}

/**
 * What the goal, leaderboard, ticker and tiers overlays show: small queries of their own on verified
 * support (test events never count, DESIGN §4), in the streamer's currency.
 */
export function createOverlayData(deps: OverlayDataDeps): OverlayData {
  const { db } = deps
  const now = deps.now ?? Date.now
  const goalSum = db
    .prepare(
      `SELECT COALESCE(SUM(amount_value), 0) AS total FROM support_events
       WHERE is_test = 0 AND asset_code = ? AND asset_scale = ? AND occurred_at >= ?`,
    )
    .safeIntegers(true)
  // With a single MAX(occurred_at), SQLite takes the bare supporter_name from that same (latest) row.
  // Ties go to whoever reached the total first (the earlier last support).
  const board = (where: string) =>
    db
      .prepare(
        `SELECT supporter_name AS name, MAX(occurred_at) AS last, SUM(amount_value) AS total,
           COUNT(*) AS count
         FROM support_events
         WHERE is_test = 0 AND asset_code = ? AND asset_scale = ? AND ${where}
         GROUP BY COALESCE(supporter_key, 'name:' || supporter_name, 'anonymous')
         ORDER BY total DESC, last ASC
         LIMIT ?`,
      )
      .safeIntegers(true)
  const boardByStream = board('stream_id = ?')
  const boardSince = board('occurred_at >= ?')
  const recent = db
    .prepare(
      `SELECT supporter_name AS name, amount_value AS value, asset_code AS code, asset_scale AS scale
       FROM support_events WHERE is_test = 0 ORDER BY occurred_at DESC, id DESC LIMIT ?`,
    )
    .safeIntegers(true)

  return {
    goal() {
      const { goal } = deps.display()
      const asset = deps.streamerAsset()
      let target = 0n
      try {
        target = decimalToMinor(goal.target, asset.assetScale)
      } catch (error) {
        if (!(error instanceof MoneyFormatError)) throw error
      }
      const row = goalSum.get(asset.assetCode, asset.assetScale, Date.parse(goal.startAt)) as {
        total: bigint
      }
      const fraction =
        target <= 0n ? 1 : Math.min(1, Number((row.total * 10_000n) / target) / 10_000)
      return {
        title: goal.title,
        currentText: formatAmount(makeAmount(row.total, asset.assetCode, asset.assetScale)),
        targetText: formatAmount(makeAmount(target, asset.assetCode, asset.assetScale)),
        fraction,
      }
    },
    leaderboard() {
      const { leaderboard } = deps.display()
      const asset = deps.streamerAsset()
      const streamId = leaderboard.window === 'stream' ? deps.liveStreamId() : null
      const shared =
        leaderboard.window === 'stream' || leaderboard.window === 'all'
          ? deps.sharedBoard?.(leaderboard.window)
          : undefined
      if (
        shared &&
        shared.assetCode === asset.assetCode &&
        shared.assetScale === asset.assetScale &&
        (leaderboard.window === 'all' || (streamId !== null && shared.streamId === streamId)) &&
        // A board cut shorter than the overlay's size may hide supporters: query instead.
        (shared.entries.length >= leaderboard.size || shared.entries.length < 10)
      ) {
        return {
          title: leaderboard.title,
          entries: shared.entries.slice(0, leaderboard.size).map((entry, index) => ({
            rank: index + 1,
            name: deps.displayName(entry.displayName),
            totalText: formatAmount(entry.total),
            count: entry.supportCount,
          })),
        }
      }
      let rows: unknown[]
      if (streamId !== null) {
        rows = boardByStream.all(asset.assetCode, asset.assetScale, streamId, leaderboard.size)
      } else {
        const since =
          leaderboard.window === 'all'
            ? 0
            : // Nothing live: "this stream" falls back to the last 12 hours.
              now() - (leaderboard.window === 'stream' ? 12 * HOUR : WINDOW_MS[leaderboard.window])
        rows = boardSince.all(asset.assetCode, asset.assetScale, since, leaderboard.size)
      }
      return {
        title: leaderboard.title,
        entries: (rows as { name: string | null; total: bigint; count: bigint }[]).map(
          (row, index) => ({
            rank: index + 1,
            name: deps.displayName(row.name),
            totalText: formatAmount(makeAmount(row.total, asset.assetCode, asset.assetScale)),
            count: Number(row.count),
          }),
        ),
      }
    },
    ticker() {
      const { ticker } = deps.display()
      const rows = recent.all(ticker.size) as {
        name: string | null
        value: bigint
        code: string
        scale: bigint
      }[]
      return {
        title: ticker.title,
        entries: rows.map((row) => ({
          name: deps.displayName(row.name),
          amountText: formatAmount(makeAmount(row.value, row.code, Number(row.scale))),
        })),
      }
    },
    tiers() {
      const set = deps.tipTiers(deps.liveStreamId())
      return {
        theme: set.theme,
        tiers: set.tiers.map((tier) => {
          let amountText: string
          try {
            amountText = new Intl.NumberFormat(undefined, {
              style: 'currency',
              currency: tier.currency,
            }).format(tier.amount)
          } catch {
            amountText = `${tier.amount} ${tier.currency}`
          }
          return { id: tier.id, emoji: tier.emoji, name: tier.name, amountText, perk: tier.perk }
        }),
      }
    },
  }
}
