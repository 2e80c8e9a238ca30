import type { Asset } from '../contracts/common.js'
import type {
  LeaderboardEntry,
  LeaderboardMetric,
  LeaderboardView,
  LeaderboardWindow,
} from '../contracts/gamification.js'
import { makeAmount } from '../contracts/money.js'
import {
  DAY_MS,
  type RankingScope,
  type SupporterRepository,
  type SupporterStanding,
} from '../support/supporterRepository.js'
import type { SupporterIdentity } from '../support/supporters.js'

export { DAY_MS }

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
  supporters: Pick<SupporterRepository, 'rank' | 'rollWindows'>
  identity: SupporterIdentity
  streamerAsset(): Asset
  liveStreamId(): string | null
  now?(): number
}

/** The gamification leaderboards over the ledger's rankings (server/support/supporterRepository.ts). */
export function createLeaderboardService(deps: LeaderboardDeps): LeaderboardService {
  const { supporters, identity } = deps
  const now = deps.now ?? Date.now
  const today = () => Math.floor(now() / DAY_MS)

  function toEntries(rows: SupporterStanding[], asset: Asset): LeaderboardEntry[] {
    return rows.map((row, index) => ({
      rank: index + 1,
      supporterId: identity.publicId(row.supporterId),
      displayName: identity.shownName(row.supporterId, row.chosenName),
      label: identity.label(row.supporterId),
      total: makeAmount(row.total, asset.assetCode, asset.assetScale),
      supportCount: row.count,
      lastSupportAt: new Date(row.lastAt).toISOString(),
    }))
  }

  return {
    rollWindows() {
      supporters.rollWindows(today())
    },
    top(query) {
      const asset = deps.streamerAsset()
      const limit = Math.max(1, Math.min(query.limit ?? 10, 100))
      let scope: RankingScope | null
      let streamId: string | null = null
      let since: string | null = null
      switch (query.window) {
        case 'stream':
          streamId = query.streamId ?? deps.liveStreamId()
          scope = streamId ? { streamId } : null
          break
        case '7d':
        case '30d': {
          const starts = supporters.rollWindows(today())
          since = new Date(starts[query.window] * DAY_MS).toISOString()
          scope = { window: query.window }
          break
        }
        default:
          scope = { all: true }
      }
      return {
        window: query.window,
        by: query.by,
        streamId,
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
        since,
        entries: scope ? toEntries(supporters.rank(scope, asset, query.by, limit), asset) : [],
      }
    },
  }
}
