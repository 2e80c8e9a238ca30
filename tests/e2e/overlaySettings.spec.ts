import path from 'node:path'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import {
  OVERLAY_REGISTRY,
  type OverlayId,
  type OverlayLinksResponse,
} from '../../server/contracts/overlays.js'
import { launchServer, type LaunchedServer } from './support/server.js'
import { openOverlaySettings, overlayCard, setGoal, styleAlertBox } from './support/overlaySteps.js'

/**
 * The Overlays page as a streamer uses it: set the goal, style the alert box, see both change in
 * overlay pages already open (as in OBS) without reloading them, get field errors in plain words,
 * and make a new key knowing which overlays to re-paste. The overlays feed is the real server.
 */

const SCREENSHOTS = path.join('test-results', 'screenshots')
let server: LaunchedServer
/** One browser profile for the whole file: the sign-in link works once. */
let context: BrowserContext
let dashboard: Page

test.describe.configure({ mode: 'serial' })
test.beforeAll(async ({ browser }) => {
  server = await launchServer()
  context = await browser.newContext()
  dashboard = await signedInDashboard()
})
test.afterAll(async () => {
  await context?.close()
  await server?.stop()
})

async function signedInDashboard(): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 1400, height: 1000 })
  const errors: string[] = []
  page.on('console', (message) => {
    // The missing favicon is another change's (the dashboard's polish), not this page's.
    if (message.location().url.endsWith('/favicon.ico')) return
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`)
  })
  page.on('pageerror', (error) => errors.push(error.message))
  ;(page as Page & { consoleErrors?: string[] }).consoleErrors = errors
  await page.goto(server.loginUrl)
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  return page
}

async function overlayUrl(context: BrowserContext, id: OverlayId): Promise<string> {
  const links = (await (
    await context.request.get(`${server.localUrl}/api/overlays/links`)
  ).json()) as OverlayLinksResponse
  return links.overlays.find((link) => link.id === id)!.url
}

/** An overlay page as OBS opens it: its recommended size, window.obsstudio defined. */
async function openInObs(context: BrowserContext, id: OverlayId, url: string): Promise<Page> {
  const page = await context.newPage()
  await page.addInitScript({ content: 'window.obsstudio = { pluginVersion: "30.0.0" }' })
  await page.setViewportSize({
    width: OVERLAY_REGISTRY[id].width,
    height: OVERLAY_REGISTRY[id].height,
  })
  await page.goto(url)
  await expect(page.locator('body')).toHaveAttribute('data-connection', 'open')
  return page
}

test('the goal and the alert box look are set from the Overlays page and reach open overlays at once', async () => {
  const goalBar = await openInObs(context, 'goal', await overlayUrl(context, 'goal'))
  await expect(goalBar.locator('.wm-title')).toHaveText('Stream goal')
  await expect(goalBar.locator('.wm-goal-figures')).toContainText('€100.00')

  await setGoal(dashboard, { title: 'New microphone', target: '250' })
  // The open goal bar (as in OBS) shows the new goal without a reload.
  await expect(goalBar.locator('.wm-title')).toHaveText('New microphone')
  await expect(goalBar.locator('.wm-goal-figures')).toContainText('€250.00')

  // An alert on screen in the alert box, kept up so its look can be watched changing.
  const patch = await context.request.patch(`${server.localUrl}/api/alerts/settings`, {
    headers: { origin: server.localUrl },
    data: { durationMs: 0, gapMs: 0 },
  })
  expect(patch.status()).toBe(200)
  const alertBox = await openInObs(context, 'alerts', await overlayUrl(context, 'alerts'))
  const test = await context.request.post(`${server.localUrl}/api/alerts/test`, {
    headers: { origin: server.localUrl },
    data: { name: 'Ada Lovelace', message: 'Lovely stream' },
  })
  expect(test.status()).toBe(201)
  const headline = alertBox.locator('.wm-alert-headline')
  await expect(headline).toBeVisible()
  await expect(headline).toHaveCSS('font-size', '56px')

  await styleAlertBox(dashboard, {
    theme: 'Text on a panel',
    textColor: '#ffeeaa',
    panelColor: '#203040',
    fontSize: 72,
    position: 'Bottom centre',
    sound: 'Coin',
    volume: 40,
    css: '.wm-alert-headline { letter-spacing: 3px; }',
  })
  await expect(headline).toHaveCSS('font-size', '72px')
  await expect(headline).toHaveCSS('color', 'rgb(255, 238, 170)')
  await expect(headline).toHaveCSS('letter-spacing', '3px')
  await expect(alertBox.locator('.wm-alert-test')).toHaveCSS(
    'background-color',
    'rgba(32, 48, 64, 0.72)',
  )
  // Bottom centre: the alert sits in the lower part of the 1080p canvas.
  const box = await alertBox.locator('.wm-alert').boundingBox()
  expect(box!.y + box!.height).toBeGreaterThan(1080 * 0.8)
  expect(Math.abs(box!.x + box!.width / 2 - 960)).toBeLessThan(4)
  // The next alert plays the chosen sound (the file is fetched from the app).
  const coin = alertBox.waitForResponse((response) => response.url().includes('/sounds/coin.wav'))
  await context.request.post(`${server.localUrl}/api/alerts/test`, {
    headers: { origin: server.localUrl },
    data: { name: 'Grace Hopper' },
  })
  expect((await coin).status()).toBe(200)

  // The panel's preview is the real overlay, showing the same look.
  await openOverlaySettings(dashboard, 'Alert box')
  const card = overlayCard(dashboard, 'Alert box')
  const preview = card.frameLocator('iframe[title="Alert box live preview"]')
  await expect(preview.locator('body')).toHaveAttribute('data-connection', 'open')
  await card.getByRole('button', { name: 'Show a test alert' }).click()
  await expect(preview.locator('.wm-part-name')).toHaveText('Test Viewer')
  await expect(preview.locator('.wm-alert-headline')).toHaveCSS('font-size', '72px')
  await card.getByLabel('Preview over').selectOption({ label: 'Bright scene' })
  await dashboard.waitForTimeout(500)
  await card.screenshot({ path: path.join(SCREENSHOTS, 'overlays-alert-settings.png') })
  await alertBox.screenshot({ path: path.join(SCREENSHOTS, 'alert-box-styled.png') })
  expect((dashboard as Page & { consoleErrors?: string[] }).consoleErrors).toEqual([])
})

test('a wrong value is named in plain words on its field and nothing is saved', async () => {
  const form = await openOverlaySettings(dashboard, 'Goal bar')
  const size = form.getByLabel(/^Text size/)
  await size.fill('12')
  await form.getByRole('button', { name: 'Save and apply' }).click()
  await expect(form.getByRole('alert')).toContainText('Text size')
  await expect(form.getByRole('alert')).toContainText('from 32 to 120')
  await expect(size).toHaveAttribute('aria-invalid', 'true')
  await size.fill('40')

  await form.getByLabel(/^Goal amount/).fill('a lot')
  await form.getByRole('button', { name: 'Save and apply' }).click()
  await expect(form.getByRole('alert')).toContainText('amount like 50')
  await expect(form.getByLabel(/^Goal amount/)).toHaveAttribute('aria-invalid', 'true')
  await form.getByLabel(/^Goal amount/).fill('250')

  const css = form.getByLabel(/^Custom CSS/)
  await css.fill('.wm-title{}</style><script>alert(1)</script>')
  await form.getByRole('button', { name: 'Save and apply' }).click()
  await expect(form.getByRole('alert')).toContainText('could end the style block')
  await expect(css).toHaveAttribute('aria-invalid', 'true')
  await dashboard.screenshot({
    path: path.join(SCREENSHOTS, 'overlays-goal-field-error.png'),
    fullPage: true,
  })
  // Nothing of the refused save reached the goal bar's stylesheet.
  const sheet = await context.request.get(
    `${server.localUrl}/overlay/custom.css?overlay=goal&key=${new URL(await overlayUrl(context, 'goal')).searchParams.get('key')}`,
  )
  expect(await sheet.text()).not.toContain('script')
})

test('an old overlay URL shows nothing in OBS and a notice in a preview; a new key asks first', async () => {
  const oldAlerts = await overlayUrl(context, 'alerts')
  const inObs = await openInObs(context, 'alerts', oldAlerts)
  await dashboard.getByRole('link', { name: 'Overlays' }).click()
  await dashboard.getByRole('button', { name: 'Make a new overlay key…' }).click()
  const ask = dashboard.getByRole('alertdialog', { name: 'Make a new overlay key?' })
  await expect(ask).toContainText(/Open now \(in OBS or a preview\): .*Alert box/)
  await dashboard.screenshot({ path: path.join(SCREENSHOTS, 'overlays-rotate-key.png') })
  await ask.getByRole('button', { name: 'Cancel' }).click()
  expect(await overlayUrl(context, 'alerts')).toBe(oldAlerts)

  await dashboard.getByRole('button', { name: 'Make a new overlay key…' }).click()
  await ask.getByRole('button', { name: 'Yes, make a new key' }).click()
  await expect(dashboard.getByRole('status').filter({ hasText: 'New key made' })).toContainText(
    'Alert box',
  )
  expect(await overlayUrl(context, 'alerts')).not.toBe(oldAlerts)
  await inObs.close()

  // The old URL, signed out (as OBS is): 401, a transparent page, nothing visible inside OBS...
  const obs = await (await context.browser()!.newContext()).newPage()
  await obs.addInitScript({ content: 'window.obsstudio = { pluginVersion: "30.0.0" }' })
  const answer = await obs.goto(oldAlerts)
  expect(answer!.status()).toBe(401)
  expect(await obs.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
    'rgba(0, 0, 0, 0)',
  )
  await expect(obs.getByRole('alert')).toBeHidden()
  // ...and a readable notice in an ordinary browser tab or preview.
  const tab = await obs.context().newPage()
  const seen = await tab.goto(oldAlerts)
  expect(seen!.status()).toBe(401)
  await expect(tab.getByRole('alert')).toContainText('This overlay URL has an old or wrong key')
  await expect(tab.getByRole('heading')).toHaveCSS('font-size', '24px')
  await tab.screenshot({ path: path.join(SCREENSHOTS, 'overlay-old-key-notice.png') })
  await obs.context().close()
})
