import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from '@playwright/test'
import type { AlertQueueResponse, AlertView } from '../../server/contracts/alerts.js'
import type { OverlayLinksResponse } from '../../server/contracts/overlays.js'
import { launchServer, type LaunchedServer } from './support/server.js'

let server: LaunchedServer

test.beforeEach(async () => {
  server = await launchServer()
})
test.afterEach(async () => {
  await server.stop()
})

/** Signs the browser context in through the one-time URL the server printed. */
async function signIn(context: BrowserContext): Promise<APIRequestContext> {
  const response = await context.request.get(server.loginUrl, { maxRedirects: 0 })
  expect(response.status()).toBe(303)
  return context.request
}

function api(request: APIRequestContext) {
  const headers = { origin: server.localUrl }
  return {
    async links(): Promise<OverlayLinksResponse> {
      return (await request.get(`${server.localUrl}/api/overlays/links`)).json()
    },
    async queue(): Promise<AlertQueueResponse> {
      return (await request.get(`${server.localUrl}/api/alerts/queue`)).json()
    },
    async settings(patch: Record<string, unknown>): Promise<void> {
      const response = await request.patch(`${server.localUrl}/api/alerts/settings`, {
        headers,
        data: patch,
      })
      expect(response.status()).toBe(200)
    },
    /** The foundation's test alert: records a test support event and puts it on the bus. */
    async testAlert(name: string, message = 'hi'): Promise<void> {
      const response = await request.post(`${server.localUrl}/api/alerts/test`, {
        headers,
        data: { name, message, amount: '3' },
      })
      expect(response.status()).toBe(201)
    },
    /** A test alert for one variant (this feature's admin API), any text a viewer could send. */
    async variantTest(name: string, message: string): Promise<AlertView> {
      const response = await request.post(`${server.localUrl}/api/alerts/variants/default/test`, {
        headers,
        data: { name, message },
      })
      expect(response.status()).toBe(201)
      return response.json()
    },
    async dropOverlayConnections(): Promise<number> {
      const response = await request.post(`${server.localUrl}/api/overlays/connections/reset`, {
        headers,
      })
      return ((await response.json()) as { disconnected: number }).disconnected
    },
  }
}

/**
 * Records every alert id the page puts on screen, in order, for one page load. In-page code is a
 * string: this file is type-checked without the DOM library. MutationObserver records arrive in
 * batches after the fact: the value each change set is the old value of the next change of the same
 * element, or the current value for the last one.
 */
const RECORD_SHOWN_ALERTS = `
  const shown = []
  window.__shown = shown
  new MutationObserver((records) => {
    records.forEach((record, index) => {
      const later = records.slice(index + 1).find((next) => next.target === record.target)
      const value = later ? later.oldValue : record.target.getAttribute('data-alert-id')
      if (value) shown.push(Number(value))
    })
  }).observe(document, {
    subtree: true,
    attributes: true,
    attributeOldValue: true,
    attributeFilter: ['data-alert-id'],
  })
`
const shownIds = async (page: Page) => (await page.evaluate('window.__shown')) as number[]

async function openAlertBox(
  context: BrowserContext,
  url: string,
  initScript?: string,
): Promise<Page> {
  const page = await context.newPage()
  if (initScript) await page.addInitScript({ content: initScript })
  await page.addInitScript({ content: RECORD_SHOWN_ALERTS })
  await page.goto(url)
  await expect(page.locator('body')).toHaveAttribute('data-connection', 'open')
  return page
}

