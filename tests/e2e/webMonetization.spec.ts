/**
 * Web Monetization in real Chromium: a page serves the Owncast snippet from its own origin (as Owncast
 * serves custom JavaScript) next to the sandbox agent, which streams real play money for 30 s. The
 * app's recorded total must equal what the sandbox streamer wallet received, to the minor unit, within
 * 15 s after the page closes, across a restart of the app mid-stream, with the tab hidden for a while,
 * and with forged reports thrown in.
 */
import http from 'node:http'
import net from 'node:net'
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test'
import type { OverlayLinksResponse } from '../../server/contracts/overlays.js'
import type { AlertQueueResponse } from '../../server/contracts/alerts.js'
import type { WebMonetizationResponse } from '../../server/contracts/webMonetization.js'
import { launchServer, type LaunchedServer } from './support/server.js'

let server: LaunchedServer
let pageServer: http.Server | undefined
const STREAM_MS = 30_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

test.afterEach(async () => {
  await server?.stop()
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()))
  pageServer = undefined
})

async function signIn(context: BrowserContext): Promise<APIRequestContext> {
  const response = await context.request.get(server.loginUrl, { maxRedirects: 0 })
  expect(response.status()).toBe(303)
  return context.request
}

/** A page like Owncast's: its custom JavaScript from its own origin, a chat user, the agent. */
function startOwncastLikePage(snippet: string, agentUrl: string): Promise<string> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Owncast</title>
<script src="/customjavascript"></script>
<script src="${agentUrl}"></script>
<script src="/page.js"></script>
</head><body><header><button id="user-menu"><span class="UserDropdown_username__x1">Ann</span></button></header>
<p id="events">0</p></body></html>`
  const pageJs = `localStorage.setItem('accessToken', 'chat-token-ann');
window.__wmEvents = [];
document.addEventListener('monetization', function (event) {
  window.__wmEvents.push({ value: event.amountSent.value, at: Date.now(), target: event.target.tagName, incomingPayment: event.incomingPayment });
  document.getElementById('events').textContent = String(window.__wmEvents.length);
});`
  pageServer = http.createServer((request, response) => {
    const send = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
      response.end(body)
    }
    if (request.url === '/customjavascript') return send('text/javascript', snippet)
    if (request.url === '/page.js') return send('text/javascript', pageJs)
    return send('text/html', html)
  })
  return new Promise((resolve) => {
    pageServer?.listen(0, '127.0.0.1', () => {
      const { port } = pageServer?.address() as net.AddressInfo
      resolve(`http://127.0.0.1:${port}`)
    })
  })
}

interface SeenEvent {
  incomingPayment: string
  value: string
  at: number
  target: string
}
/** The `monetization` events the page saw (page.js collects them). */
type PageWindow = Window & { __wmEvents: SeenEvent[] }

async function streamerBalance(request: APIRequestContext, sandboxUrl: string): Promise<bigint> {
  const wallets = (await (await request.get(`${sandboxUrl}/`)).json()) as {
    id: string
    balance: { value: string }
  }[]
  return BigInt(wallets.find((wallet) => wallet.id === 'streamer')?.balance.value ?? '0')
}

async function recorded(request: APIRequestContext): Promise<bigint> {
  const wm = (await (
    await request.get(`${server.localUrl}/api/web-monetization`)
  ).json()) as WebMonetizationResponse
  return BigInt(wm.live.total.value)
}

