import { afterEach, describe, expect, it } from 'vitest'
import { defaultDisplaySettings } from './overlayService.js'
import type { LeaderboardView } from '../contracts/gamification.js'
import { makeAmount } from '../contracts/money.js'
import type { OverlayDisplaySettings } from '../contracts/overlays.js'
import { createEventBus } from '../events/bus.js'
import { createGoalRepository } from '../gamification/goalRepository.js'
import { createGoalService } from '../gamification/goalService.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createSupportReadModels } from '../support/readModels.js'
import { createSupporterIdentity } from '../support/supporters.js'
import { createSupportEventRepository, type NewSupportEvent } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { createOverlayData } from './overlayData.js'

let db: Db
afterEach(() => db?.close())

function setup(
  display: Partial<Omit<OverlayDisplaySettings, 'goal'>> = {},
  sharedBoard?: (window: 'stream' | 'all') => LeaderboardView | undefined,
) {
  db = openDatabase(':memory:')
  const events = createSupportEventRepository(db)
  let n = 0
  const support = (value: bigint, extra: Partial<NewSupportEvent> = {}) =>
    events.record({
      sourceKey: `s${(n += 1)}`,
      kind: 'tip',
      amountValue: value,
      assetCode: 'EUR',
      assetScale: 2,
      occurredAt: Date.parse('2026-01-01T12:00:00Z') + n,
      ...extra,
    })
  const EUR = { assetCode: 'EUR', assetScale: 2 }
  const ledger = createSupportReadModels(db, createSupporterIdentity(db, settingsFor(db)))
  const goals = createGoalService({
    goals: createGoalRepository(db),
    totals: ledger.totals,
    bus: createEventBus(),
    streamerAsset: () => EUR,
  })
  goals.setOverlayGoal({ title: 'Stream goal', startAt: '2026-01-01T00:00:00.000Z', target: '10' })
  const settings = { ...defaultDisplaySettings(), ...display }
  settings.leaderboard = { ...settings.leaderboard, window: 'all', size: 3 }
  const data = createOverlayData({
    display: () => settings,
    goal: () => goals.overlayGoal(),
    supporters: ledger.supporters,
    eventLog: ledger.eventLog,
    identity: ledger.identity,
    streamerAsset: () => EUR,
    liveStreamId: () => null,
    tipTiers: () => ({ theme: 'fun', currency: 'EUR', tiers: [] }),
    displayName: (name) => (name === 'darn' ? '****' : (name ?? 'Anonymous')),
    sharedBoard,
  })
  return { data, support }
}

describe('overlay data', () => {
  it('counts verified support towards the goal, never test events', () => {
    const { data, support } = setup()
    support(250n)
    support(9900n, { isTest: true })
    support(250n, { occurredAt: Date.parse('2025-12-31T23:00:00Z') })
    const goal = data.goal()
    expect(goal.fraction).toBe(0.25)
    expect(goal.currentText).toContain('2.50')
    expect(goal.targetText).toContain('10.00')
  })

  it('ranks supporters by total under their latest name, ties to whoever got there first', () => {
    const { data, support } = setup()
    support(100n, { supporterKey: 'a', supporterName: 'Ada' })
    support(300n, { supporterKey: 'b', supporterName: 'Bob' })
    support(200n, { supporterKey: 'a', supporterName: 'Ada L.' })
    support(300n, { supporterKey: 'c', supporterName: 'darn' })
    support(5000n, { supporterKey: 'x', supporterName: 'Tester', isTest: true })
    const board = data.leaderboard()
    expect(board.entries.map((entry) => [entry.rank, entry.name, entry.count])).toEqual([
      // All three have 3.00: Bob got there with the 2nd support, Ada with the 3rd, "darn" the 4th.
      [1, 'Bob', 1],
      [2, 'Ada L.', 2],
      [3, '****', 1],
    ])
  })

  it('lists the latest supporters first in the ticker, names as overlays may show them', () => {
    const { data, support } = setup()
    support(100n, { supporterName: 'First' })
    support(200n, { supporterName: null })
    support(300n, { supporterName: 'Test', isTest: true })
    expect(data.ticker().entries.map((entry) => entry.name)).toEqual(['Anonymous', 'First'])
  })

  it("uses the gamification feature's board when it covers the window, with its labels", () => {
    const board: LeaderboardView = {
      window: 'all',
      by: 'total',
      streamId: null,
      assetCode: 'EUR',
      assetScale: 2,
      since: null,
      entries: [
        {
          rank: 1,
          supporterId: 'x',
          displayName: 'Brave Otter 417',
          label: 'Brave Otter 417',
          total: makeAmount(1234n, 'EUR', 2),
          supportCount: 3,
          lastSupportAt: '2026-01-01T12:00:00.000Z',
        },
      ],
    }
    const { data, support } = setup({}, (window) => (window === 'all' ? board : undefined))
    support(100n, { supporterName: 'Only in my own query' })
    expect(data.leaderboard().entries).toEqual([
      { rank: 1, name: 'Brave Otter 417', totalText: expect.stringContaining('12.34'), count: 3 },
    ])
  })
})
