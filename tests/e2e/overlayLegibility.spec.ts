import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import {
  MIN_TEXT_PX,
  OVERLAY_IDS,
  OVERLAY_REGISTRY,
  type OverlayId,
  type OverlayLinksResponse,
} from '../../server/contracts/overlays.js'
import { rawRequest, startTestServer, type TestServer } from '../../server/testing/harness.js'

/**
 * Every overlay, opened in Chromium at the one size the app recommends for it, shows text a viewer can
 * read: no rendered line under MIN_TEXT_PX (24 px of a 1080p canvas, about the smallest a phone viewer
 * of a 1080p stream can still read), nothing pushed out of the source, and text that keeps its size
 * when the source is shorter (it once followed the window's height: 11 px in a 1920×200 goal bar).
 *
 * The server runs in this process so the test can record real support in the ledger (the only way
 * the leaderboard, ticker and level-up have something to show without a live wallet).
 */

let server: TestServer
const shots = path.join('test-results', 'overlays')

test.beforeAll(async () => {
  server = await startTestServer()
  fs.mkdirSync(shots, { recursive: true })
  const admin = (method: string, url: string, body: unknown) =>
    rawRequest({
      method,
      url: server.local(url),
      headers: server.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    })
  // Alerts stay up until the next one, so they can be measured; the leaderboard ranks all time.
  expect((await admin('PATCH', '/api/alerts/settings', { durationMs: 0, gapMs: 0 })).status).toBe(
    200,
  )
  // The timer overlay shows only a running timer.
  expect((await admin('POST', '/api/timer/start', { durationSeconds: 3600 })).status).toBe(200)
  expect(
    (
      await admin('PATCH', '/api/overlays/display', {
        leaderboard: { title: 'Top supporters', window: 'all', size: 5 },
      })
    ).status,
  ).toBe(200)
})
test.beforeAll(async () => {
  const url = server.local('/api/overlays/settings/levelup')
  const current = (await rawRequest({ url, headers: server.adminHeaders() })).json<{
    style: Record<string, unknown>
  }>()
  const saved = await rawRequest({
    method: 'PUT',
    url,
    headers: server.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({ style: { ...current.style, sound: 'chime' }, css: '' }),
  })
  expect(saved.status).toBe(200)
})
test.afterAll(async () => {
  await server.close()
})

const names = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Alan Turing', 'Hedy Lamarr']

/** Real support in the ledger, as a completed tip records it (with its tier). */
function recordTips(): void {
  const { ledger, streamerAsset } = server.server.context
  const asset = streamerAsset()
  names.forEach((name, index) =>
    ledger.record(
      {
        sourceKey: `legibility:${Date.now()}:${index}`,
        kind: 'tip',
        amountValue: BigInt(500 + index * 700),
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
        supporterKey: `https://wallet.example/${index}`,
        supporterName: name,
        message: 'Great stream, thank you!',
      },
      { tip: { flowId: `flow-${index}`, tierName: 'Pizza Party', perk: 'Pick the next song' } },
    ),
  )
}

interface TextBox {
  text: string
  fontSize: number
  top: number
  bottom: number
  left: number
  right: number
}

/** Every visible element that paints text of its own, with its computed size and box. */
async function textBoxes(page: Page): Promise<TextBox[]> {
  return page.evaluate(() => {
    const boxes: TextBox[] = []
    for (const element of document.querySelectorAll<HTMLElement>('#wm-root *')) {
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim()
      if (!own || element.closest('[hidden]') || element.closest('[aria-hidden="true"]')) continue
      const rect = element.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0) continue
      boxes.push({
        text: own,
        fontSize: Number.parseFloat(getComputedStyle(element).fontSize),
        top: rect.top,
        bottom: rect.bottom,
        left: rect.left,
        right: rect.right,
      })
    }
    return boxes
  })
}

/** What each overlay shows once it has data. */
const shown: Record<OverlayId, string> = {
  alerts: '.wm-alert:not([hidden])',
  tiers: '.wm-tiers:not([hidden])',
  goal: '.wm-goal:not([hidden])',
  leaderboard: '.wm-leaderboard:not([hidden])',
  ticker: '.wm-ticker:not([hidden])',
  levelup: '.wm-levelup:not([hidden])',
  timer: '.wm-timer:not([hidden])',
}

