import { describe, expect, it } from 'vitest'
import { createEventBus } from '../events/bus.js'
import { openDatabase } from '../storage/db.js'
import { createSupportReadModels } from '../support/readModels.js'
import { createSupporterIdentity } from '../support/supporters.js'
import { createSupportEventRepository, type NewSupportEvent } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { createGoalRepository } from './goalRepository.js'
import { createGoalService } from './goalService.js'
import { createLeaderboardService, DAY_MS } from './leaderboardService.js'

const EUR = { assetCode: 'EUR', assetScale: 2 }

// Noon (UTC) of the real today: the migration starts its windows at the real date.
function setup(start = (Math.floor(Date.now() / DAY_MS) + 0.5) * DAY_MS) {
  const db = openDatabase(':memory:')
  db.prepare('INSERT INTO streams (id, platform, started_at) VALUES (?, ?, ?)').run(
    's1',
    'owncast',
    start - 3_600_000,
  )
  const repo = createSupportEventRepository(db)
  let clock = start
  let n = 0
  const identity = createSupporterIdentity(db, settingsFor(db))
  const support = createSupportReadModels(db, identity)
  let live: string | null = 's1'
  const service = createLeaderboardService({
    supporters: support.supporters,
    identity,
    streamerAsset: () => EUR,
    liveStreamId: () => live,
    now: () => clock,
  })
  const record = (
    supporterKey: string | null,
    cents: number,
    extra: Partial<NewSupportEvent> = {},
  ) =>
    repo.record({
      sourceKey: `e${(n += 1)}`,
      kind: 'tip',
      amountValue: BigInt(cents),
      ...EUR,
      supporterKey,
      occurredAt: clock,
      ...extra,
    })
  return {
    db,
    identity,
    support,
    service,
    record,
    advance: (ms: number) => (clock += ms),
    now: () => clock,
    setLive: (id: string | null) => (live = id),
  }
}

