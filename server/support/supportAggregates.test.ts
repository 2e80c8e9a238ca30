/**
 * The aggregates of supportAggregates.ts follow every write to support_events, corrections and
 * deletions made straight in SQL included, so they never drift from the events.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAnalyticsService, DAY_MS, HOUR_MS } from '../analytics/analyticsService.js'
import { createPlatformEventRepository } from '../analytics/platformEventRepository.js'
import type { SupportKind } from '../contracts/common.js'
import { createLeaderboardService } from '../gamification/leaderboardService.js'
import { openDatabase, type Db } from '../storage/db.js'
import { settingsFor } from '../testing/settings.js'
import { createSupportReadModels } from './readModels.js'
import { createSupporterIdentity } from './supporters.js'
import { createSupportEventRepository, type NewSupportEvent } from './supportRepository.js'

const EUR = { assetCode: 'EUR', assetScale: 2 }
// A fixed clock 20 minutes past an hour, so windows start mid-hour and the partial-hour path runs.
const NOW = Date.UTC(2026, 10, 23, 13, 20, 0)

let db: Db
afterEach(() => db?.close())

function open(streamStartedAt: number): Db {
  db = openDatabase(':memory:')
  db.prepare(
    "INSERT INTO streams (id, platform, title, started_at) VALUES ('s1', 'owncast', 'Friday stream', ?)",
  ).run(streamStartedAt)
  return db
}

function readModels() {
  const identity = createSupporterIdentity(db, settingsFor(db))
  return createSupportReadModels(db, identity)
}

describe('hourly rollups', () => {
  /** A deterministic spread of events over 40 days, as the analytics tests seed them. */
  function seed(count: number) {
    const repo = createSupportEventRepository(db)
    const kinds: SupportKind[] = ['tip', 'web-monetization', 'redemption']
    for (let i = 0; i < count; i += 1) {
      repo.record({
        sourceKey: `e${i}`,
        kind: kinds[i % 3]!,
        amountValue: BigInt(1 + ((i * 37) % 500)),
        ...EUR,
        supporterKey: i % 5 === 0 ? null : `wallet-${i % 23}`,
        supporterName: i % 5 === 0 ? `Guest ${i % 7}` : `Viewer ${i % 23}`,
        streamId: i % 4 === 0 ? 's1' : null,
        occurredAt: NOW - Math.floor((i * 40 * DAY_MS) / count) - 1,
      })
    }
  }

  /** Distinct supporters straight from the events, the slow and obvious way. */
  function uniqueSince(from: number | null): number {
    const rows = db
      .prepare(
        `SELECT supporter_key AS k, supporter_name AS n FROM support_events
         WHERE is_test = 0 AND asset_code = 'EUR' AND occurred_at >= ?`,
      )
      .all(from ?? -1e15) as { k: string | null; n: string | null }[]
    const ids = new Set(rows.map((r) => r.k ?? (r.n ? `name:${r.n.trim().toLowerCase()}` : null)))
    ids.delete(null)
    return ids.size
  }

  it('stay equal to a GROUP BY over the events after inserts, updates and deletes', () => {
    open(NOW - 2 * HOUR_MS)
    seed(300)
    db.prepare(
      "UPDATE support_events SET stream_id = 's1', amount_value = amount_value + 5 WHERE id % 7 = 0",
    ).run()
    db.prepare('UPDATE support_events SET is_test = 1 WHERE id % 11 = 0').run()
    db.prepare("UPDATE support_events SET supporter_key = 'wallet-moved' WHERE id % 13 = 0").run()
    db.prepare('DELETE FROM support_events WHERE id % 17 = 0').run()
    // Every event counts once for all streams ('*') and once for its own stream.
    const fromEvents = db
      .prepare(
        `SELECT asset_code, asset_scale, occurred_at - (occurred_at % 3600000) AS hour_start, kind,
           k AS stream_key, SUM(amount_value) AS total_value, COUNT(*) AS event_count
         FROM (SELECT *, '*' AS k FROM support_events
               UNION ALL SELECT *, stream_id AS k FROM support_events WHERE stream_id IS NOT NULL)
         WHERE is_test = 0 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      )
      .all()
    const rollups = db
      .prepare(
        `SELECT asset_code, asset_scale, hour_start, kind, stream_key, total_value, event_count
         FROM support_hourly ORDER BY 1, 2, 3, 4, 5`,
      )
      .all()
    expect(rollups.length).toBeGreaterThan(100)
    expect(rollups).toEqual(fromEvents)
    const totals = db
      .prepare(
        `SELECT asset_code, asset_scale, stream_key, kind, total_value, event_count FROM support_totals
         WHERE event_count > 0 ORDER BY 1, 2, 3, 4`,
      )
      .all()
    const totalsFromEvents = db
      .prepare(
        `SELECT asset_code, asset_scale, k AS stream_key, kind,
           SUM(amount_value) AS total_value, COUNT(*) AS event_count
         FROM (SELECT *, '*' AS k FROM support_events
               UNION ALL SELECT *, stream_id AS k FROM support_events WHERE stream_id IS NOT NULL)
         WHERE is_test = 0 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      )
      .all()
    expect(totals).toEqual(totalsFromEvents)
    const analytics = createAnalyticsService({
      ...readModels(),
      platformEvents: createPlatformEventRepository(db),
      streamerAsset: () => EUR,
      liveStreamId: () => 's1',
      now: () => NOW,
    })
    expect(analytics.summary({ timeframe: 'all_time' }).uniqueSupporters).toBe(uniqueSince(null))
    expect(analytics.summary({ timeframe: 'last_7d' }).uniqueSupporters).toBe(
      uniqueSince(NOW - 7 * DAY_MS),
    )
  })
})

