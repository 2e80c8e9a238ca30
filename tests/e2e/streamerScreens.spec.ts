import { generateKeyPairSync } from 'node:crypto'
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
  const context = guardConsole(
    await browser.newContext({
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
    }),
  )
  page = await context.newPage()
  await page.goto(server.loginUrl)
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live')
})

test.afterAll(async () => {
  await page?.context().close()
  await server?.stop()
})

test('setup step 1 offers one clear choice; each path shows only its fields and one primary action', async () => {
  await page.goto(`${server.localUrl}/#/setup`)
  const step = page.locator('.wizard-step')
  const choice = step.getByTestId('wallet-choice')
  await expect(choice.getByRole('radio', { name: /My wallet/ })).toBeVisible()
  // Offered without WM_SANDBOX=1.
  await expect(
    choice.getByRole('radio', { name: /Rehearse with the sandbox wallet/ }),
  ).toBeVisible()
  // Before a choice: no banner, no key form.
  await expect(step.getByTestId('wallet-status')).toHaveCount(0)
  await expect(step.getByRole('textbox', { name: 'Wallet address' })).toHaveCount(0)
  await expect(step.locator('button.primary')).toHaveCount(0)
  await page.screenshot({ path: path.join(SCREENSHOTS, 'wizard-choice.png') })

  await choice.getByRole('radio', { name: /My wallet/ }).check()
  await expect(step.getByRole('textbox', { name: 'Wallet address' })).toBeVisible()
  await expect(step.getByRole('button', { name: 'Use the sandbox wallet' })).toHaveCount(0)
  await expect(step.locator('button.primary')).toHaveText(['Save and check the wallet'])
  // The key can come from a file (picker or drop) as well as pasted.
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  await step.getByTestId('private-key-file').setInputFiles({
    name: 'private.key',
    mimeType: 'application/x-pem-file',
    buffer: Buffer.from(pem),
  })
  await expect(step.getByRole('textbox', { name: /Private key/ })).toHaveValue(pem.trim())
  await expect(step.getByText('Read private.key.')).toBeVisible()
  const der = privateKey.export({ format: 'der', type: 'pkcs8' })
  await step.locator('textarea[name="privateKey"]').dispatchEvent('drop', {
    dataTransfer: await page.evaluateHandle(
      (bytes) => {
        const transfer = new DataTransfer()
        transfer.items.add(new File([new Uint8Array(bytes)], 'key.der'))
        return transfer
      },
      [...der],
    ),
  })
  await expect(step.getByRole('textbox', { name: /Private key/ })).toHaveValue(
    der.toString('base64'),
  )
  await page.screenshot({ path: path.join(SCREENSHOTS, 'wizard-my-wallet.png') })

  await choice.getByRole('radio', { name: /Rehearse with the sandbox wallet/ }).check()
  await expect(step.getByRole('textbox', { name: 'Wallet address' })).toHaveCount(0)
  await expect(step.locator('button.primary')).toHaveText(['Use the sandbox wallet'])
  await step.getByRole('button', { name: 'Use the sandbox wallet' }).click()
  await expect(step.getByTestId('wallet-status')).toContainText('Using the sandbox wallet')
  await expect(step.locator('button.primary')).toHaveText(['Continue'])
  await page.screenshot({ path: path.join(SCREENSHOTS, 'wizard-sandbox-ready.png') })
})

