import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import type { OverlayLinksResponse } from '../../server/contracts/overlays.js'
import { expect, guardConsole, test } from './support/consoleGuard.js'
import { setGoal, styleAlertBox } from './support/overlaySteps.js'
import { launchFreshServer, type LaunchedServer } from './support/server.js'

/**
 * A streamer's first hour, from a fresh data folder with no environment variable: sign in, choose the
 * sandbox in the wizard, set a goal, style the alert box, copy the tip page link, tip from the tip page
 * as a viewer, see the styled alert in the alert box at its recommended size, then the dashboard, both
 * Events views and the CSV export.
 * Every page of the journey is watched for console errors.
 */
const SCREENSHOTS = path.join('test-results', 'screenshots', 'first-hour')

let server: LaunchedServer

test.afterAll(async () => {
  await server?.stop()
})

test('the first hour of a new streamer, with the sandbox wallet', async ({ browser }) => {
  test.setTimeout(180_000)
  server = await launchFreshServer()
  const context = guardConsole(
    await browser.newContext({
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
      acceptDownloads: true,
    }),
  )
  const page = await context.newPage()
  const shot = (target: Page, name: string) =>
    target.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })

  await test.step('sign in with the link printed at start-up', async () => {
    await page.goto(server.loginUrl)
    await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live')
    await expect(page).toHaveURL(/#\/setup$/)
  })

  await test.step('choose the sandbox in the setup wizard', async () => {
    const step = page.locator('.wizard-step')
    await step.getByRole('radio', { name: /Rehearse with the sandbox wallet/ }).check()
    await step.getByRole('button', { name: 'Use the sandbox wallet' }).click()
    await expect(step.getByTestId('wallet-status')).toContainText('Using the sandbox wallet')
    await shot(page, '01-wizard-sandbox')
    await step.getByRole('button', { name: 'Continue', exact: true }).click()
    for (const heading of [/Public URL/, /OBS/, /Owncast/]) {
      await expect(step.getByRole('heading', { name: heading })).toBeVisible()
      await step.getByRole('button', { name: 'Skip this step' }).click()
    }
    await step.getByRole('button', { name: 'Open the dashboard' }).click()
    await expect(page).toHaveURL(/#\/dashboard$/)
  })

  await test.step('set a goal', async () => {
    await setGoal(page, { title: 'New microphone', target: '25' })
    await shot(page, '01b-goal-set')
  })

  await test.step('style the alert box', async () => {
    await styleAlertBox(page, {
      theme: 'Text on a panel',
      textColor: '#ffeeaa',
      fontSize: 64,
      position: 'Bottom centre',
    })
  })

  let tipUrl = ''
  await test.step('copy the tip page link from the dashboard', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboard' })
      .click()
    const link = page.getByTestId('tip-page-link')
    await link.getByRole('button', { name: 'Copy' }).click()
    await expect(link.getByText('Copied.')).toBeVisible()
    tipUrl = await page.evaluate(() => navigator.clipboard.readText())
    expect(tipUrl).toBe(`${server.publicListenUrl}/tip`)
  })

  const links = (await (
    await page.request.get(`${server.localUrl}/api/overlays/links`)
  ).json()) as OverlayLinksResponse
  const alertsLink = links.overlays.find((overlay) => overlay.id === 'alerts')
  if (!alertsLink) throw new Error('no alert box overlay')
  // The alert box as OBS shows it: its own page, at the size the app recommends for it.
  const overlay = await context.newPage()
  await overlay.setViewportSize({ width: alertsLink.width, height: alertsLink.height })
  await overlay.goto(alertsLink.url)
  await expect(overlay.locator('body')).toHaveAttribute('data-connection', 'open')

  await test.step('a viewer tips from the tip page', async () => {
    const viewer = await context.newPage()
    await viewer.setViewportSize({ width: 390, height: 800 })
    await viewer.goto(tipUrl)
    await expect(viewer.locator('#streamer-name')).toHaveText('Sandbox Streamer')
    const hint = await viewer.locator('#sandbox-hint').textContent()
    const viewerWallet = /(http:\/\/\S+?\/alice)\b/.exec(hint ?? '')?.[1]
    if (!viewerWallet) throw new Error(`no sandbox viewer wallet in the hint: ${hint}`)
    await viewer.locator('.tier').first().click()
    await viewer.locator('#wallet').fill(viewerWallet)
    await viewer.locator('#name').fill('Ada')
    await viewer.locator('#message').fill('First tip!')
    await viewer.getByRole('button', { name: 'Send tip' }).click()
    // The wallet opens once the viewer has seen what it will charge.
    const popupPromise = viewer.waitForEvent('popup')
    await viewer.getByRole('button', { name: 'Approve in my wallet' }).click()
    const popup = await popupPromise
    await popup.getByRole('button', { name: 'Approve' }).waitFor()
    await shot(popup, '02-sandbox-consent')
    await popup.getByRole('button', { name: 'Approve' }).click()
    await expect(viewer.locator('#status')).toHaveAttribute('data-state', 'completed', {
      timeout: 30_000,
    })
    await shot(viewer, '03-tip-page-thanks')
    await viewer.close()
  })

  await test.step('the alert plays in the alert box', async () => {
    const box = overlay.locator('.wm-alert')
    await expect(box.locator('.wm-part-name')).toHaveText('Ada', { timeout: 30_000 })
    await expect(box.locator('.wm-alert-message')).toHaveText('First tip!')
    // The look chosen on the Overlays page, at the size the app recommends for the alert box.
    await expect(box.locator('.wm-alert-headline')).toHaveCSS('font-size', '64px')
    await expect(box.locator('.wm-alert-headline')).toHaveCSS('color', 'rgb(255, 238, 170)')
    await shot(overlay, '04-alert-box')
  })

  await test.step('the dashboard shows the tip', async () => {
    await page.bringToFront()
    await expect(page.getByTestId('summary')).toHaveAttribute('data-count', '1', {
      timeout: 25_000,
    })
    await expect(page.getByText('No support in this time frame yet.')).toHaveCount(0)
    await shot(page, '05-dashboard')
  })

  await test.step('the Events page, both views', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Events' })
      .click()
    const table = page.getByTestId('events-table')
    await expect(table).toContainText('Ada')
    await expect(table).toContainText('First tip!')
    await shot(page, '06-events-support')
    await page.getByRole('radio', { name: /Platform events/ }).click()
    await expect(page.getByText('No platform event yet.')).toBeVisible()
    await expect(page.getByTestId('page-failed')).toHaveCount(0)
    await shot(page, '07-events-platform')
    await page.getByRole('radio', { name: /Support/ }).click()
    await expect(table).toContainText('Ada')
  })

  await test.step('export CSV', async () => {
    const downloadPromise = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Export CSV' }).click()
    const download = await downloadPromise
    const file = await download.path()
    const csv = fs.readFileSync(file, 'utf8')
    const lines = csv.trim().split(/\r?\n/)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('Ada')
    expect(lines[1]).toContain('First tip!')
  })

  await context.close()
})
