/**
 * The streamer's screens for OBS control, stream labels and the timer: OBS settings against a strict
 * fake obs-websocket server (OBS cannot run here), the label files and the timer control.
 */
import { expect, test, type Page } from '@playwright/test'
import { startFakeObsServer, type FakeObsServer } from '../../server/testing/fakeObsServer.js'
import { launchServer, type LaunchedServer } from './support/server.js'

let server: LaunchedServer
let obs: FakeObsServer

test.beforeEach(async () => {
  server = await launchServer()
  obs = await startFakeObsServer({
    password: 'from-obs-dialog',
    scenes: [{ sceneName: 'Main', items: [{ sourceName: 'WM Alerts' }] }],
    inputs: [{ inputName: 'WM Alerts', inputKind: 'browser_source', inputSettings: { url: '' } }],
  })
})
test.afterEach(async ({ context }) => {
  await context.close()
  await server.stop()
  await obs.close()
})

async function signIn(page: Page): Promise<void> {
  await page.goto(server.loginUrl)
  await page.setViewportSize({ width: 1280, height: 900 })
}

test('OBS settings connect, say a wrong password in plain words, and the dashboard shows the status', async ({
  page,
}) => {
  await signIn(page)
  await page.goto(`${server.localUrl}/#/integrations`)
  const form = page.getByRole('form', { name: 'OBS connection' })
  await form.getByLabel('Control OBS').check()
  await form.locator('input[name="obsAddress"]').fill('http://127.0.0.1:4455')
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form.getByRole('alert')).toContainText('WebSocket URL')
  await expect(form.locator('input[name="obsAddress"]')).toHaveAttribute('aria-invalid', 'true')

  await form.locator('input[name="obsAddress"]').fill(obs.url)
  await form.locator('input[name="obsPassword"]').fill('not-the-password')
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form.locator('.obs-status')).toContainText('OBS refused the password')
  await expect(form.locator('.obs-status')).toHaveClass(/bad/)
  await form.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/e2e/obs-refused.png', fullPage: true })

  await form.locator('input[name="obsPassword"]').fill('from-obs-dialog')
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form.locator('.obs-status')).toContainText('Connected to OBS')
  await expect(form.locator('.obs-status')).toHaveClass(/ok/)
  await expect(form.locator('input[name="obsPassword"]')).toHaveValue('')
  await expect(page.locator('body')).not.toContainText('from-obs-dialog')
  await page.screenshot({ path: 'test-results/e2e/obs-connected.png', fullPage: true })

  await page.goto(`${server.localUrl}/#/dashboard`)
  await expect(page.locator('.obs-status')).toContainText('Connected to OBS · scene “Main”')
})

test('the Overlays page lists the label files with their paths and runs the timer', async ({
  page,
}) => {
  await signIn(page)
  await page.goto(`${server.localUrl}/#/overlays`)
  const labels = page.locator('.stream-label')
  await expect(labels).toHaveCount(7)
  await expect(page.locator('#label-path-latest-tip')).toHaveValue(
    `${server.dataDir}/labels/latest-tip.txt`,
  )
  await page.locator('input[name="timer-duration"]').fill('1:30:00')
  await page.getByRole('button', { name: 'Start timer' }).click()
  await expect(page.getByTestId('timer-remaining')).toHaveText(/^1:(30:00|29:5\d)$/)
  await page.locator('input[name="timer-change"]').fill('10:00')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('timer-remaining')).toHaveText(/^1:(40:00|39:5\d)$/)
  await page.getByRole('button', { name: 'Pause timer' }).click()
  await expect(page.getByRole('button', { name: 'Resume timer' })).toBeVisible()
  await page.screenshot({ path: 'test-results/e2e/overlays-timer-labels.png', fullPage: true })
})
