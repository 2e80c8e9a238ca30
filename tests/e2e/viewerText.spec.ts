/**
 * Text from outside (an Owncast chat name) on the dashboard: cleaned by the one text rule and never
 * wider than the page, whatever its length.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { launchServer, type LaunchedServer } from './support/server.js'

const SCREENSHOTS = path.join('test-results', 'screenshots')
const FIXTURES = path.join(process.cwd(), '..', 'shared', 'fixtures')
let server: LaunchedServer
// The sign-in link works once: every test uses this signed-in page.
let page: Page

test.describe.configure({ mode: 'serial' })
test.beforeAll(async ({ browser }) => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
  page = await (await browser.newContext()).newPage()
  await page.goto(server.loginUrl)
})
test.afterAll(async () => {
  await page?.context().close()
  await server?.stop()
})

test('a 10,000-character Owncast name does not widen the Events table; bidi overrides are gone', async () => {
  const errors: string[] = []
  page.on('console', (message) => {
    // Failed loads are checked by URL below (the favicon is not this page's business).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text())
  })
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
      errors.push(`${response.status()} ${response.url()}`)
  })
  await page.setViewportSize({ width: 1280, height: 800 })
  const overview = await page.request.get(`${server.localUrl}/api/integrations`)
  const webhookUrl = ((await overview.json()) as { owncast: { webhookUrl: string } }).owncast
    .webhookUrl
  const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'owncast', 'chat.json'), 'utf8')) as {
    eventData: { id: string; rawBody: string; user: { displayName: string } }
  }
  body.eventData.user.displayName = `\u202e${'W'.repeat(10_000)}`
  body.eventData.rawBody = `family 👨\u200d👩\u200d👧 \u202eevil\u0007 ${'x'.repeat(2_000)}`
  const delivered = await page.request.post(webhookUrl, {
    data: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
  expect(delivered.status()).toBe(202)

  await page.goto(`${server.localUrl}/plugins/wm/admin#/events`)
  await page.getByLabel('Platform events (Owncast, OSP)').check()
  const table = page.getByTestId('events-table')
  await expect(table).toContainText('family 👨\u200d👩\u200d👧 evil')
  await expect(table).not.toContainText('\u202e')
  const widths = await page.evaluate(() => ({
    table: document.querySelector('[data-testid="events-table"]')?.getBoundingClientRect().width,
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }))
  expect(widths.table).toBeLessThanOrEqual(1280)
  expect(widths.page).toBeLessThanOrEqual(widths.viewport)
  await page.screenshot({ path: path.join(SCREENSHOTS, 'events-long-owncast-name.png') })
  expect(errors).toEqual([])
})

test('Settings says in plain words what the wallet provider sees, and the name is off by default', async () => {
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${server.localUrl}/plugins/wm/admin#/settings`)
  const card = page.locator('section, .card').filter({ hasText: 'What your wallet provider sees' })
  await expect(card.first()).toContainText('the tier')
  const toggle = page.getByLabel('Also send the name the viewer typed')
  await expect(toggle).not.toBeChecked()
  await card.first().scrollIntoViewIfNeeded()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-wallet-metadata.png') })
  await toggle.click()
  await expect(toggle).toBeChecked()
  await expect
    .poll(async () => {
      const response = await page.request.get(`${server.localUrl}/api/settings`)
      return ((await response.json()) as { shareNameWithWallet: boolean }).shareNameWithWallet
    })
    .toBe(true)
})
