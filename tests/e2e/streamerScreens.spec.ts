import path from 'node:path'
import type { Page } from '@playwright/test'
import { expect, guardConsole, test } from './support/consoleGuard.js'
import { insertSupport } from './support/ledger.js'
import { launchServer, type LaunchedServer } from './support/server.js'

/**
 * The screens a streamer meets in the first hour, in a real Chromium against the headless server
 * started with no environment variables (build first). Every page is watched for console errors.
 */
const SCREENSHOTS = path.join('test-results', 'screenshots')

let server: LaunchedServer
let page: Page

test.describe.configure({ mode: 'serial' })

test.beforeAll(async ({ browser }) => {
  server = await launchServer()
  const context = guardConsole(await browser.newContext({ viewport: { width: 1280, height: 800 } }))
  page = await context.newPage()
  await page.goto(server.loginUrl)
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live')
})

test.afterAll(async () => {
  await page?.context().close()
  await server?.stop()
})

test('switching the Events page to platform events after a tip keeps the page', async () => {
  insertSupport(server.dataDir, [{ amount: 250, name: 'Ada', minutesAgo: 3 }])
  await page.goto(`${server.localUrl}/#/events`)
  await expect(page.getByTestId('events-table')).toContainText('Ada')
  await page.getByRole('radio', { name: /Platform events/ }).click()
  await expect(page.getByText('No platform event yet.')).toBeVisible()
  await page.getByRole('radio', { name: /Support/ }).click()
  await expect(page.getByTestId('events-table')).toContainText('Ada')
  await expect(page.getByTestId('page-failed')).toHaveCount(0)
})

test('a page that fails says which page and offers a reload; the rest of the dashboard stays', async () => {
  await page.route('**/api/analytics/events?*', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        type: 'support',
        nextBefore: null,
        events: [{ type: 'support', id: 1, kind: 'tip', occurredAt: 'not a time' }],
      }),
    }),
  )
  await page.goto(`${server.localUrl}/#/events`)
  await page.reload()
  const failed = page.getByTestId('page-failed')
  await expect(
    failed.getByRole('heading', { name: 'The Events page stopped working' }),
  ).toBeVisible()
  await expect(failed).toContainText('Detail: Invalid time value')
  await expect(failed.getByRole('button', { name: 'Reload the page' })).toBeVisible()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'events-page-failed.png') })
  await page.unroute('**/api/analytics/events?*')
  // The menu still works, and the page comes back once its data is sound again.
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Supporters' }).click()
  await expect(page.getByRole('heading', { name: 'Supporters', level: 1 })).toBeVisible()
  await nav.getByRole('link', { name: 'Events' }).click()
  await expect(page.getByTestId('events-table')).toContainText('Ada')
  await expect(failed).toHaveCount(0)
})