async function openOverlays(browserPage: (id: OverlayId) => Promise<Page>) {
  const links = (
    await rawRequest({ url: server.local('/api/overlays/links'), headers: server.adminHeaders() })
  ).json<OverlayLinksResponse>()
  const pages = new Map<OverlayId, Page>()
  for (const id of OVERLAY_IDS) {
    const page = await browserPage(id)
    await page.goto(links.overlays.find((link) => link.id === id)!.url)
    await expect(page.locator('body')).toHaveAttribute('data-connection', 'open')
    pages.set(id, page)
  }
  // The level-up plays the sound chosen in its settings (beforeAll), asked from the app.
  const levelUpSound = pages
    .get('levelup')!
    .waitForRequest((request) => request.url().includes('/overlay/static/sounds/chime.wav'))
  // The alert box, ticker, leaderboard and level-up show what support arrives while they are open.
  recordTips()
  // (Chromium streams media, so the request is what is seen, not a settled response.)
  await levelUpSound
  for (const [id, page] of pages) await expect(page.locator(shown[id])).toBeVisible()
  return pages
}

test('every overlay is legible at its recommended size, and its text does not shrink with the height', async ({
  browser,
}) => {
  const context = await browser.newContext()
  // Chromium holds at most 6 connections per host in one profile, and each overlay keeps its event
  // stream open: the seventh overlay gets a profile of its own.
  const second = await browser.newContext()
  const pages = await openOverlays(async (id) => {
    const page = await (id === 'timer' ? second : context).newPage()
    await page.setViewportSize({
      width: OVERLAY_REGISTRY[id].width,
      height: OVERLAY_REGISTRY[id].height,
    })
    return page
  })
  const report: string[] = []
  for (const [id, page] of pages) {
    const { width, height } = OVERLAY_REGISTRY[id]
    // Let entrance animations end before measuring and taking the picture.
    await page.waitForTimeout(1000)
    await page.screenshot({ path: path.join(shots, `${id}-${width}x${height}.png`) })
    const boxes = await textBoxes(page)
    expect(boxes.length, id).toBeGreaterThan(0)
    const smallest = Math.min(...boxes.map((box) => box.fontSize))
    report.push(`${id} ${width}×${height}: smallest text ${smallest}px (${boxes.length} texts)`)
    for (const box of boxes) {
      expect(box.fontSize, `${id}: "${box.text}"`).toBeGreaterThanOrEqual(MIN_TEXT_PX)
      // Nothing is pushed out of the source (the ticker's line scrolls sideways on purpose).
      expect(box.top, `${id}: "${box.text}" top`).toBeGreaterThanOrEqual(0)
      expect(box.bottom, `${id}: "${box.text}" bottom`).toBeLessThanOrEqual(height)
      if (id !== 'ticker')
        expect(box.right, `${id}: "${box.text}" right`).toBeLessThanOrEqual(width)
    }
    if (id === 'alerts') {
      // The alert names the tier the viewer chose, and its text carries an outline (zero-blur
      // shadows all round) so white text stays readable on a bright scene.
      await expect(page.locator('.wm-alert-tier')).toHaveText('Pizza Party')
      const shadow = await page
        .locator('.wm-alert-headline')
        .evaluate((element) => getComputedStyle(element).textShadow)
      const outline = shadow.split(/,(?![^(]*\))/).filter((layer) => / 0px$/.test(layer.trim()))
      expect(outline.length, shadow).toBeGreaterThanOrEqual(8)
    }
    if (id === 'tiers') {
      // The list is as wide as its lines, not stretched edge to edge of the source.
      const panel = await page.locator('.wm-tiers').boundingBox()
      expect(panel!.width).toBeLessThan(width * 0.8)
    }

    // A shorter source (same width, half the height): the text keeps its size.
    await page.setViewportSize({ width, height: Math.round(height / 2) })
    const shorter = await textBoxes(page)
    expect(Math.min(...shorter.map((box) => box.fontSize)), id).toBe(smallest)
  }
  console.log(report.join('\n'))
  await context.close()
  await second.close()
})
