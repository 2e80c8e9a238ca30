/**
 * Dashboard figures: analytics over 1,000,000 support events (every timeframe's summary and the 30-day
 * series, p95 of repeated calls, target < 20 ms) and the initial dashboard JavaScript, gzipped (target
 * < 250 KB). The events go in through the support ledger's repository; the bulk load builds the
 * aggregates in one pass afterwards (server/support/supportAggregates.ts), and the insert figure times
 * single events with the aggregate triggers on.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import zlib from 'node:zlib'
import { createAnalyticsService } from '../server/analytics/analyticsService.js'
import { createPlatformEventRepository } from '../server/analytics/platformEventRepository.js'
import { findAppRoot } from '../server/app/appRoot.js'
import { TIMEFRAMES } from '../server/contracts/analytics.js'
import { openDatabase } from '../server/storage/db.js'
import { createSupportReadModels } from '../server/support/readModels.js'
import { withAggregatesRebuilt } from '../server/support/supportAggregates.js'
import { createSupporterIdentity } from '../server/support/supporters.js'
import {
  createSupportEventRepository,
  type NewSupportEvent,
} from '../server/support/supportRepository.js'
import { settingsFor } from '../server/testing/settings.js'
import { percentile, round } from './stats.js'
import type { BenchResult } from './types.js'

const EVENTS = Number(process.env.WM_BENCH_EVENTS ?? 1_000_000)
const LABEL = EVENTS >= 1_000_000 ? `${EVENTS / 1_000_000}M` : `${EVENTS / 1000}k`
const DAYS = 365
const RUNS = 60
const KINDS = ['tip', 'web-monetization', 'redemption'] as const

function seed(file: string, now: number): { seconds: number } {
  const db = openDatabase(file)
  // A bulk load: durability does not matter here, and the default 2 MB page cache thrashes on the
  // seven indexes of 1M rows. The measured queries run on a normally opened connection.
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  const started = performance.now()
  try {
    const stream = db.prepare(
      "INSERT INTO streams (id, platform, title, started_at, ended_at) VALUES (?, 'owncast', ?, ?, ?)",
    )
    const streamCount = 200
    const streamLength = 3 * 3_600_000
    const streamStart = (i: number) => now - Math.floor(((i + 1) * DAYS * 86_400_000) / streamCount)
    db.transaction(() => {
      for (let i = 0; i < streamCount; i += 1)
        stream.run(`s${i}`, `Stream ${i}`, streamStart(i), streamStart(i) + streamLength)
    })()
    const events = createSupportEventRepository(db)
    function* batch(from: number, to: number): Generator<NewSupportEvent> {
      for (let i = from; i < to; i += 1) {
        const occurredAt = now - Math.floor((i * DAYS * 86_400_000) / EVENTS) - 1
        const supporter = (i * 7919) % 20_000
        const streamIndex = Math.floor((i * 200) / EVENTS)
        yield {
          sourceKey: `bench:${i}`,
          kind: KINDS[i % 3]!,
          amountValue: BigInt(1 + ((i * 37) % 2000)),
          assetCode: 'EUR',
          assetScale: 2,
          supporterKey: `wallet-${supporter}`,
          supporterName: `Viewer ${supporter}`,
          streamId: i % 4 === 0 ? `s${streamIndex}` : null,
          isTest: i % 50 === 0,
          occurredAt,
        }
      }
    }
    // Bulk load with the aggregate triggers off, then the aggregates in one pass (the same rows the
    // triggers produce: server/support/supportAggregates.test.ts checks that).
    withAggregatesRebuilt(db, () => {
      for (let from = 0; from < EVENTS; from += 50_000)
        events.importEvents(batch(from, Math.min(EVENTS, from + 50_000)))
    })
  } finally {
    db.close()
  }
  return { seconds: (performance.now() - started) / 1000 }
}

function time(fn: () => unknown): number[] {
  for (let i = 0; i < 5; i += 1) fn() // warm the page cache and the statements
  const samples: number[] = []
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now()
    fn()
    samples.push(performance.now() - started)
  }
  return samples
}

/** One recorded support event, aggregate triggers included, on the full database (autocommit). */
function insertCost(db: ReturnType<typeof openDatabase>, now: number): BenchResult {
  const events = createSupportEventRepository(db)
  const samples: number[] = []
  for (let i = 0; i < 500; i += 1) {
    const event: NewSupportEvent = {
      sourceKey: `bench:new:${i}`,
      kind: 'tip',
      amountValue: 250n,
      assetCode: 'EUR',
      assetScale: 2,
      supporterKey: `wallet-${i % 300}`,
      supporterName: `Viewer ${i % 300}`,
      occurredAt: now - i,
    }
    const started = performance.now()
    events.record(event)
    samples.push(performance.now() - started)
  }
  return {
    name: `support event insert with rollup triggers (${LABEL}-row db) p95`,
    value: round(percentile(samples, 95), 2),
    unit: 'ms',
    note: `median ${round(percentile(samples, 50), 3)} ms; each insert is its own transaction`,
  }
}