describe('leaderboards', () => {
  it('ranks by total and by count; ties go to whoever reached the figure first, then a fixed order', () => {
    const t = setup()
    t.record('wallet-a', 500, { supporterName: 'Ann' })
    t.advance(1000)
    t.record('wallet-b', 300)
    t.record('wallet-b', 200) // b reaches 5.00 after a did
    t.advance(1000)
    t.record('wallet-c', 900)
    const byTotal = t.service.top({ window: 'all', by: 'total' })
    expect(
      byTotal.entries.map((entry) => [entry.rank, entry.displayName, entry.total.value]),
    ).toEqual([
      [1, t.identity.label('wallet-c'), '900'],
      [2, 'Ann', '500'],
      [3, t.identity.label('wallet-b'), '500'],
    ])
    const byCount = t.service.top({ window: 'all', by: 'count' })
    expect(byCount.entries.map((entry) => entry.supportCount)).toEqual([2, 1, 1])
    expect(byCount.entries[0]!.label).toBe(t.identity.label('wallet-b'))
    // Same count: a's single support came first.
    expect(byCount.entries[1]!.displayName).toBe('Ann')

    // A perfect tie (same total, same moment): the order is stable between reads.
    t.record('wallet-d', 100)
    t.record('wallet-e', 100)
    const first = t.service
      .top({ window: 'all', by: 'total' })
      .entries.slice(3)
      .map((e) => e.supporterId)
    const again = t.service
      .top({ window: 'all', by: 'total' })
      .entries.slice(3)
      .map((e) => e.supporterId)
    expect(first).toHaveLength(2)
    expect(again).toEqual(first)
  })

  it('shows the latest chosen name, never the wallet, and ignores tests, other assets and anonymous events', () => {
    const t = setup()
    t.record('https://wallet.example/zed', 100, { supporterName: 'Zed' })
    t.advance(1000)
    t.record('https://wallet.example/zed', 100, { supporterName: 'Zed the Great' })
    t.record('https://wallet.example/zed', 100) // no name this time: the latest chosen one stays
    t.record('https://wallet.example/test', 10_000, { isTest: true })
    t.record('https://wallet.example/usd', 10_000, { assetCode: 'USD' })
    t.record(null, 10_000)
    const board = t.service.top({ window: 'all', by: 'total' })
    expect(board.entries).toHaveLength(1)
    expect(board.entries[0]).toMatchObject({
      displayName: 'Zed the Great',
      supportCount: 3,
      total: { value: '300' },
    })
    expect(JSON.stringify(board)).not.toContain('wallet.example')
  })

  it('keeps 7-day and 30-day windows exact as days pass', () => {
    const t = setup()
    t.record('old', 1000, { occurredAt: t.now() - 40 * DAY_MS })
    t.record('month', 700, { occurredAt: t.now() - 20 * DAY_MS })
    t.record('week', 300, { occurredAt: t.now() - 3 * DAY_MS })
    t.record('week', 300)
    const keys = (window: '7d' | '30d' | 'all') =>
      t.service
        .top({ window, by: 'total' })
        .entries.map((entry) => [entry.label, entry.total.value])
    const label = (key: string) => t.identity.label(key)
    expect(keys('7d')).toEqual([[label('week'), '600']])
    expect(keys('30d')).toEqual([
      [label('month'), '700'],
      [label('week'), '600'],
    ])
    expect(keys('all')[0]).toEqual([label('old'), '1000'])

    // Five days later the 3-day-old support has left the 7-day window; today's stays.
    t.advance(5 * DAY_MS)
    expect(keys('7d')).toEqual([[label('week'), '300']])
    // Eleven more days: the 20-day-old support leaves the 30-day window.
    t.advance(11 * DAY_MS)
    expect(keys('30d')).toEqual([[label('week'), '600']])
    expect(keys('7d')).toEqual([])
    // A long pause (the app was closed): the window is rebuilt from the daily rows.
    t.record('week', 50)
    t.advance(100 * DAY_MS)
    expect(keys('30d')).toEqual([])
    expect(t.service.top({ window: '7d', by: 'total' }).since).toBe(
      new Date((Math.floor(t.now() / DAY_MS) - 6) * DAY_MS).toISOString(),
    )
  })

  it('ranks the current stream only, and is empty when nothing is live', () => {
    const t = setup()
    t.record('in-stream', 200, { streamId: 's1' })
    t.record('elsewhere', 900)
    expect(
      t.service.top({ window: 'stream', by: 'total' }).entries.map((entry) => entry.total.value),
    ).toEqual(['200'])
    t.setLive(null)
    expect(t.service.top({ window: 'stream', by: 'total' })).toMatchObject({
      streamId: null,
      entries: [],
    })
  })
})

describe('goals', () => {
  it('counts verified support in the asset from the start time, across partial and whole days', () => {
    const t = setup()
    const bus = createEventBus()
    const reached: string[] = []
    bus.on('goal.reached', (goal) => reached.push(goal.title))
    const goals = createGoalService({
      goals: createGoalRepository(t.db),
      totals: t.support.totals,
      bus,
      streamerAsset: () => EUR,
      now: t.now,
    })
    t.record('before', 5000, { occurredAt: t.now() - 2 * DAY_MS })
    const goal = goals.create({
      title: 'New mic',
      target: '20.00',
      startsAt: new Date(t.now() - DAY_MS - 1000).toISOString(),
    })
    t.record('a', 1000, { occurredAt: t.now() - DAY_MS }) // inside: after the start
    t.record('b', 250) // today
    t.record('c', 999, { isTest: true })
    t.record('d', 999, { assetCode: 'USD' })
    t.record(null, 250) // anonymous support still counts towards a goal
    expect(goals.get(goal.id)).toMatchObject({
      raised: { value: '1500' },
      fraction: 0.75,
      supportCount: 3,
      reached: false,
    })
    t.advance(3 * DAY_MS)
    t.record('e', 500)
    goals.refresh()
    expect(goals.get(goal.id)).toMatchObject({
      raised: { value: '2000' },
      fraction: 1,
      reached: true,
    })
    goals.refresh()
    expect(reached).toEqual(['New mic'])
  })
})