describe('aggregates after a correction', () => {
  it('follow a deleted or changed support event (no drift)', () => {
    // Noon (UTC) of the real today: the migration starts its windows at the real date.
    const start = (Math.floor(Date.now() / DAY_MS) + 0.5) * DAY_MS
    open(start - 3_600_000)
    const repo = createSupportEventRepository(db)
    const support = readModels()
    let clock = start
    const service = createLeaderboardService({
      supporters: support.supporters,
      identity: support.identity,
      streamerAsset: () => EUR,
      liveStreamId: () => 's1',
      now: () => clock,
    })
    let n = 0
    const record = (supporterKey: string, cents: number, extra: Partial<NewSupportEvent>) =>
      repo.record({
        sourceKey: `e${(n += 1)}`,
        kind: 'tip',
        amountValue: BigInt(cents),
        ...EUR,
        supporterKey,
        occurredAt: clock,
        ...extra,
      })
    const label = (key: string) => support.identity.label(key)

    const first = record('wallet-a', 500, { supporterName: 'Ann', streamId: 's1' })
    clock += 1000
    const second = record('wallet-a', 300, { supporterName: 'Annie', streamId: 's1' })
    record('wallet-b', 600, { streamId: 's1' })
    const totals = (window: 'stream' | '7d' | 'all') =>
      service
        .top({ window, by: 'total' })
        .entries.map((entry) => [entry.displayName, entry.total.value])
    expect(totals('all')).toEqual([
      ['Annie', '800'],
      [label('wallet-b'), '600'],
    ])
    db.prepare('DELETE FROM support_events WHERE id = ?').run(second.event.id)
    for (const window of ['stream', '7d', 'all'] as const)
      expect(totals(window)).toEqual([
        [label('wallet-b'), '600'],
        ['Ann', '500'],
      ])
    // Marked as a test after the fact: it no longer counts anywhere.
    db.prepare('UPDATE support_events SET is_test = 1 WHERE id = ?').run(first.event.id)
    expect(totals('all')).toEqual([[label('wallet-b'), '600']])
    expect(totals('7d')).toEqual([[label('wallet-b'), '600']])
    const day = db
      .prepare("SELECT SUM(total_value) AS total FROM support_hourly WHERE stream_key = '*'")
      .get() as { total: number }
    expect(day.total).toBe(600)
  })
})