test('the dashboard before any tip: the tip page link, a sandbox tip to try, one average rule, daily bars', async () => {
  await page.goto(`${server.localUrl}/#/dashboard`)
  const link = page.getByTestId('tip-page-link')
  const tipUrl = `${server.publicListenUrl}/tip`
  await expect(link.getByRole('textbox', { name: /Tip page link/ })).toHaveValue(tipUrl)
  await link.getByRole('button', { name: 'Copy' }).click()
  await expect(link.getByText('Copied.')).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tipUrl)
  await expect(link.getByRole('link', { name: 'Open the tip page' })).toHaveAttribute(
    'href',
    tipUrl,
  )

  // No support yet: the card and the table agree there is no average.
  await expect(page.getByTestId('stat-average')).toContainText('—')
  await expect(page.getByTestId('glance').locator('tbody tr td:nth-child(5)')).toHaveText([
    '—',
    '—',
    '—',
    '—',
  ])
  // Seven days are drawn by day, not as 169 hourly slivers.
  await expect(page.getByTestId('chart')).toHaveAttribute('data-bucket', 'day')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-empty.png'), fullPage: true })

  // The sandbox is the wallet (chosen in the wizard): the tip page opens, ready to rehearse.
  const popupPromise = page.waitForEvent('popup')
  await link.getByTestId('try-sandbox-tip').click()
  const tipPage = await popupPromise
  await expect(tipPage).toHaveURL(tipUrl)
  await expect(tipPage.locator('#streamer-name')).toHaveText('Sandbox Streamer')
  await expect(tipPage.locator('#sandbox-hint')).toBeVisible()
  await tipPage.close()

  // Every listener serves a favicon (no 404 on any page).
  for (const base of [server.localUrl, server.publicListenUrl]) {
    const icon = await page.request.get(`${base}/favicon.ico`)
    expect(icon.status(), base).toBe(200)
    expect(icon.headers()['content-type']).toBe('image/png')
  }

  await page.goto(`${server.localUrl}/#/integrations`)
  await expect(
    page.getByTestId('tip-page-link').getByRole('textbox', { name: /Tip page link/ }),
  ).toHaveValue(tipUrl)
})

test('switching the Events page to platform events after a tip keeps the page', async () => {
  insertSupport(server.dataDir, [{ amount: 250, name: 'Ada', minutesAgo: 3 }])
  await page.goto(`${server.localUrl}/#/events`)
  await expect(page.getByTestId('events-table')).toContainText('Ada')
  // One tip is a "Tip".
  await expect(page.getByTestId('events-table').locator('tbody tr td:nth-child(2)')).toHaveText([
    'Tip',
  ])
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

test('Owncast checks that fail are shown as failures, in plain words, with the field marked', async () => {
  await page.goto(`${server.localUrl}/#/integrations`)
  const form = page.getByRole('form', { name: 'Owncast connection' })
  // No address yet: the check cannot run, which is a problem to fix, not a success.
  await form.getByRole('button', { name: 'Test the connection' }).click()
  const connection = form.locator('.action').filter({ hasText: 'Test the connection' })
  await expect(connection.locator('[data-tone]')).toHaveAttribute('data-tone', 'error')
  await expect(connection.locator('[data-tone]')).toContainText('Enter the address')

  // A loopback-only test webhook is a warning that says what was (not) proven.
  await form.getByRole('button', { name: 'Send a test webhook' }).click()
  const webhook = form.locator('.action').filter({ hasText: 'Send a test webhook' })
  await expect(webhook.locator('[data-tone]')).toHaveAttribute('data-tone', 'warning', {
    timeout: 15_000,
  })
  await expect(webhook.locator('[data-tone]')).toContainText('on this machine only')
  await expect(webhook.locator('[data-tone]')).not.toContainText('Owncast can reach')

  // A wrong address: the form's own words, the field marked, the codes in a detail line.
  const address = form.getByRole('textbox', { name: 'Owncast server address' })
  await address.fill('live example org')
  await form.getByRole('button', { name: 'Save' }).click()
  const problem = form.locator('.outcome-message[data-tone="error"]').first()
  await expect(problem).toContainText('The Owncast server address must be the address')
  await expect(problem).not.toContainText('body.baseUrl must')
  await expect(problem.getByTestId('outcome-detail')).toHaveText(
    'invalid_setting · baseUrl · HTTP 400',
  )
  await expect(address).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'integrations-outcomes.png'),
    fullPage: true,
  })
})

test('a used sign-in link goes on to the dashboard when signed in, else explains how to get a new one', async ({
  browser,
}) => {
  // This page signed in with the link in beforeAll: opening it again just goes on.
  await page.goto(server.loginUrl)
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live')
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toHaveCount(0)
  await expect(page.locator('body')).not.toContainText('invalid_login_token')

  const other = guardConsole(await browser.newContext())
  const stranger = await other.newPage()
  await stranger.goto(server.loginUrl)
  await expect(stranger.getByRole('heading', { name: 'You are signed out' })).toBeVisible()
  await expect(stranger.getByTestId('link-used')).toContainText('already used')
  await expect(stranger.getByText('npm run sign-in-link')).toBeVisible()
  await expect(stranger.locator('body')).not.toContainText('{"')
  await stranger.screenshot({ path: path.join(SCREENSHOTS, 'signed-out-used-link.png') })
  await other.close()
})

