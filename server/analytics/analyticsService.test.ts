import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TIMEFRAMES } from '../contracts/analytics.js'
import type { SupportKind } from '../contracts/events.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createSupportReadModels } from '../support/readModels.js'
import { createSupporterIdentity } from '../support/supporters.js'
import { createSupportEventRepository, type NewSupportEvent } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { createAnalyticsService, DAY_MS, HOUR_MS, TIMEFRAME_MS } from './analyticsService.js'
import { createPlatformEventRepository } from './platformEventRepository.js'

// A fixed clock 20 minutes past an hour, so windows start mid-hour and the partial-hour path runs.
const NOW = Date.UTC(2026, 10, 23, 13, 20, 0)

let db: Db
/** Every event recorded by a test, as recorded: the expected figures come from these. */
let recorded: NewSupportEvent[]
beforeEach(() => {
  db = openDatabase(':memory:')
  recorded = []
  db.prepare(
    "INSERT INTO streams (id, platform, title, started_at) VALUES ('s1', 'owncast', 'Friday stream', ?)",
  ).run(NOW - 2 * HOUR_MS)
})
afterEach(() => db.close())

function service() {
  const support = createSupportReadModels(db, createSupporterIdentity(db, settingsFor(db)))
  return createAnalyticsService({
    ...support,
    platformEvents: createPlatformEventRepository(db),
    streamerAsset: () => ({ assetCode: 'EUR', assetScale: 2 }),
    liveStreamId: () => 's1',
    now: () => NOW,
  })
}

function recorder() {
  const repo = createSupportEventRepository(db)
  return {
    record(input: NewSupportEvent) {
      recorded.push(input)
      return repo.record(input)
    },
  }
}

/** A deterministic spread of events over 40 days, a few per hour, some with the same supporter. */
function seed(count = 600) {
  const repo = recorder()
  const kinds: SupportKind[] = ['tip', 'web-monetization', 'redemption']
  for (let i = 0; i < count; i += 1) {
    repo.record({
      sourceKey: `e${i}`,
      kind: kinds[i % 3]!,
      amountValue: BigInt(1 + ((i * 37) % 500)),
      assetCode: 'EUR',
      assetScale: 2,
      supporterKey: i % 5 === 0 ? null : `wallet-${i % 23}`,
      supporterName: i % 5 === 0 ? `Guest ${i % 7}` : `Viewer ${i % 23}`,
      streamId: i % 4 === 0 ? 's1' : null,
      occurredAt: NOW - Math.floor((i * 40 * DAY_MS) / count) - 1,
    })
  }
  // Neither of these may count: a test alert and another currency.
  repo.record({
    sourceKey: 'test-1',
    kind: 'tip',
    amountValue: 99_999n,
    assetCode: 'EUR',
    assetScale: 2,
    isTest: true,
    occurredAt: NOW - 1000,
  })
  repo.record({
    sourceKey: 'usd-1',
    kind: 'tip',
    amountValue: 77_777n,
    assetCode: 'USD',
    assetScale: 2,
    supporterName: 'Dollar',
    occurredAt: NOW - 1000,
  })
}

/** The figures straight from the recorded events, the slow and obvious way. */
function expected(from: number | null, streamId: string | null = null) {
  const rows = recorded.filter(
    (r) =>
      !r.isTest &&
      r.assetCode === 'EUR' &&
      (r.occurredAt ?? 0) >= (from ?? -1e15) &&
      (!streamId || r.streamId === streamId),
  )
  const ids = new Set(
    rows.map(
      (r) =>
        r.supporterKey ?? (r.supporterName ? `name:${r.supporterName.trim().toLowerCase()}` : null),
    ),
  )
  ids.delete(null)
  return {
    total: rows.reduce((sum, r) => sum + r.amountValue, 0n),
    count: rows.length,
    unique: ids.size,
  }
}

describe('analytics summary', () => {
  it('equals the sums of the real events for every timeframe, excluding tests and other assets', () => {
    seed()
    const analytics = service()
    for (const timeframe of TIMEFRAMES) {
      const span = TIMEFRAME_MS[timeframe]
      const want = expected(span === null ? null : NOW - span)
      const got = analytics.summary({ timeframe })
      expect(got.total.value, timeframe).toBe(want.total.toString())
      expect(got.eventCount, timeframe).toBe(want.count)
      expect(got.uniqueSupporters, timeframe).toBe(want.unique)
      expect(got.currency).toBe('EUR')
      const byKind = Object.values(got.byKind)
      expect(byKind.reduce((s, k) => s + BigInt(k.total.value), 0n)).toBe(want.total)
      expect(byKind.reduce((s, k) => s + k.eventCount, 0)).toBe(want.count)
    }
  })

  it('answers per stream, and gives the live stream its running total', () => {
    seed()
    const analytics = service()
    const want = expected(null, 's1')
    const got = analytics.summary({ timeframe: 'all_time', streamId: 's1' })
    expect(got.streamId).toBe('s1')
    expect(got.total.value).toBe(want.total.toString())
    expect(got.eventCount).toBe(want.count)
    expect(got.uniqueSupporters).toBe(want.unique)
    const day = analytics.summary({ timeframe: 'last_24h', streamId: 's1' })
    expect(day.eventCount).toBe(expected(NOW - DAY_MS, 's1').count)
    expect(analytics.overview().live?.total.value).toBe(want.total.toString())
  })

  it('averages in exact minor units, rounding half up', () => {
    const repo = recorder()
    for (const [key, value] of [
      ['a', 100n],
      ['b', 101n],
    ] as const)
      repo.record({
        sourceKey: key,
        kind: 'tip',
        amountValue: value,
        assetCode: 'EUR',
        assetScale: 2,
        occurredAt: NOW - 10,
      })
    const got = service().summary({ timeframe: 'last_24h' })
    expect(got.average.value).toBe('101') // 100.5 -> 101
    expect(got.averageAmount).toBe(1.01)
    expect(got.totalAmount).toBe(2.01)
  })

  it('shows zeros, not errors, before the first event', () => {
    const got = service().summary({ timeframe: 'all_time' })
    expect(got).toMatchObject({
      totalAmount: 0,
      eventCount: 0,
      uniqueSupporters: 0,
      averageAmount: 0,
    })
    expect(service().series({ timeframe: 'last_24h' }).points).toHaveLength(25)
  })
})