test('a test alert from the dashboard appears in the alert box, with its sound', async ({
  context,
}) => {
  const admin = api(await signIn(context))
  const url = (await admin.links()).overlays.find((link) => link.id === 'alerts')!.url
  const requested: string[] = []
  context.on('request', (request) => requested.push(request.url()))
  // Counts sounds that really start playing (a buffer source started in a running audio context).
  const page = await openAlertBox(
    context,
    url,
    `
      window.__soundsStarted = 0
      const start = AudioBufferSourceNode.prototype.start
      AudioBufferSourceNode.prototype.start = function (...args) {
        if (this.buffer && this.buffer.duration > 0) window.__soundsStarted += 1
        return start.apply(this, args)
      }
    `,
  )
  expect((await admin.links()).connections.byOverlay.alerts).toBe(1)
  const sound = page.waitForResponse((response) => response.url().includes('/sounds/chime.wav'))
  await admin.testAlert('Ada Lovelace', 'Great stream!')
  const box = page.locator('.wm-alert')
  await expect(box).toBeVisible()
  await expect(box.locator('.wm-part-name')).toHaveText('Ada Lovelace')
  await expect(box.locator('.wm-alert-message')).toHaveText('Great stream!')
  await expect(box.locator('.wm-alert-test')).toHaveText('Test alert')
  // The page paints no background: OBS composites it over the scene.
  const background = await page.evaluate('getComputedStyle(document.body).backgroundColor')
  expect(background).toBe('rgba(0, 0, 0, 0)')
  // The alert's sound comes from the app itself, and nothing at all from the network.
  expect((await sound).status()).toBe(200)
  await expect.poll(() => page.evaluate('window.__soundsStarted')).toBe(1)
  expect(requested.filter((address) => !address.startsWith(`${server.localUrl}/`))).toEqual([])
})

test('a viewer tips with the sandbox wallet and the alert plays in the overlay', async ({
  browser,
}) => {
  // Its own server with the sandbox wallet (DESIGN §1 journey 3), the whole way through the tip page.
  await server.stop()
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
  const sandbox = /Sandbox wallet \(play money\): (http:\/\/\S+?)\/?\s/.exec(server.output())?.[1]
  test.skip(!sandbox, 'this build has no sandbox wallet')
  const context = await browser.newContext()
  try {
    const admin = api(await signIn(context))
    const url = (await admin.links()).overlays.find((link) => link.id === 'alerts')!.url
    const overlay = await openAlertBox(context, url)

    const viewer = await context.newPage()
    await viewer.goto(`${server.publicListenUrl}/tip`)
    const tier = viewer.locator('.tier').first()
    await tier.click()
    await viewer.locator('#wallet').fill(`${sandbox}/alice`)
    await viewer.locator('#name').fill('Alice <img onerror=alert(1)>')
    await viewer.locator('#message').fill('Love the stream!')
    await viewer.getByRole('button', { name: 'Send tip' }).click()
    // The wallet opens once the viewer has seen what it will charge.
    const popupPromise = viewer.waitForEvent('popup')
    await viewer.getByRole('button', { name: 'Approve in my wallet' }).click()
    const popup = await popupPromise
    await popup.waitForLoadState('domcontentloaded')
    await popup.getByRole('button', { name: 'Approve' }).click()

    const box = overlay.locator('.wm-alert')
    await expect(box.locator('.wm-part-name')).toHaveText('Alice <img onerror=alert(1)>', {
      timeout: 30_000,
    })
    await expect(box.locator('.wm-alert-message')).toHaveText('Love the stream!')
    await expect(box.locator('.wm-alert-test')).toHaveCount(0)
    const queue = await admin.queue()
    expect(queue.current?.source ?? queue.recent[0]?.source).toBe('tip')
  } finally {
    await context.close()
  }
})