test('a tier no viewer could pay is refused in plain words with its amount marked; the limits can be changed', async () => {
  await page.goto(`${server.localUrl}/#/settings`)
  const amount = page.getByRole('textbox', { name: 'Amount of tier 2' })
  await amount.fill('5000')
  await page.getByRole('button', { name: 'Save tiers' }).click()
  const refused = page.locator('.tier-editor [data-tone="error"]')
  await expect(refused).toContainText('The amount of tier 2 must be between the smallest tip')
  await expect(refused).not.toContainText('body.tiers')
  await expect(refused.getByTestId('outcome-detail')).toHaveText(
    'invalid_amount · tiers.1.amount · HTTP 400',
  )
  await expect(amount).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tiers-refused.png'), fullPage: true })

  // The streamer raises the largest tip; the same tier is then saved.
  const limits = page.getByRole('form', { name: 'Tip limits' })
  await limits.getByRole('textbox', { name: 'Largest tip' }).fill('5000')
  await limits.getByRole('button', { name: 'Save tip limits' }).click()
  await expect(limits.locator('[data-tone="success"]')).toContainText('Saved.')
  await amount.fill('5000')
  await page.getByRole('button', { name: 'Save tiers' }).click()
  await expect(page.locator('.tier-editor [data-tone="success"]')).toContainText('Saved')
  await expect(amount).not.toHaveAttribute('aria-invalid', 'true')
})

test('the chat card says why messages wait and retries them', async () => {
  const headers = { origin: server.localUrl }
  // An Owncast that is not running: the message waits, with the reason.
  expect(
    (
      await page.request.patch(`${server.localUrl}/api/integrations/owncast`, {
        headers,
        data: { baseUrl: 'http://127.0.0.1:9' },
      })
    ).status(),
  ).toBe(200)
  expect(
    (
      await page.request.put(`${server.localUrl}/api/integrations/owncast/access-token`, {
        headers,
        data: { value: 'token-for-an-owncast-that-is-down' },
      })
    ).status(),
  ).toBe(200)
  const queued = await page.request.post(
    `${server.localUrl}/api/integrations/owncast/test-message`,
    { headers },
  )
  expect(queued.status()).toBe(200)
  await page.goto(`${server.localUrl}/#/integrations`)
  const card = page
    .locator('.card')
    .filter({ has: page.getByRole('heading', { name: 'Chat messages' }) })
  await expect(async () => {
    await page.reload()
    await expect(card.locator('[data-tone]')).toContainText('Last error:', { timeout: 1000 })
  }).toPass({ timeout: 15_000 })
  await expect(card.getByTestId('outbox-counts')).toContainText('1 waiting to be sent')
  await card.getByRole('button', { name: 'Retry now' }).click()
  await expect(card.locator('[data-tone="success"]')).toContainText('Trying 1 message again now.')
  await card.screenshot({ path: path.join(SCREENSHOTS, 'chat-card.png') })
})

test('one wallet is shown under one name on every screen (the ledger rule)', async () => {
  const wallet = 'https://wallet.example/grace'
  insertSupport(server.dataDir, [
    { amount: 400, name: 'grace', key: wallet, minutesAgo: 30 },
    { amount: 300, name: 'Grace Hopper', key: wallet, minutesAgo: 2 },
    { amount: 350, name: '', key: 'https://wallet.example/anon', minutesAgo: 1 },
  ])
  await page.goto(`${server.localUrl}/#/dashboard`)
  await page.getByRole('radio', { name: 'Last 24 hours' }).click()
  const top = page.locator('.top-list li')
  await expect(top.first().locator('.name')).toHaveText('Grace Hopper')
  const dashboardNames = await top.locator('.name').allTextContents()

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Supporters' })
    .click()
  const board = page.getByTestId('leaderboard')
  await expect(board).toBeVisible()
  const boardNames = await board.locator('tbody th').allTextContents()
  // The same people, by the same names, in both lists; never the older "grace".
  expect(new Set(boardNames)).toEqual(new Set(dashboardNames))
  expect(boardNames).toContain('Grace Hopper')
  expect(boardNames).not.toContain('grace')
  // A supporter without a name has one stable label everywhere.
  const label = dashboardNames.find((name) => !['Grace Hopper', 'Ada'].includes(name))
  expect(label).toMatch(/^\S+ \S+ \d+$/)
  expect(boardNames).toContain(label)
})
