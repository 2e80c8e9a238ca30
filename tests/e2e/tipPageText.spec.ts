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

interface Started {
  flowId: string
  amount: { value: string; assetCode: string; assetScale: number }
  debitAmount: { value: string; assetCode: string; assetScale: number } | null
}

async function startTip(page: Page, query = ''): Promise<Started> {
  await page.goto(`${server.publicListenUrl}/tip${query}`)
  await page.locator('.tier').first().click()
  await page.locator('#wallet').fill(`${sandboxUrl()}/alice`)
  await page.locator('#name').fill('Alice 👨\u200d👩\u200d👧')
  const answer = page.waitForResponse(
    (response) => response.url().endsWith('/api/tips') && response.request().method() === 'POST',
  )
  await page.getByRole('button', { name: 'Send tip' }).click()
  const response = await answer
  expect(response.status()).toBe(201)
  return (await response.json()) as Started
}

test('before the wallet opens, the viewer sees what it will charge and why', async ({ page }) => {
  const errors = watchErrors(page)
  await page.setViewportSize({ width: 390, height: 800 })
  let popups = 0
  page.on('popup', () => (popups += 1))
  const started = await startTip(page)
  expect(started.debitAmount).not.toBeNull()
  const debit = started.debitAmount as NonNullable<Started['debitAmount']>
  const extra = BigInt(debit.value) - BigInt(started.amount.value)
  expect(extra).toBeGreaterThan(0n)

  const confirm = page.locator('#confirm')
  await expect(confirm.getByRole('heading', { name: 'Check the amount' })).toBeVisible()
  const euros = (minor: bigint) => `€${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`
  await expect(page.locator('#confirm-tip')).toHaveText(euros(BigInt(started.amount.value)))
  await expect(page.locator('#confirm-debit')).toHaveText(euros(BigInt(debit.value)))
  await expect(page.locator('#confirm-why')).toHaveText(
    `The extra ${euros(extra)} is your wallet's own fee for sending the payment. This page takes no fee.`,
  )
  await expect(page.locator('.sub')).not.toContainText('No account, no fee')
  expect(popups).toBe(0)
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tip-page-charge.png') })

  // Approving opens the wallet; the status repeats the charge.
  const popupPromise = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await expect(page.locator('#status-text')).toContainText(`approve ${euros(BigInt(debit.value))}`)
  await popup.getByRole('button', { name: 'Approve' }).click()
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'completed', {
    timeout: 30_000,
  })
  // A decision closes the window too: that is not "closed without deciding".
  await expect(page.locator('#status-title')).toHaveText('Thank you!')
  expect(errors).toEqual([])
})

test('closing the wallet window without deciding offers to start over, which cancels the tip', async ({
  page,
}) => {
  const errors = watchErrors(page)
  await page.setViewportSize({ width: 390, height: 800 })
  // Opened as Owncast 0.3 opens an External Action: the chat user id comes along with the tip.
  const started = await startTip(
    page,
    '?instance=https%3A%2F%2Flive.example.org&username=mika&userId=tHK3o1wNg',
  )
  const view = await page.request.get(`${server.publicListenUrl}/api/tips/${started.flowId}`)
  expect(await view.json()).toMatchObject({ chatUserId: 'tHK3o1wNg' })
  const popupPromise = page.waitForEvent('popup')
  await page.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await expect(page.locator('#status-title')).toHaveText('Approve in your wallet')
  await popup.close()

  await expect(page.locator('#status-title')).toHaveText('Your wallet window was closed')
  await expect(page.locator('#status-text')).toContainText('nothing was paid')
  await expect(page.getByRole('link', { name: 'Reopen my wallet' })).toBeVisible()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tip-page-wallet-closed.png') })

  const abandoned = page.waitForResponse((response) => response.url().endsWith('/abandon'))
  await page.getByRole('button', { name: 'Start over' }).click()
  expect((await abandoned).status()).toBe(200)
  await expect(page.locator('#tip-form')).toBeVisible()
  await expect(page.locator('#name')).toHaveValue('Alice 👨\u200d👩\u200d👧')
  const flow = await page.request.get(`${server.publicListenUrl}/api/tips/${started.flowId}`)
  expect(await flow.json()).toMatchObject({ state: 'rejected', error: { code: 'abandoned' } })
  expect(errors).toEqual([])
})
