/**
 * The subathon timer overlay in Chromium: it counts down by itself, gains time when a viewer tips with
 * the sandbox wallet, and is legible at its recommended browser-source size (800×200).
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import type { OverlayLinksResponse } from '../../server/contracts/overlays.js'
import type { TimerView } from '../../server/contracts/timer.js'
import { recordedTips } from './support/ledger.js'
import { launchServer, sandboxUrlOf, type LaunchedServer } from './support/server.js'

let server: LaunchedServer

test.beforeEach(async () => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
})
test.afterEach(async ({ context }) => {
  await context.close()
  await server.stop()
})

const sandboxUrl = () => sandboxUrlOf(server)
const tipEvents = () => recordedTips(server.dataDir)

function seconds(text: string): number {
  return text
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0)
}

async function timerSeconds(page: Page): Promise<number> {
  return seconds((await page.getByRole('timer').textContent()) ?? '')
}

async function tipFromSandbox(page: Page): Promise<void> {
  await page.goto(`${server.publicListenUrl}/tip`)
  const tiers = page.locator('.tier')
  await tiers.first().click()
  await page.locator('#wallet').fill(`${sandboxUrl()}/alice`)
  await page.getByRole('button', { name: 'Send tip' }).click()
  // The wallet opens once the viewer has seen what it will charge.
  const popupPromise = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await popup.waitForLoadState('domcontentloaded')
  await popup.getByRole('button', { name: 'Approve' }).click()
  await popup.waitForEvent('close', { timeout: 30_000 })
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'completed', {
    timeout: 30_000,
  })
}

async function startTimer(request: APIRequestContext, durationSeconds: number) {
  const response = await request.post(`${server.localUrl}/api/timer/start`, {
    headers: { origin: server.localUrl },
    data: { durationSeconds },
  })
  expect(response.status()).toBe(200)
  return (await response.json()) as TimerView
}

test('the timer overlay counts down, gains time on a sandbox tip, and is legible at 800×200', async ({
  context,
  page,
}) => {
  const request = context.request
  expect((await request.get(server.loginUrl, { maxRedirects: 0 })).status()).toBe(303)
  const links = (await (
    await request.get(`${server.localUrl}/api/overlays/links`)
  ).json()) as OverlayLinksResponse
  const link = links.overlays.find((overlay) => overlay.id === 'timer')
  expect(link).toMatchObject({ width: 800, height: 200 })

  await startTimer(request, 600)
  await page.setViewportSize({ width: link!.width, height: link!.height })
  await page.goto(link!.url)
  const timer = page.getByRole('timer')
  await expect(timer).toHaveText(/^(10:00|0\d:\d\d)$/)
  const first = await timerSeconds(page)
  await expect.poll(() => timerSeconds(page), { timeout: 5000 }).toBeLessThan(first)

  // Legible: big digits that fit the source, white on the dark panel.
  const style = await timer.evaluate(
    `(() => { const s = getComputedStyle(document.querySelector('.wm-timer-time')); return { size: parseFloat(s.fontSize), color: s.color } })()`,
  )
  expect((style as { size: number }).size).toBeGreaterThanOrEqual(48)
  expect((style as { color: string }).color).toBe('rgb(255, 255, 255)')
  const box = await timer.boundingBox()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.y).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(800)
  expect(box!.y + box!.height).toBeLessThanOrEqual(200)
  await page.screenshot({ path: 'test-results/e2e/timer-overlay.png' })

  // A viewer tips from the sandbox wallet: the timer gains 60 s per unit (the default rate)...
  const timerView = async () =>
    (await (await request.get(`${server.localUrl}/api/timer`)).json()) as TimerView
  const start = await timerView()
  const tipPage = await context.newPage()
  await tipFromSandbox(tipPage)
  // The overlay says "+m:ss" for a few seconds when the time arrives.
  await expect(page.locator('.wm-timer-added')).toBeVisible()
  await expect(page.locator('.wm-timer-added')).toHaveText(/^\+\d\d:\d\d$/)
  const [tip] = tipEvents()
  expect(tip?.event.amount.assetScale).toBe(2)
  const expectedMs = Number(tip!.event.amount.value) * 600
  await expect.poll(async () => (await timerView()).addedMs, { timeout: 10_000 }).toBe(expectedMs)
  const gained = await timerView()
  expect(Date.parse(gained.endsAt!) - Date.parse(start.endsAt!)).toBe(expectedMs)
  // ... and the overlay shows the server's remaining time to the second.
  const serverLeft = () => Math.ceil((Date.parse(gained.endsAt!) - Date.now()) / 1000)
  await expect
    .poll(async () => Math.abs((await timerSeconds(page)) - serverLeft()))
    .toBeLessThanOrEqual(1)
  await page.screenshot({ path: 'test-results/e2e/timer-overlay-gained.png' })
})