test('hostile names and messages render inert, as text, and nothing executes', async ({
  context,
}) => {
  const admin = api(await signIn(context))
  await admin.settings({ durationMs: 0, gapMs: 0 })
  const url = (await admin.links()).overlays.find((link) => link.id === 'alerts')!.url
  const page = await openAlertBox(context, url)
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => errors.push(error.message))

  const name = '<img src=x onerror="window.__pwned=1">\u202Eevil<script>window.__pwned=2</script>'
  const message =
    'javascript:window.__pwned=3 <svg onload="window.__pwned=4"></svg> ' +
    '<a href="javascript:alert(1)">click</a> <iframe src="javascript:alert(2)"></iframe> ' +
    'Z' +
    '\u0301\u0302\u0303\u0304'.repeat(2560)
  const hostile = await admin.variantTest(name, message)
  const box = page.locator(`.wm-alert[data-alert-id="${hostile.id}"]`)
  await expect(box).toBeVisible()

  // Markup arrives as the very characters typed; the right-to-left override is gone.
  const headline = await box.locator('.wm-part-name').textContent()
  expect(headline).toContain('<img src=x onerror=')
  expect(headline).not.toContain('\u202E')
  const shownMessage = (await box.locator('.wm-alert-message').textContent()) ?? ''
  expect(shownMessage).toContain('javascript:window.__pwned=3 <svg onload=')
  expect(shownMessage.length).toBeLessThan(1000)
  // Nothing became an element, nothing ran.
  expect(await box.locator('img, script, svg, a, iframe').count()).toBe(0)
  expect(await page.evaluate('window.__pwned')).toBe(undefined)
  expect(dialogs).toEqual([])
  expect(errors).toEqual([])
  // 10 KB of combining marks stay inside the alert box, which stays inside the source.
  const size = await box.boundingBox()
  const viewport = page.viewportSize()!
  expect(size!.height).toBeLessThan(viewport.height)
  const messageBox = await box.locator('.wm-alert-message').boundingBox()
  expect(messageBox!.y + messageBox!.height).toBeLessThanOrEqual(size!.y + size!.height + 1)
})

test('a connection cut mid-queue loses no alert and shows none twice', async ({ context }) => {
  const admin = api(await signIn(context))
  await admin.settings({ durationMs: 300, gapMs: 50 })
  const url = (await admin.links()).overlays.find((link) => link.id === 'alerts')!.url
  const page = await openAlertBox(context, url)

  for (let i = 1; i <= 5; i += 1) await admin.testAlert(`Before ${i}`)
  await expect.poll(async () => (await shownIds(page)).length).toBeGreaterThanOrEqual(2)
  expect(await admin.dropOverlayConnections()).toBe(1)
  // While the page reconnects (with backoff), more support arrives.
  for (let i = 1; i <= 3; i += 1) await admin.testAlert(`During ${i}`)
  await expect(page.locator('body')).toHaveAttribute('data-connection', 'open')

  await expect
    .poll(async () => {
      const queue = await admin.queue()
      return queue.queued.length + (queue.current ? 1 : 0)
    })
    .toBe(0)
  const queue = await admin.queue()
  const expected = queue.recent
    .filter((view) => view.state === 'shown')
    .map((view) => view.id)
    .sort((a, b) => a - b)
  expect(expected).toHaveLength(8)
  await expect.poll(async () => (await shownIds(page)).length).toBe(8)
  expect(await shownIds(page)).toEqual(expected)
})

test('a reloaded overlay replays nothing', async ({ context }) => {
  const admin = api(await signIn(context))
  await admin.settings({ durationMs: 4000, gapMs: 0 })
  const url = (await admin.links()).overlays.find((link) => link.id === 'alerts')!.url
  const page = await openAlertBox(context, url)
  await admin.testAlert('Shown once')
  await expect(page.locator('.wm-part-name')).toHaveText('Shown once')

  // "Refresh browser when scene becomes active", while the alert is still on screen.
  await page.reload()
  await expect(page.locator('body')).toHaveAttribute('data-connection', 'open')
  // A new page for the same source ("Shutdown source when not visible" brings back a fresh one).
  const fresh = await openAlertBox(context, url)
  await admin.testAlert('After reload')
  await expect(page.locator('.wm-part-name')).toHaveText('After reload', { timeout: 10_000 })
  await expect(fresh.locator('.wm-part-name')).toHaveText('After reload')
  expect((await shownIds(page)).length).toBe(1)
  expect((await shownIds(fresh)).length).toBe(1)
})