test('streams from an Owncast-like page: recorded equals received, restart-safe, hidden pauses, forgeries add 0', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  const ports = {
    WM_SANDBOX: '1',
    WM_SANDBOX_PORT: String(await freePort()),
    WM_PUBLIC_PORT: String(await freePort()),
    WM_LOCAL_PORT: String(await freePort()),
  }
  server = await launchServer(ports)
  const sandboxUrl = `http://127.0.0.1:${ports.WM_SANDBOX_PORT}`
  const context = await browser.newContext()
  let admin = await signIn(context)
  const before = await streamerBalance(admin, sandboxUrl)
  const info = (await (
    await admin.get(`${server.localUrl}/api/web-monetization`)
  ).json()) as WebMonetizationResponse
  expect(info.available).toBe(true)

  const pageOrigin = await startOwncastLikePage(
    info.owncastSnippet,
    `${sandboxUrl}/wm-agent.js?wallet=alice&rate=600`,
  )
  const saved = await admin.put(`${server.localUrl}/api/web-monetization/settings`, {
    headers: { origin: server.localUrl },
    data: { ...info.settings, reportOrigins: [pageOrigin], supporterStep: '0.50' },
  })
  expect(saved.status()).toBe(200)

  const page = await context.newPage()
  await page.goto(pageOrigin)
  // The snippet added the link; the agent found it and pays every 2 s.
  await expect(page.locator('link[rel="monetization"]')).toHaveAttribute(
    'href',
    info.walletAddress!,
  )
  await expect
    .poll(() => page.evaluate(() => (window as unknown as PageWindow).__wmEvents.length), {
      timeout: 20_000,
    })
    .toBeGreaterThan(0)
  const startedAt = Date.now()
  const firstEvent = await page.evaluate(() => (window as unknown as PageWindow).__wmEvents[0])
  expect(firstEvent).toMatchObject({ value: '0.19', target: 'LINK' })

  // Hidden for 6 s: no payment while hidden (the agent pauses as the extension does).
  await page.waitForTimeout(4_000)
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  const hiddenAt = Date.now()
  await page.waitForTimeout(6_000)
  const duringHidden = await page.evaluate(
    (since) =>
      (window as unknown as PageWindow).__wmEvents.filter((e: SeenEvent) => e.at > since + 2_100)
        .length,
    hiddenAt,
  )
  expect(duringHidden).toBe(0)
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false })
    document.dispatchEvent(new Event('visibilitychange'))
  })

  // The app restarts mid-stream; the page keeps streaming (its reports fail meanwhile).
  await server.stop()
  await page.waitForTimeout(3_000)
  server = await launchServer(ports, server.dataDir)
  admin = await signIn(context)

  // The sandbox restarted with the app: the agent opens a new session and streams on.
  const restartedAt = Date.now()
  const left = Math.max(STREAM_MS - (restartedAt - startedAt), 12_000)
  await page.waitForTimeout(left)
  const afterRestart = await page.evaluate(
    (since) => (window as unknown as PageWindow).__wmEvents.filter((e) => e.at > since).length,
    restartedAt,
  )
  expect(afterRestart).toBeGreaterThan(0)
  const seen = await page.evaluate(() => (window as unknown as PageWindow).__wmEvents)
  const events = seen.length
  expect(events).toBeGreaterThanOrEqual(3)
  await page.close()

  // Forged reports: inflated, another wallet's incoming payment, off the resource server, replay, flood, malformed.
  const report = (data: unknown) =>
    admin.post(`${server.publicListenUrl}/api/wm/reports`, {
      headers: { 'content-type': 'application/json' },
      data: typeof data === 'string' ? data : JSON.stringify(data),
    })
  const carol = (await (
    await admin.post(`${sandboxUrl}/wm-agent/sessions`, {
      data: { wallet: 'bob', receiver: `${sandboxUrl}/carol` },
    })
  ).json()) as { id: string; incomingPayment: string }
  await admin.post(`${sandboxUrl}/wm-agent/sessions/${carol.id}/payments`, {
    data: { amount: '100' },
  })
  const base = {
    amountSent: { value: '999.00', currency: 'EUR' },
    paymentPointer: info.walletAddress,
  }
  expect((await report({ ...base, incomingPayment: carol.incomingPayment })).status()).toBe(202)
  expect(
    (
      await report({ ...base, incomingPayment: 'http://203.0.113.7/incoming-payments/abc' })
    ).status(),
  ).toBe(422)
  expect((await report('{"incomingPayment":')).status()).toBe(400)
  const flood = await Promise.all(
    Array.from({ length: 40 }, () => report({ ...base, incomingPayment: carol.incomingPayment })),
  )
  expect(flood.every((response) => response.status() < 500)).toBe(true)

  // Within 15 s after the page closed, recorded == received, to the minor unit.
  const received = async () => (await streamerBalance(admin, sandboxUrl)) - before
  await expect
    .poll(async () => (await recorded(admin)) === (await received()) && (await received()) > 0n, {
      timeout: 15_000,
      intervals: [500],
    })
    .toBe(true)
  const total = await received()
  // Replaying every real report after the fact adds nothing either.
  for (const event of seen) {
    await report({
      incomingPayment: event.incomingPayment,
      amountSent: { value: event.value, currency: 'EUR' },
      paymentPointer: info.walletAddress,
    })
  }
  await new Promise((resolve) => setTimeout(resolve, 7_000))
  expect(await recorded(admin)).toBe(total)

  // The alert (streaming supporter Ann) and the overlay counter show it.
  const queue = (await (
    await admin.get(`${server.localUrl}/api/alerts/queue`)
  ).json()) as AlertQueueResponse
  const wmAlerts = [
    ...queue.queued,
    ...queue.recent,
    ...(queue.current ? [queue.current] : []),
  ].filter((alert) => alert.source === 'web-monetization')
  expect(wmAlerts.length).toBeGreaterThan(0)
  expect(wmAlerts.length).toBeLessThan(events)
  expect(wmAlerts[0]?.alert.name).toBe('Ann')

  const links = (await (
    await admin.get(`${server.localUrl}/api/overlays/links`)
  ).json()) as OverlayLinksResponse
  const key = new URL(links.overlays[0]!.url).searchParams.get('key')
  const overlay = await context.newPage()
  await overlay.goto(`${server.localUrl}/overlay/wm?key=${key}`)
  const euros = `${total / 100n}.${String(total % 100n).padStart(2, '0')}`
  await expect(overlay.getByTestId('wm-counter')).toContainText(euros)
  await overlay.screenshot({ path: 'test-results/e2e/wm-overlay.png' })

  const dashboard = await context.newPage()
  await dashboard.goto(`${server.localUrl}/#/integrations`)
  const card = dashboard.locator('.card', { hasText: 'Web Monetization' }).first()
  await expect(card.getByTestId('wm-live')).toContainText(euros)
  await card.screenshot({ path: 'test-results/e2e/wm-integrations.png' })
  // The dashboard's own page says it too, beside the live stream's figures.
  await dashboard.goto(`${server.localUrl}/#/dashboard`)
  await expect(dashboard.getByTestId('wm-live')).toContainText(euros)
  await expect(dashboard.getByTestId('wm-live')).toContainText('Streaming now:')
  await dashboard.screenshot({ path: 'test-results/e2e/wm-dashboard.png' })
  await context.close()
})