/** The JS the browser loads before the first paint: entry script plus its modulepreloads. */
function initialJs(): BenchResult {
  const dir = path.join(findAppRoot(), 'dist', 'renderer')
  const indexFile = path.join(dir, 'index.html')
  if (!fs.existsSync(indexFile))
    return {
      name: 'dashboard initial JS (gzip)',
      value: Number.NaN,
      unit: 'KB',
      target: '< 250 KB',
      note: 'dist/renderer missing: run `npx vite build` first',
    }
  const html = fs.readFileSync(indexFile, 'utf8')
  const files = new Set<string>()
  for (const match of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) files.add(match[1]!)
  for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g))
    files.add(match[1]!)
  let gzipped = 0
  for (const file of files)
    gzipped += zlib.gzipSync(fs.readFileSync(path.join(dir, file.replace(/^\//, '')))).length
  const lazy = fs
    .readdirSync(path.join(dir, 'assets'))
    .filter((file) => file.endsWith('.js') && ![...files].some((f) => f.endsWith(file)))
  return {
    name: 'dashboard initial JS (gzip)',
    value: round(gzipped / 1024),
    unit: 'KB',
    target: '< 250 KB',
    note: `${files.size} file(s); charts load on demand (${lazy.length} lazy chunk(s))`,
  }
}

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-dashboard-'))
  const file = path.join(dir, 'bench.sqlite')
  const now = Date.now()
  try {
    const { seconds } = seed(file, now)
    const db = openDatabase(file)
    try {
      const support = createSupportReadModels(db, createSupporterIdentity(db, settingsFor(db)))
      const analytics = createAnalyticsService({
        ...support,
        platformEvents: createPlatformEventRepository(db),
        streamerAsset: () => ({ assetCode: 'EUR', assetScale: 2 }),
        liveStreamId: () => 's0',
        now: () => now,
      })
      const results: BenchResult[] = [
        {
          name: `analytics seed: ${LABEL} support events (bulk load, then rollups built)`,
          value: round(seconds, 1),
          unit: 's',
        },
      ]
      for (const timeframe of TIMEFRAMES) {
        const samples = time(() => analytics.summary({ timeframe }))
        results.push({
          name: `analytics summary ${timeframe} (${LABEL} events) p95`,
          value: round(percentile(samples, 95), 2),
          unit: 'ms',
          target: '< 20 ms',
          note: `median ${round(percentile(samples, 50), 2)} ms over ${RUNS} runs`,
        })
      }
      const stream = time(() => analytics.summary({ timeframe: 'all_time', streamId: 's0' }))
      results.push({
        name: `analytics summary per stream (${LABEL} events) p95`,
        value: round(percentile(stream, 95), 2),
        unit: 'ms',
        target: '< 20 ms',
        note: `median ${round(percentile(stream, 50), 2)} ms; ${RUNS} runs`,
      })
      const series = time(() => analytics.series({ timeframe: 'last_30d' }))
      results.push({
        name: `analytics 30-day series (${LABEL} events) p95`,
        value: round(percentile(series, 95), 2),
        unit: 'ms',
        target: '< 20 ms',
        note: `median ${round(percentile(series, 50), 2)} ms over ${RUNS} runs`,
      })
      const week = time(() => analytics.series({ timeframe: 'last_7d' }))
      results.push({
        name: `analytics 7-day hourly series (${LABEL} events) p95`,
        value: round(percentile(week, 95), 2),
        unit: 'ms',
        note: `median ${round(percentile(week, 50), 2)} ms over ${RUNS} runs`,
      })
      results.push(insertCost(db, now))
      results.push(initialJs())
      return results
    } finally {
      db.close()
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('dashboard.ts')) {
  for (const result of await run()) console.log(JSON.stringify(result))
}
