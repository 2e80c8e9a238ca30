import path from 'node:path'
import Database from 'better-sqlite3'
import { expect, test, type Page } from '@playwright/test'
import type { SupportKind } from '../../server/contracts/common.js'
import { OVERLAY_REGISTRY, sizeText } from '../../server/contracts/overlays.js'
import { createSupportEventRepository } from '../../server/support/supportRepository.js'
import { settingsFor } from '../../server/testing/settings.js'
import { launchServer, type LaunchedServer } from './support/server.js'

/**
 * The dashboard in a real Chromium against the headless server (build first: `npx vite build`).
 * Support events are written into the server's SQLite file through the ledger's repository (WAL
 * allows a second writer): the ledger's triggers keep the aggregates exactly as recording does.
 */
const ROUTES = [
  'setup',
  'dashboard',
  'supporters',
  'events',
  'overlays',
  'integrations',
  'settings',
]
const SCREENSHOTS = path.join('test-results', 'screenshots')

let server: LaunchedServer
let signedIn: Page

test.describe.configure({ mode: 'serial' })

test.beforeAll(async ({ browser }) => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  signedIn = await context.newPage()
})

test.afterAll(async () => {
  await signedIn?.context().close()
  await server?.stop()
})

let sourceCounter = 0
function insertSupport(
  rows: { amount: number; kind?: SupportKind; name: string; minutesAgo: number }[],
) {
  const db = new Database(path.join(server.dataDir, 'wm-companion.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const { assetCode, assetScale } = settingsFor(db).get('wallet.streamerAsset')
    const now = Date.now()
    createSupportEventRepository(db).importEvents(
      rows.map((row) => {
        sourceCounter += 1
        return {
          sourceKey: `e2e:${sourceCounter}`,
          kind: row.kind ?? 'tip',
          amountValue: BigInt(row.amount),
          assetCode,
          assetScale,
          supporterKey: `key:${row.name}`,
          supporterName: row.name,
          occurredAt: now - row.minutesAgo * 60_000,
        }
      }),
    )
  } finally {
    db.close()
  }
}

async function seriesTableSum(page: Page) {
  return page.locator('[data-testid="series-row"]').evaluateAll((rows) => ({
    value: rows
      .reduce((sum, row) => sum + BigInt(row.getAttribute('data-value') ?? '0'), 0n)
      .toString(),
    count: rows.reduce((sum, row) => sum + Number(row.getAttribute('data-count') ?? '0'), 0),
  }))
}

test('the token URL opens the shell with the live indicator connected', async () => {
  await signedIn.goto(server.loginUrl)
  await expect(signedIn.getByTestId('connection')).toHaveAttribute('data-status', 'live')
  await expect(signedIn.getByTestId('connection')).toHaveText(/Live/)
  const nav = signedIn.getByRole('navigation', { name: 'Main' })
  for (const title of [
    'Setup',
    'Dashboard',
    'Supporters',
    'Events',
    'Overlays',
    'Integrations',
    'Settings',
  ])
    await expect(nav.getByRole('link', { name: title })).toBeVisible()
  // First run: the wizard comes first.
  await expect(signedIn).toHaveURL(/#\/setup$/)
  const status = await signedIn.request.get(`${server.localUrl}/api/status`)
  expect(status.status()).toBe(200)
})

test('without the token the page shows how to sign in and the API refuses', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${server.localUrl}/plugins/wm/admin`)
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible()
  await expect(page.getByText('open the link printed at start-up')).toBeVisible()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'signed-out')
  const status = await page.request.get(`${server.localUrl}/api/status`)
  expect(status.status()).toBe(401)
  await context.close()
})

test('the setup wizard walks through with the sandbox wallet', async () => {
  await signedIn.goto(`${server.localUrl}/#/setup`)
  const step = signedIn.locator('.wizard-step')
  await expect(step.getByRole('heading', { name: /Step 1 of 5: Wallet/ })).toBeVisible()
  // WM_SANDBOX=1 with no wallet set up: the sandbox already is the wallet, shown as the choice made.
  await expect(step.getByRole('radio', { name: /Rehearse with the sandbox wallet/ })).toBeChecked()
  await expect(signedIn.getByTestId('wallet-status')).toContainText('Using the sandbox wallet')
  await step.getByRole('button', { name: 'Continue', exact: true }).click()

  await expect(step.getByRole('heading', { name: /Public URL/ })).toBeVisible()
  await step.getByRole('button', { name: 'Check reachability' }).click()
  // No tunnel here: the check reaches the public listener locally and says WM_PUBLIC_URL is missing.
  await expect(signedIn.getByTestId('public-url-check')).toContainText('WM_PUBLIC_URL', {
    timeout: 15_000,
  })
  await step.getByRole('button', { name: 'Continue', exact: true }).click()

  await expect(step.getByRole('heading', { name: /OBS/ })).toBeVisible()
  await expect(step.locator('#obs-url')).toHaveValue(/key=/)
  // The one recommended size of the alert box, beside its URL.
  await expect(step.getByTestId('obs-size')).toHaveText(sizeText(OVERLAY_REGISTRY.alerts))
  await step.getByRole('button', { name: 'Fire a test alert' }).click()
  await expect(step.getByText(/^Sent\./)).toBeVisible()
  await step.getByRole('button', { name: 'Continue', exact: true }).click()

  await expect(step.getByRole('heading', { name: /Owncast/ })).toBeVisible()
  await step.getByRole('button', { name: 'Skip this step' }).click()
  await expect(step.getByRole('heading', { name: /Done/ })).toBeVisible()
  await step.getByRole('button', { name: 'Open the dashboard' }).click()
  await expect(signedIn).toHaveURL(/#\/dashboard$/)
  const settings = await signedIn.request.get(`${server.localUrl}/api/settings`)
  expect((await settings.json()) as { setupCompleted: boolean }).toMatchObject({
    setupCompleted: true,
  })
})

test("the chart's points equal the summary API's figures", async () => {
  insertSupport([
    { amount: 150, name: 'Ada', minutesAgo: 5 },
    { amount: 275, name: 'Bo', minutesAgo: 90, kind: 'web-monetization' },
    { amount: 500, name: 'Ada', minutesAgo: 60 * 30, kind: 'redemption' },
    { amount: 1000, name: 'Cy', minutesAgo: 60 * 24 * 20 },
  ])
  await signedIn.goto(`${server.localUrl}/#/dashboard`)
  for (const [label, timeframe] of [
    ['Last 24 hours', 'last_24h'],
    ['Last 7 days', 'last_7d'],
    ['Last 30 days', 'last_30d'],
  ] as const) {
    await signedIn.getByRole('radio', { name: label }).click()
    const summary = (await (
      await signedIn.request.get(`${server.localUrl}/api/analytics/summary?timeframe=${timeframe}`)
    ).json()) as { total: { value: string }; eventCount: number }
    await expect(signedIn.getByTestId('summary')).toHaveAttribute(
      'data-total-minor',
      summary.total.value,
    )
    await signedIn.getByText("Show the chart's data as a table").click()
    await expect
      .poll(() => seriesTableSum(signedIn))
      .toEqual({
        value: summary.total.value,
        count: summary.eventCount,
      })
    await signedIn.getByText("Show the chart's data as a table").click()
  }
  const day = (await (
    await signedIn.request.get(`${server.localUrl}/api/analytics/summary?timeframe=last_24h`)
  ).json()) as { eventCount: number; uniqueSupporters: number }
  expect(day).toMatchObject({ eventCount: 2, uniqueSupporters: 2 })
})

test('a new tip moves the chart without a reload', async () => {
  await signedIn.getByRole('radio', { name: 'Last 24 hours' }).click()
  await signedIn.getByText("Show the chart's data as a table").click()
  const before = await seriesTableSum(signedIn)
  await signedIn.evaluate(() => {
    ;(globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true
  })
  insertSupport([{ amount: 333, name: 'Dee', minutesAgo: 0 }])
  // Nothing in this process emits the bus event for a row written from outside: the dashboard's
  // reload-free refresh (SSE events, and a 10 s poll as the fallback) picks it up.
  await expect
    .poll(() => seriesTableSum(signedIn), { timeout: 25_000 })
    .toEqual({ value: (BigInt(before.value) + 333n).toString(), count: before.count + 1 })
  expect(
    await signedIn.evaluate(
      () => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage,
    ),
  ).toBe(true)
  await expect(signedIn.getByTestId('chart')).toHaveAttribute('data-points', /[1-9]/)
})

test('a real sandbox tip reaches the open dashboard over SSE', async () => {
  const sandbox = /Sandbox wallet \(play money\): (http:\/\/\S+?)\/?\s/.exec(server.output())?.[1]
  expect(sandbox, 'the sandbox wallet URL in the banner').toBeTruthy()
  await signedIn.getByRole('radio', { name: 'Last 24 hours' }).click()
  const before = await seriesTableSum(signedIn)

  // The viewer's side, in another tab: the tip page on the public listener, paid with play money.
  const tipPage = await signedIn.context().newPage()
  await tipPage.goto(`${server.publicListenUrl}/tip`)
  await tipPage.locator('#amount').fill('2')
  await tipPage.locator('#wallet').fill(`${sandbox}/alice`)
  await tipPage.locator('#name').fill('Sandbox Alice')
  await tipPage.getByRole('button', { name: 'Send tip' }).click()
  // The wallet opens once the viewer has seen what it will charge.
  const popupPromise = tipPage.waitForEvent('popup')
  await tipPage.getByRole('button', { name: 'Approve in my wallet' }).click()
  const popup = await popupPromise
  await popup.waitForLoadState('domcontentloaded')
  await popup.getByRole('button', { name: 'Approve' }).click()
  await expect(tipPage.locator('#status')).toHaveAttribute('data-state', 'completed', {
    timeout: 30_000,
  })
  await tipPage.close()

  // Announced from the SSE event itself (the poll fallback announces nothing), and charted.
  await expect(
    signedIn.getByRole('status').filter({ hasText: /New tip: .*2\.00 from Sandbox Alice/ }),
  ).toHaveCount(1)
  await expect
    .poll(() => seriesTableSum(signedIn))
    .toEqual({ value: (BigInt(before.value) + 200n).toString(), count: before.count + 1 })
  const summary = (await (
    await signedIn.request.get(`${server.localUrl}/api/analytics/summary?timeframe=last_24h`)
  ).json()) as { total: { value: string }; eventCount: number }
  expect(await seriesTableSum(signedIn)).toEqual({
    value: summary.total.value,
    count: summary.eventCount,
  })
  // Still the page marked in the previous test: nothing reloaded it.
  expect(
    await signedIn.evaluate(
      () => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage,
    ),
  ).toBe(true)
})

test('the Integrations page gives each OSP trigger a template to paste, secret header included', async () => {
  await signedIn.goto(`${server.localUrl}/#/integrations`)
  const templates = signedIn.locator('.osp-templates details')
  await expect(templates.first()).toBeVisible()
  const served = await signedIn.request.get(`${server.localUrl}/api/integrations/osp/templates`)
  const { templates: expected } = (await served.json()) as {
    templates: { title: string; payload: string; header: string }[]
  }
  await expect(templates).toHaveCount(expected.length)
  const first = templates.first()
  await first.locator('summary').click()
  await expect(first.getByLabel('Request Payload')).toHaveValue(expected[0]!.payload)
  await expect(first.getByLabel('Request Header')).toHaveValue(/X-Companion-Token/)
  await expect(first.getByRole('button', { name: 'Copy' })).toHaveCount(3)
})

test('Settings picks a tier theme, then renames, re-prices and reorders tiers', async () => {
  await signedIn.goto(`${server.localUrl}/#/settings`)
  const editor = signedIn.locator('.tier-editor')
  await editor.getByLabel('Theme').selectOption('space')
  await expect(editor.getByLabel('Theme')).toHaveValue('space')
  const tiersUrl = `${server.localUrl}/api/gamification/tiers`
  const read = async () =>
    (await (await signedIn.request.get(tiersUrl)).json()) as {
      mode: string
      theme: string
      tiers: { name: string; amount: number }[]
    }
  expect((await read()).theme).toBe('space')
  const second = await editor.getByLabel('Name of tier 2').inputValue()

  await editor.getByLabel('Name of tier 1').fill('Moon Pie')
  await editor.getByLabel('Amount of tier 1').fill('2.50')
  await editor.getByRole('button', { name: 'Move tier 2 up' }).click()
  await editor.getByRole('button', { name: 'Save tiers' }).click()
  await expect(editor.getByRole('status')).toContainText('Saved')
  const saved = await read()
  expect(saved.mode).toBe('custom')
  expect(saved.tiers[0]!.name).toBe(second)
  expect(saved.tiers[1]).toMatchObject({ name: 'Moon Pie', amount: 2.5 })

  // A wrong amount is refused with the server's message, and nothing changes.
  await editor.getByLabel('Amount of tier 1').fill('1.005')
  await editor.getByRole('button', { name: 'Save tiers' }).click()
  await expect(editor.getByRole('alert')).toBeVisible()
  expect((await read()).tiers).toEqual(saved.tiers)

  await editor.getByRole('button', { name: "Back to the theme's tiers" }).click()
  await expect.poll(async () => (await read()).mode).toBe('theme')
})

test('screenshots of every page in light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    await signedIn.emulateMedia({ colorScheme: scheme })
    for (const route of ROUTES) {
      await signedIn.goto(`${server.localUrl}/#/${route}`)
      await expect(signedIn.locator('main h1').first()).toBeVisible()
      await expect(signedIn.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0)
      await signedIn.screenshot({
        path: path.join(SCREENSHOTS, `${route}-${scheme}.png`),
        fullPage: true,
      })
    }
  }
  // A narrow window keeps the navigation and the figures readable.
  await signedIn.setViewportSize({ width: 420, height: 800 })
  await signedIn.goto(`${server.localUrl}/#/dashboard`)
  await expect(signedIn.getByTestId('stat-total')).toBeVisible()
  await signedIn.screenshot({
    path: path.join(SCREENSHOTS, 'dashboard-narrow.png'),
    fullPage: true,
  })
  await signedIn.setViewportSize({ width: 1280, height: 800 })
})

test('the pages are keyboard reachable', async () => {
  await signedIn.goto(`${server.localUrl}/#/dashboard`)
  // A page change moves focus to its heading, so screen readers announce where the user is.
  await expect(signedIn.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeFocused()
  await signedIn.getByRole('link', { name: 'Setup' }).focus()
  await signedIn.keyboard.press('Shift+Tab')
  await expect(signedIn.getByRole('link', { name: 'Skip to content' })).toBeFocused()
  await signedIn.keyboard.press('Tab')
  for (let i = 0; i < 3; i += 1) await signedIn.keyboard.press('Tab')
  await expect(signedIn.getByRole('link', { name: 'Events' })).toBeFocused()
  await signedIn.keyboard.press('Enter')
  await expect(signedIn).toHaveURL(/#\/events$/)
  await expect(signedIn.getByRole('heading', { name: 'Events', level: 1 })).toBeFocused()
  // The time frame buttons of the dashboard work from the keyboard too.
  await signedIn.goto(`${server.localUrl}/#/dashboard`)
  await signedIn.getByRole('radio', { name: 'All time' }).focus()
  await signedIn.keyboard.press('Enter')
  await expect(signedIn.getByRole('radio', { name: 'All time' })).toHaveAttribute(
    'aria-checked',
    'true',
  )
})
