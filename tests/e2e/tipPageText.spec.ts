/**
 * What the viewer reads on the tip page before and around the wallet: the length counters, the
 * wallet's charge before the wallet opens, and a way back when the wallet window is closed.
 */
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { launchServer, type LaunchedServer } from './support/server.js'

const SCREENSHOTS = path.join('test-results', 'screenshots')
let server: LaunchedServer

test.describe.configure({ mode: 'serial' })
test.beforeAll(async () => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
})
test.afterAll(async () => {
  await server?.stop()
})

function sandboxUrl(): string {
  const found = /Sandbox wallet \(play money\): (http:\/\/\S+?)\/?\s/.exec(server.output())?.[1]
  if (!found) throw new Error(`no sandbox URL in the banner:\n${server.output()}`)
  return found
}

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text())
  })
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
      errors.push(`${response.status()} ${response.url()}`)
  })
  return errors
}

test('name and message show a counter and the limit, and are never cut', async ({ page }) => {
  const errors = watchErrors(page)
  await page.setViewportSize({ width: 390, height: 800 })
  await page.goto(`${server.publicListenUrl}/tip`)
  await expect(page.locator('#name-count')).toHaveText('0 / 32 characters')
  await expect(page.locator('#message-count')).toHaveText('0 / 200 characters')

  const family = '👨\u200d👩\u200d👧'
  await page.locator('#name').fill(family.repeat(5))
  await expect(page.locator('#name-count')).toHaveText('5 / 32 characters')
  await page.locator('#name').fill('N'.repeat(40))
  await expect(page.locator('#name')).toHaveValue('N'.repeat(40))
  await expect(page.locator('#name-count')).toHaveText('40 / 32 characters: 8 too many')
  await expect(page.locator('#name-count')).toHaveClass(/over/)
  await page.locator('#message').fill('m'.repeat(230))
  await expect(page.locator('#message')).toHaveValue('m'.repeat(230))
  await expect(page.locator('#message-count')).toHaveText('230 / 200 characters: 30 too many')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tip-page-counters-over.png') })

  // Sending says which field to shorten, next to it; no wallet window opens.
  await page.locator('.tier').first().click()
  await page.locator('#wallet').fill(`${sandboxUrl()}/alice`)
  let popups = 0
  page.on('popup', () => (popups += 1))
  await page.getByRole('button', { name: 'Send tip' }).click()
  await expect(page.locator('#name-error')).toHaveText(
    'Your name can be at most 32 characters (now 40): shorten it to send.',
  )
  await expect(page.locator('#name')).toHaveAttribute('aria-invalid', 'true')
  expect(popups).toBe(0)
  expect(errors).toEqual([])
})
