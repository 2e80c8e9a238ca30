/**
 * Leaderboards and gifter progress over 1,000,000 verified support events from 50,000 supporters
 * (target: p95 < 20 ms each). The events go into a temp SQLite file in one transaction with the
 * aggregate triggers off; the aggregates are then built set-wise (what an upgrade does,
 * server/support/supportAggregates.ts), and from then on the triggers keep them, which the last figure
 * times per insert. Queries go through the real services (labels included).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createEventBus } from '../server/events/bus.js'
import { createGifterRepository } from '../server/gamification/gifterRepository.js'
import { createGifterService } from '../server/gamification/gifterService.js'
import {
  createLeaderboardService,
  DAY_MS,
  type LeaderboardQuery,
} from '../server/gamification/leaderboardService.js'
import { openDatabase } from '../server/storage/db.js'
import { withAggregatesRebuilt } from '../server/support/supportAggregates.js'
import { createSupporterRepository } from '../server/support/supporterRepository.js'
import { createSupporterIdentity } from '../server/support/supporters.js'
import {
  createSupportEventRepository,
  type NewSupportEvent,
} from '../server/support/supportRepository.js'
import { settingsFor } from '../server/testing/settings.js'
import { percentile, round } from './stats.js'
import type { BenchResult } from './types.js'

const EVENTS = Number(process.env.WM_BENCH_EVENTS ?? 1_000_000)
const SUPPORTERS = Number(process.env.WM_BENCH_SUPPORTERS ?? 50_000)
const STREAMS = 300
const RUNS = 300
const TARGET = '< 20 ms'
const EUR = { assetCode: 'EUR', assetScale: 2 }

const ms = (value: number) => round(value, 3)

/** A small deterministic PRNG, so every run measures the same data. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function measure(fn: () => unknown): { p50: number; p95: number } {
  for (let i = 0; i < 20; i += 1) fn() // warm the statement cache and the page cache
  const samples: number[] = []
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return { p50: ms(percentile(samples, 50)), p95: ms(percentile(samples, 95)) }
}

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-gamification-'))
  const file = path.join(dir, 'bench.sqlite')
  const db = openDatabase(file)
  // A throwaway file: a big page cache keeps the million random index inserts off the disk.
  db.pragma('cache_size = -400000')
  db.pragma('temp_store = MEMORY')
  db.pragma('synchronous = OFF')
  try {
    const now = Date.now()
    const random = mulberry32(42)
    const events = createSupportEventRepository(db)
    const insertStream = db.prepare(
      'INSERT INTO streams (id, platform, started_at) VALUES (?, ?, ?)',
    )
    const amounts = [50, 100, 200, 300, 500, 750, 1000, 2000]
    function* generated(): Generator<NewSupportEvent> {
      for (let i = 0; i < EVENTS; i += 1) {
        // Skewed: a few supporters give often, most give a few times.
        const supporter = Math.floor(SUPPORTERS * random() ** 2)
        // Spread over a year, with more support recently.
        const age = Math.floor(365 * DAY_MS * random() ** 1.5)
        const stream = Math.min(
          STREAMS - 1,
          Math.max(0, STREAMS - 1 - Math.floor(age / (1.2 * DAY_MS))),
        )
        yield {
          sourceKey: `bench:${i}`,
          kind: 'tip',
          amountValue: BigInt(amounts[Math.floor(random() * amounts.length)]!),
          ...EUR,
          supporterKey: `https://wallet.example/supporter-${supporter}`,
          supporterName: supporter % 3 === 0 ? `Supporter ${supporter}` : null,
          streamId: `stream-${stream}`,
          occurredAt: now - age,
        }
      }
    }
    const generateStart = performance.now()
    let generateMs = 0
    withAggregatesRebuilt(db, () => {
      db.transaction(() => {
        // One stream every ~1.2 days over a year; the newest one is live.
        for (let s = 0; s < STREAMS; s += 1)
          insertStream.run(`stream-${s}`, 'owncast', now - (STREAMS - s) * 1.2 * DAY_MS)
      })()
      events.importEvents(generated())
      generateMs = performance.now() - generateStart
    })
    const rebuildMs = performance.now() - generateStart - generateMs

    let clock = now
    const settings = settingsFor(db)
    const identity = createSupporterIdentity(db, settings)
    const supporters = createSupporterRepository(db)
    const leaderboards = createLeaderboardService({
      supporters,
      identity,
      streamerAsset: () => EUR,
      liveStreamId: () => `stream-${STREAMS - 1}`,
      now: () => clock,
    })
    const gifter = createGifterService({
      settings,
      bus: createEventBus(),
      identity,
      supporters,
      events,
      levels: createGifterRepository(db),
      streamerAsset: () => EUR,
    })
    gifter.configure({
      levelCount: 50,
      baseThreshold: '5',
      growthFactor: '1.25',
      naming: 'fantasy',
      icons: 'badges',
      colors: 'vibrant',
    })

    const results: BenchResult[] = []
    const queries: LeaderboardQuery[] = []
    for (const window of ['stream', '7d', '30d', 'all'] as const)
      for (const by of ['total', 'count'] as const) queries.push({ window, by, limit: 10 })
    for (const query of queries) {
      const { p50, p95 } = measure(() => leaderboards.top(query))
      results.push({
        name: `gamification: leaderboard ${query.window} by ${query.by} (top 10), p95`,
        value: p95,
        unit: 'ms',
        target: TARGET,
        note: `p50 ${p50} ms; ${EVENTS.toLocaleString('en')} events, ${SUPPORTERS.toLocaleString('en')} supporters`,
      })
    }

    const pick = mulberry32(7)
    const progress = measure(() =>
      gifter.progressForKey(`https://wallet.example/supporter-${Math.floor(pick() * SUPPORTERS)}`),
    )
    results.push({
      name: 'gamification: gifter progress of one supporter (50 levels), p95',
      value: progress.p95,
      unit: 'ms',
      target: TARGET,
      note: `p50 ${progress.p50} ms; random supporters`,
    })

    // Midnight: the 7- and 30-day windows drop the day that left them (once per day, first query).
    clock += DAY_MS
    const rollStart = performance.now()
    leaderboards.rollWindows()
    results.push({
      name: 'gamification: sliding windows rolled at day change',
      value: ms(performance.now() - rollStart),
      unit: 'ms',
      note: 'once a day, by a timer just after UTC midnight (not on a request)',
    })
    // One more event at a time through the triggers, on top of the million (autocommit, as the app does).
    const triggerSamples: number[] = []
    for (let i = 0; i < 2_000; i += 1) {
      const supporter = Math.floor(pick() * SUPPORTERS)
      const event: NewSupportEvent = {
        sourceKey: `bench:extra:${i}`,
        kind: 'tip',
        amountValue: 500n,
        ...EUR,
        supporterKey: `https://wallet.example/supporter-${supporter}`,
        streamId: `stream-${STREAMS - 1}`,
        occurredAt: clock,
      }
      const start = performance.now()
      events.record(event)
      triggerSamples.push(performance.now() - start)
    }
    results.push({
      name: 'gamification: one support event insert with aggregate triggers, p95',
      value: ms(percentile(triggerSamples, 95)),
      unit: 'ms',
      note: `p50 ${ms(percentile(triggerSamples, 50))} ms; autocommit, WAL`,
    })
    results.push({
      name: 'gamification: data set generation (events, one transaction)',
      value: Math.round(generateMs),
      unit: 'ms',
      note: `${EVENTS.toLocaleString('en')} events; building the aggregates then took ${Math.round(rebuildMs)} ms`,
    })
    return results
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// Run directly: node --import tsx bench/gamification.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await run()) console.log(result)
}
