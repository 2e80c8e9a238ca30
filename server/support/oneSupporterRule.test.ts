/**
 * One rule of who a supporter is and which name is shown (supporters.ts): the dashboard's top
 * supporters, the Supporters page's leaderboard and the leaderboard overlay agree on both, for the
 * same events.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAnalyticsService } from '../analytics/analyticsService.js'
import { createPlatformEventRepository } from '../analytics/platformEventRepository.js'
import { formatAmount, makeAmount } from '../contracts/money.js'
import type { LeaderboardWindow } from '../contracts/overlays.js'
import { createEventBus } from '../events/bus.js'
import { createGoalRepository } from '../gamification/goalRepository.js'
import { createGoalService } from '../gamification/goalService.js'
import { createLeaderboardService } from '../gamification/leaderboardService.js'
import { createOverlayData } from '../overlays/overlayData.js'
import { openDatabase, type Db } from '../storage/db.js'
import { settingsFor } from '../testing/settings.js'
import { createSupportReadModels } from './readModels.js'
import { createSupporterIdentity } from './supporters.js'
import { createSupportEventRepository, type NewSupportEvent } from './supportRepository.js'

const EUR = { assetCode: 'EUR', assetScale: 2 }
const DAY = 86_400_000

let db: Db
afterEach(() => db?.close())

function setup() {
  db = openDatabase(':memory:')
  const now = Date.now()
  const repo = createSupportEventRepository(db)
  const support = createSupportReadModels(db, createSupporterIdentity(db, settingsFor(db)))
  let n = 0
  const record = (cents: number, extra: Partial<NewSupportEvent>) =>
    repo.record({
      sourceKey: `e${(n += 1)}`,
      kind: 'tip',
      amountValue: BigInt(cents),
      ...EUR,
      occurredAt: now - 3 * DAY + n * 1000,
      ...extra,
    })
  const analytics = createAnalyticsService({
    ...support,
    platformEvents: createPlatformEventRepository(db),
    streamerAsset: () => EUR,
    liveStreamId: () => null,
    now: () => now,
  })
  const leaderboards = createLeaderboardService({
    supporters: support.supporters,
    identity: support.identity,
    streamerAsset: () => EUR,
    liveStreamId: () => null,
    now: () => now,
  })
  let overlayWindow: LeaderboardWindow = 'all'
  const overlay = createOverlayData({
    display: () => ({
      leaderboard: { title: 'Top', window: overlayWindow, size: 20 },
      ticker: { title: 'Thanks', size: 20 },
    }),
    goal: () =>
      createGoalService({
        goals: createGoalRepository(db),
        totals: support.totals,
        bus: createEventBus(),
        streamerAsset: () => EUR,
      }).overlayGoal(),
    supporters: support.supporters,
    eventLog: support.eventLog,
    identity: support.identity,
    streamerAsset: () => EUR,
    liveStreamId: () => null,
    tipTiers: () => ({ theme: 'fun', currency: 'EUR', tiers: [] }),
    displayName: (name) => name ?? 'Anonymous',
    now: () => now,
  })
  return {
    record,
    identity: support.identity,
    dashboard: (timeframe: 'all_time' | 'last_30d') =>
      analytics
        .topSupporters({ timeframe, limit: 20 })
        .supporters.map((s) => [s.name, formatAmount(s.total), s.eventCount]),
    supportersPage: (window: 'all' | '30d') =>
      leaderboards
        .top({ window, by: 'total', limit: 20 })
        .entries.map((e) => [e.displayName, formatAmount(e.total), e.supportCount]),
    overlay: (window: LeaderboardWindow) => {
      overlayWindow = window
      return overlay.leaderboard().entries.map((e) => [e.name, e.totalText, e.count])
    },
  }
}

describe('one supporter rule', () => {
  it('gives the dashboard, the Supporters page and the overlay the same supporters and names', () => {
    const t = setup()
    // A wallet that renamed itself, then tipped without a name: its latest chosen name shows.
    t.record(100, { supporterKey: 'https://wallet.example/ann', supporterName: 'Ann' })
    t.record(200, { supporterKey: 'https://wallet.example/ann', supporterName: ' Annie ' })
    t.record(50, { supporterKey: 'https://wallet.example/ann' })
    // A wallet that never gave a name: its label, never the address.
    t.record(300, { supporterKey: 'https://wallet.example/bob' })
    // No key: the name is the supporter, whatever its case and spaces.
    t.record(120, { supporterName: ' Cy ' })
    t.record(30, { supporterName: 'cy' })
    // Anonymous support, a test and another currency belong to no ranking.
    t.record(999, {})
    t.record(5000, { supporterKey: 'https://wallet.example/test', isTest: true })
    t.record(5000, { supporterKey: 'https://wallet.example/usd', assetCode: 'USD' })

    const euros = (cents: number) => formatAmount(makeAmount(cents, 'EUR', 2))
    const expected = [
      ['Annie', euros(350), 3],
      [t.identity.label('https://wallet.example/bob'), euros(300), 1],
      ['cy', euros(150), 2],
    ]
    expect(t.dashboard('all_time')).toEqual(expected)
    expect(t.supportersPage('all')).toEqual(expected)
    expect(t.overlay('all')).toEqual(expected)
    // The windowed rankings read other tables (or the events): the same rule there too.
    expect(t.dashboard('last_30d')).toEqual(expected)
    expect(t.supportersPage('30d')).toEqual(expected)
    expect(t.overlay('30d')).toEqual(expected)
    expect(JSON.stringify([t.dashboard('all_time'), t.overlay('7d')])).not.toContain('wallet')
  })
})
