/**
 * Alert latency (issue 6): from the bus event ('alert.test', as the ledger's 'support.recorded'
 * takes the same path) to the alert in the overlay page's DOM, in Chromium, over 200 alerts, with one
 * alert page and with 20 connected. Duration and gap are 0 (test mode): each alert is sent once the
 * previous one was confirmed on screen, so the figures are the pipeline, not the queue's pacing.
 * Timestamps: the server's and the page's `performance.timeOrigin + performance.now()`, same machine.
 */
import os from 'node:os'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { OverlayLinksResponse } from '../server/contracts/overlays.js'
import { rawRequest, startTestServer, type TestServer } from '../server/testing/harness.js'
import { chromiumArgs, chromiumPath } from '../tests/e2e/support/chromium.js'
import { percentile, round } from './stats.js'
import type { BenchResult } from './types.js'

const ALERTS = 200
const WARMUP = 10
const TIME_BUDGET_MS = 120_000
const SETTLE_MS = 100

/** In-page code as a string: this file is type-checked without the DOM library. */
const RECORD_ARRIVALS = `
  const arrivals = {}
  window.__arrivals = arrivals
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now()
    for (const record of records) {
      const value = record.target.getAttribute('data-alert-id')
      if (value && arrivals[value] === undefined) arrivals[value] = at
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-alert-id'] })
`

async function openAlertPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await page.addInitScript({ content: RECORD_ARRIVALS })
  await page.goto(url)
  await page.waitForSelector('body[data-connection="open"]')
  return page
}

async function measure(test: TestServer, pages: Page[], count: number): Promise<number[]> {
  const { context } = test.server
  const asset = context.streamerAsset()
  const latencies: number[] = []
  const deadline = Date.now() + TIME_BUDGET_MS
  for (let i = 0; i < count && Date.now() < deadline; i += 1) {
    const { event } = context.ledger.record({
      sourceKey: `bench:${process.pid}:${Date.now()}:${i}:${Math.random()}`,
      kind: 'tip',
      amountValue: 500n,
      assetCode: asset.assetCode,
      assetScale: asset.assetScale,
      supporterName: `Bench ${i}`,
      message: 'bench',
      isTest: true,
    })
    // The next alert goes out once one page confirmed this one (the queue waits for that). Told by the
    // bus, not by polling the database, which would take CPU from the pages being timed.
    const shown = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`alert for event ${event.id} never shown`)),
        10_000,
      )
      const unsubscribe = context.bus.on('alert.updated', (view) => {
        if (view.supportEventId !== event.id || view.state !== 'shown') return
        clearTimeout(timer)
        unsubscribe()
        resolve(view.id)
      })
    })
    const sentAt = performance.timeOrigin + performance.now()
    context.bus.emit('alert.test', event)
    const alertId = await shown
    // Alerts come seconds apart on a stream: let the pages finish this one (paint, sound, confirmation)
    // so each figure is one alert's latency, not a backlog's.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    // Each page's MutationObserver stamped the arrival when it happened; read the stamps afterwards
    // rather than polling 20 pages every few milliseconds, which would load the very CPUs measured.
    for (const page of pages) {
      const arrivedAt = await page
        .waitForFunction(
          (id) => (globalThis as unknown as { __arrivals: Record<string, number> }).__arrivals[id],
          String(alertId),
          { timeout: 10_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>)
      latencies.push(arrivedAt - sentAt)
    }
  }
  return latencies
}

function summarize(label: string, latencies: number[], note: string): BenchResult[] {
  return [
    {
      name: `overlay alert latency p50 (${label})`,
      value: round(percentile(latencies, 50), 2),
      unit: 'ms',
      note,
    },
    {
      name: `overlay alert latency p95 (${label})`,
      value: round(percentile(latencies, 95), 2),
      unit: 'ms',
      target: '< 50 ms',
      note,
    },
  ]
}

export async function run(): Promise<BenchResult[]> {
  const test = await startTestServer()
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Sounds play without a click, as in OBS.
    args: [...chromiumArgs, '--autoplay-policy=no-user-gesture-required'],
  })
  try {
    const settings = await rawRequest({
      method: 'PATCH',
      url: test.local('/api/alerts/settings'),
      headers: test.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ durationMs: 0, gapMs: 0 }),
    })
    if (settings.status !== 200) throw new Error(`settings: ${settings.status} ${settings.body}`)
    const links = await rawRequest({
      url: test.local('/api/overlays/links'),
      headers: test.adminHeaders(),
    })
    const url = links.json<OverlayLinksResponse>().overlays.find((link) => link.id === 'alerts')
      ?.url as string

    const first = await openAlertPage(browser, url)
    await measure(test, [first], WARMUP)
    const alone = await measure(test, [first], ALERTS)

    const pages = [first]
    while (pages.length < 20) pages.push(await openAlertPage(browser, url))
    await measure(test, pages, WARMUP)
    const crowded = await measure(test, pages, ALERTS)
    // 20 renderer processes share the machine's cores: the load around the run matters.
    const load = `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`
    return [
      ...summarize('1 page', alone, `${alone.length} alerts, Chromium, loopback; ${load}`),
      ...summarize(
        '20 pages',
        crowded,
        `${crowded.length / 20} alerts × 20 alert pages (every page's arrival counted); ${load}`,
      ),
    ]
  } finally {
    await browser.close()
    await test.close()
  }
}

// `node --import tsx bench/overlays.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (results) => {
      for (const result of results)
        process.stdout.write(
          `${result.name}: ${result.value} ${result.unit}${result.target ? ` (target ${result.target})` : ''}${result.note ? ` — ${result.note}` : ''}\n`,
        )
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`)
      process.exit(1)
    },
  )
}
