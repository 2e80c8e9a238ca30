/**
 * The viewer journey (DESIGN §1 journey 3) in Chromium against the built-in sandbox wallet: open the tip
 * page, pick a tier, enter a sandbox viewer wallet, approve in the wallet popup, see success; the support
 * event is in the database exactly once.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test, type Page } from '@playwright/test'
import { recordedTips } from './support/ledger.js'
import { launchServer, sandboxUrlOf, type LaunchedServer } from './support/server.js'

let server: LaunchedServer

test.beforeEach(async () => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
})
test.afterEach(async ({ context }) => {
  // Close the browser's keep-alive connections first, so the servers stop without waiting them out.
  await context.close()
  await server.stop()
})

const sandboxUrl = () => sandboxUrlOf(server)
const tipEvents = () => recordedTips(server.dataDir)

async function approveInPopup(popup: Page): Promise<void> {
  await popup.waitForLoadState('domcontentloaded')
  await popup.getByRole('button', { name: 'Approve' }).click()
  // The callback page tells the tip page and closes itself.
  await popup.waitForEvent('close', { timeout: 30_000 })
}

test('a viewer tips from the tip page with a sandbox wallet and sees success', async ({ page }) => {
  const sandbox = sandboxUrl()
  await page.setViewportSize({ width: 390, height: 800 })
  await page.goto(`${server.publicListenUrl}/tip`)
  await expect(page.locator('#streamer-name')).toHaveText('Sandbox Streamer')

  const tiers = page.locator('.tier')
  await expect(tiers.first()).toBeVisible()
  await tiers.first().click()
  await expect(tiers.first()).toHaveAttribute('aria-checked', 'true')

  // The payment pointer form of the sandbox viewer's address.
  await page.locator('#wallet').fill(`$${sandbox.replace('http://', '')}/alice`)
  await page.locator('#name').fill('Alice <b>')
  await page.locator('#message').fill('Love the stream!')

  await page.getByRole('button', { name: 'Send tip' }).click()
  // The wallet opens once the viewer has seen what it will charge.
  const popupPromise = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await expect(page.locator('#status-title')).toHaveText('Approve in your wallet')
  await approveInPopup(popup)

  await expect(page.locator('#status')).toHaveAttribute('data-state', 'completed', {
    timeout: 30_000,
  })
  await expect(page.locator('#status-title')).toHaveText('Thank you!')
  await expect(page.locator('#again')).toBeVisible()

  const events = tipEvents()
  expect(events).toHaveLength(1)
  expect(events[0]?.event.supporterName).toBe('Alice <b>')

  // Back to the form: the wallet is remembered for the next tip.
  await page.reload()
  await expect(page.locator('#wallet')).toHaveValue(/\/alice$/)
})

test('a viewer who rejects in the wallet sees that nothing was paid', async ({ page }) => {
  const sandbox = sandboxUrl()
  await page.goto(`${server.publicListenUrl}/tip`)
  await page.locator('#amount').fill('2')
  await page.locator('#wallet').fill(`${sandbox}/bob`)
  await page.getByRole('button', { name: 'Send tip' }).click()
  // The wallet opens once the viewer has seen what it will charge.
  const popupPromise = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await popup.getByRole('button', { name: 'Reject' }).click()
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'rejected', {
    timeout: 30_000,
  })
  await expect(page.locator('#status-text')).toContainText('Nothing was paid')
  expect(tipEvents()).toHaveLength(0)
})

test('a bad wallet address is reported next to the wallet field', async ({ page }) => {
  await page.goto(`${server.publicListenUrl}/tip`)
  await page.locator('.tier').first().click()
  await page.locator('#wallet').fill('not a wallet')
  await page.getByRole('button', { name: 'Send tip' }).click()
  await expect(page.locator('#viewerWallet-error')).toBeVisible()
  await expect(page.locator('#wallet')).toHaveAttribute('aria-invalid', 'true')
})

test('<wm-tip-panel> embeds the same flow in another page', async ({ page }) => {
  const sandbox = sandboxUrl()
  // A page on another origin that embeds the widget script.
  const host = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8')
    response.end(
      `<!doctype html><h1>My blog</h1><wm-tip-panel></wm-tip-panel>
       <script type="module" src="${server.publicListenUrl}/tip/widget.js"></script>`,
    )
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  const hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`
  try {
    await page.goto(hostUrl)
    const frame = page.frameLocator('wm-tip-panel iframe')
    await expect(frame.locator('#streamer-name')).toHaveText('Sandbox Streamer')
    const result = page
      .locator('wm-tip-panel')
      .evaluate(
        (panel) =>
          new Promise<string>((resolve) =>
            panel.addEventListener('wm-tip', (event: unknown) =>
              resolve((event as unknown as { detail: { state: string } }).detail.state),
            ),
          ),
      )
    await frame.locator('.tier').first().click()
    await frame.locator('#wallet').fill(`${sandbox}/carol`)
    await frame.getByRole('button', { name: 'Send tip' }).click()
    // The wallet opens once the viewer has seen what it will charge.
    const popupPromise = page.waitForEvent('popup')
    await frame.getByRole('button', { name: 'Approve in my wallet' }).click()
    await approveInPopup(await popupPromise)
    await expect(frame.locator('#status')).toHaveAttribute('data-state', 'completed', {
      timeout: 30_000,
    })
    expect(await result).toBe('completed')
    expect(tipEvents()).toHaveLength(1)
  } finally {
    host.close()
  }
})
