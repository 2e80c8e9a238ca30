import type { Amount, Asset } from '../contracts/common.js'
import { formatAmount, makeAmount } from '../contracts/money.js'
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
import type { EventLogRepository } from '../support/eventLogRepository.js'
import type { SupporterRepository } from '../support/supporterRepository.js'
import type { SupporterIdentity } from '../support/supporters.js'

export interface OverlayDataDeps {
  /** The leaderboard's and the ticker's settings. */
  display(): Omit<OverlayDisplaySettings, 'goal'>
  /** The goal system's overlay goal: its title, target and what was raised, in the streamer's asset. */
  goal(): { title: string; targetAmount: Amount; raised: Amount }
  /** The ledger: rankings, the latest events, who a supporter is shown as. */
  supporters: Pick<SupporterRepository, 'rank'>
  eventLog: Pick<EventLogRepository, 'recent'>
  identity: Pick<SupporterIdentity, 'shownName' | 'label'>
  streamerAsset(): Asset
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
 * What the goal, leaderboard, ticker and tiers overlays show, from the support ledger's read models
 * (test events never count, DESIGN §4), in the streamer's currency, supporters named by the one rule
 * (server/support/supporters.ts) and then cleaned for the screen.
 */
export function createOverlayData(deps: OverlayDataDeps): OverlayData {
  const now = deps.now ?? Date.now

  return {
    goal() {
      const { title, targetAmount, raised } = deps.goal()
      const target = BigInt(targetAmount.value)
      const total = BigInt(raised.value)
      const fraction = target <= 0n ? 1 : Math.min(1, Number((total * 10_000n) / target) / 10_000)
      return {
        title,
        currentText: formatAmount(raised),
        targetText: formatAmount(targetAmount),
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
      const rows = deps.supporters.rank(
        streamId !== null
          ? { streamId }
          : leaderboard.window === 'all'
            ? { all: true }
            : // Nothing live: "this stream" falls back to the last 12 hours.
              {
                since:
                  now() -
                  (leaderboard.window === 'stream' ? 12 * HOUR : WINDOW_MS[leaderboard.window]),
              },
        asset,
        'total',
        leaderboard.size,
      )
      return {
        title: leaderboard.title,
        entries: rows.map((row, index) => ({
          rank: index + 1,
          name: deps.displayName(deps.identity.shownName(row.supporterId, row.chosenName)),
          totalText: formatAmount(makeAmount(row.total, asset.assetCode, asset.assetScale)),
          count: row.count,
        })),
      }
    },
    ticker() {
      const { ticker } = deps.display()
      return {
        title: ticker.title,
        // An event shows the name given with it, else its supporter's label (supporters.ts).
        entries: deps.eventLog.recent(ticker.size).map((row) => ({
          name: deps.displayName(
            row.name?.trim() || (row.supporterId ? deps.identity.label(row.supporterId) : null),
          ),
          amountText: formatAmount(row.amount),
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
