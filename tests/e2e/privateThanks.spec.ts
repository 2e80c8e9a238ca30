import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { launchServer, type LaunchedServer } from './support/server.js'

/** The "Thank privately" switch in a real Chromium against the headless server (build first). */
const SCREENSHOTS = path.join('test-results', 'screenshots')

let server: LaunchedServer
let page: Page

test.beforeAll(async ({ browser }) => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  await page.goto(server.loginUrl)
})

test.afterAll(async () => {
  await page?.context().close()
  await server?.stop()
})

test('Thank privately is off by default, saved when switched on, and shown on Integrations', async () => {
  await page.goto(`${server.localUrl}/#/settings`)
  const card = page.getByRole('form', { name: 'Chat messages' })
  const privately = card.getByLabel(/Thank privately/)
  await expect(privately).not.toBeChecked()
  await privately.check()
  await card.getByRole('button', { name: 'Save chat settings' }).click()
  await expect(card.getByRole('status')).toContainText('Saved')
  const overview = async () =>
    (await (await page.request.get(`${server.localUrl}/api/integrations`)).json()) as {
      owncast: { privateThanks: boolean }
    }
  expect((await overview()).owncast.privateThanks).toBe(true)
  await card.screenshot({ path: path.join(SCREENSHOTS, 'private-thanks-settings.png') })

  await page.goto(`${server.localUrl}/#/integrations`)
  await expect(page.getByText('on, private when the tipper came from chat')).toBeVisible()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'private-thanks-integrations.png') })

  await page.goto(`${server.localUrl}/#/settings`)
  await expect(card.getByLabel(/Thank privately/)).toBeChecked()
})