describe('analytics series', () => {
  it('sums to the summary in every timeframe, hourly then daily', () => {
    seed()
    const analytics = service()
    for (const timeframe of TIMEFRAMES) {
      const series = analytics.series({ timeframe, tzOffsetMinutes: -60 })
      const summary = analytics.summary({ timeframe })
      // Hourly up to 48 hours, daily beyond.
      expect(series.bucket).toBe(timeframe === 'last_24h' ? 'hour' : 'day')
      const total = series.points.reduce((s, p) => s + BigInt(p.totalValue), 0n)
      const count = series.points.reduce((s, p) => s + p.eventCount, 0)
      expect(total.toString(), timeframe).toBe(summary.total.value)
      expect(count, timeframe).toBe(summary.eventCount)
      for (const kind of ['tip', 'web-monetization', 'redemption'] as const) {
        const kindTotal = series.points.reduce((s, p) => s + BigInt(p.values[kind]), 0n)
        expect(kindTotal.toString()).toBe(summary.byKind[kind].total.value)
      }
    }
    const day = analytics.series({ timeframe: 'last_24h' })
    expect(day.points).toHaveLength(24 + 1)
    expect(day.points[1]!.t - day.points[0]!.t).toBe(HOUR_MS)
    const week = analytics.series({ timeframe: 'last_7d', tzOffsetMinutes: -60 })
    expect(week.points.length).toBeGreaterThanOrEqual(7)
    expect(week.points.length).toBeLessThanOrEqual(8)
    expect(week.points[1]!.t - week.points[0]!.t).toBe(DAY_MS)
    // Daily buckets start at the streamer's midnight (UTC+1 here).
    const month = analytics.series({ timeframe: 'last_30d', tzOffsetMinutes: -60 })
    expect(new Date(month.points[0]!.t).getUTCHours()).toBe(23)
  })
})

describe('top supporters and events', () => {
  it('ranks supporters by total and finds events by name', () => {
    seed()
    const analytics = service()
    const top = analytics.topSupporters({ timeframe: 'all_time', limit: 3 })
    expect(top.supporters).toHaveLength(3)
    const totals = top.supporters.map((s) => BigInt(s.total.value))
    expect(totals[0]! >= totals[1]! && totals[1]! >= totals[2]!).toBe(true)
    const bySupporter = new Map<string, bigint>()
    for (const r of recorded)
      if (!r.isTest && r.assetCode === 'EUR') {
        const id = r.supporterKey ?? `name:${r.supporterName?.toLowerCase()}`
        bySupporter.set(id, (bySupporter.get(id) ?? 0n) + r.amountValue)
      }
    const direct = [...bySupporter.values()].reduce((max, t) => (t > max ? t : max), 0n)
    expect(totals[0]).toBe(direct)
    const month = analytics.topSupporters({ timeframe: 'last_30d', limit: 1 })
    expect(month.supporters[0]?.name).toMatch(/Viewer|Guest/)

    const found = analytics.events({ q: 'viewer 1', limit: 500 })
    expect(found.events.length).toBeGreaterThan(0)
    for (const event of found.events) {
      expect(event.type).toBe('support')
      if (event.type === 'support') expect(event.supporterName?.toLowerCase()).toContain('viewer 1')
    }
    const tips = analytics.events({ kind: 'redemption', streamId: 's1', limit: 5 })
    expect(tips.events).toHaveLength(5)
    expect(tips.nextBefore).not.toBeNull()
    const next = analytics.events({
      kind: 'redemption',
      streamId: 's1',
      limit: 5,
      before: tips.nextBefore!,
    })
    expect(next.events[0]!.id).toBeLessThan(tips.nextBefore!)
    expect(analytics.events({ q: '100%' }).events).toHaveLength(0)
  })

  it('lists platform events with the user they name, tolerating broken payloads', () => {
    const insert = db.prepare(
      'INSERT INTO platform_events (platform, event_id, type, payload, received_at) VALUES (?, ?, ?, ?, ?)',
    )
    insert.run(
      'owncast',
      'x1',
      'CHAT',
      JSON.stringify({
        type: 'CHAT',
        eventData: { user: { displayName: 'Ada' }, rawBody: '<b>hi</b>' },
      }),
      NOW - 5,
    )
    insert.run('osp', null, 'chat', '{"user": "Bo"b"}', NOW - 4)
    const list = service().events({ type: 'platform' })
    expect(list.events).toHaveLength(2)
    const ada = list.events.find((e) => e.type === 'platform' && e.platform === 'owncast')
    expect(ada).toMatchObject({ userName: 'Ada', summary: '<b>hi</b>', eventType: 'CHAT' })
    expect(service().events({ type: 'platform', q: 'Ada' }).events).toHaveLength(1)
  })
})
