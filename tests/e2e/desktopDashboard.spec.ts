import path from 'node:path'
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
} from '@playwright/test'
import type { AppSettings } from '../../server/contracts/dashboard.js'
import type { DesktopBridge, UpdateStatusView } from '../../server/contracts/desktop.js'
import { launchServer, type LaunchedServer } from './support/server.js'

/**
 * What the dashboard shows only in the desktop app (Settings switches, "update ready") and what it
 * does only in a plain browser (tip notifications, since headless mode has no tray). The desktop app
 * is the real dashboard with `window.wmDesktop` injected in the preload's exact shape (typed from
 * the contract); the headless side is the real dashboard against a real sandbox tip.
 */
const SCREENSHOTS = path.join('test-results', 'screenshots')

let server: LaunchedServer
let cookies: Cookie[]

test.describe.configure({ mode: 'serial' })

test.beforeAll(async ({ browser }) => {
  server = await launchServer({ WM_SANDBOX: '1', WM_SANDBOX_PORT: '0' })
  // Signed in once; every context below reuses the session cookie.
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(server.loginUrl)
  await expect(page.getByTestId('connection')).toBeVisible()
  cookies = await context.cookies()
  await context.close()
})

test.afterAll(async () => {
  await server?.stop()
})

async function signedInContext(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  await context.addCookies(cookies)
  return context
}

async function settingsOnServer(page: Page): Promise<AppSettings> {
  return (await (await page.request.get(`${server.localUrl}/api/settings`)).json()) as AppSettings
}

/** The preload's bridge, driven by the test: update status from `window.__updateView`. */
async function injectDesktopBridge(context: BrowserContext, view: UpdateStatusView) {
  await context.addInitScript((initial: UpdateStatusView) => {
    const state = window as unknown as {
      __updateView: UpdateStatusView
      __installRequests: number
    }
    state.__updateView = initial
    state.__installRequests = 0
    const bridge: DesktopBridge = {
      isDesktop: true,
      platform: 'linux',
      copyText: async () => undefined,
      openExternal: async () => true,
      setAlertsPaused: async (paused) => paused,
      updateStatus: async () => state.__updateView,
      installUpdate: async () => {
        state.__installRequests += 1
        return state.__updateView.canInstallNow
      },
    }
    Object.defineProperty(window, 'wmDesktop', { value: Object.freeze(bridge) })
  }, view)
}

const readyWhileLive: UpdateStatusView = {
  status: 'ready',
  version: '0.2.0',
  error: null,
  message: 'Update 0.2.0 ready: it installs after your stream ends, or when you quit.',
  canInstallNow: false,
}

test.describe('in the desktop app', () => {
  test('Settings has "Start when I log in" (off) and "Install updates automatically" (on), saved on the server', async ({
    browser,
  }) => {
    const context = await signedInContext(browser)
    await injectDesktopBridge(context, { ...readyWhileLive, status: 'up-to-date' })
    const page = await context.newPage()
    await page.goto(`${server.localUrl}/#/settings`)
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: 'Desktop app' }),
    })
    const atLogin = card.getByRole('checkbox', { name: /Start when I log in/ })
    const updates = card.getByRole('checkbox', { name: /Install updates automatically/ })
    await expect(atLogin).not.toBeChecked()
    await expect(updates).toBeChecked()
    // Headless-only offers stay away from the desktop app: the tray notifies there.
    await expect(page.getByRole('button', { name: 'Turn on notifications' })).toHaveCount(0)

    // Controlled by the server's answer: each box changes once the PATCH came back.
    await atLogin.click()
    await expect(atLogin).toBeChecked()
    expect((await settingsOnServer(page)).openAtLogin).toBe(true)
    await updates.click()
    await expect(updates).not.toBeChecked()
    expect((await settingsOnServer(page)).autoUpdate).toBe(false)
    await card.screenshot({ path: path.join(SCREENSHOTS, 'settings-desktop-app.png') })

    // A reload reads them back from the server.
    await page.reload()
    await expect(atLogin).toBeChecked()
    await expect(updates).not.toBeChecked()
    await updates.click()
    await expect(updates).toBeChecked()
    await atLogin.click()
    await expect(atLogin).not.toBeChecked()
    await expect
      .poll(async () => settingsOnServer(page))
      .toMatchObject({ openAtLogin: false, autoUpdate: true })
    await context.close()
  })

  test('"Update ready" says when it installs; "Restart now" only when no stream is live', async ({
    browser,
  }) => {
    const context = await signedInContext(browser)
    await injectDesktopBridge(context, readyWhileLive)
    const page = await context.newPage()
    await page.goto(`${server.localUrl}/#/dashboard`)
    const banner = page.getByTestId('update-banner')
    await expect(banner).toContainText('Update 0.2.0 ready: it installs after your stream ends')
    await expect(banner.getByRole('button', { name: 'Restart now' })).toHaveCount(0)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'update-ready-live.png') })

    await context.close()

    // The stream ended: the same update may now install at once.
    const offline = await signedInContext(browser)
    await injectDesktopBridge(offline, {
      ...readyWhileLive,
      message: 'Update 0.2.0 ready: it installs when you quit, or after your next stream ends.',
      canInstallNow: true,
    })
    const again = await offline.newPage()
    await again.goto(`${server.localUrl}/#/dashboard`)
    const ready = again.getByTestId('update-banner')
    await expect(ready).toContainText('it installs when you quit')
    await again.screenshot({ path: path.join(SCREENSHOTS, 'update-ready-offline.png') })
    await ready.getByRole('button', { name: 'Restart now' }).click()
    await expect
      .poll(() =>
        again.evaluate(
          () => (window as unknown as { __installRequests: number }).__installRequests,
        ),
      )
      .toBe(1)
    await offline.close()
  })
  test('no banner when nothing is ready', async ({ browser }) => {
    const context = await signedInContext(browser)
    await injectDesktopBridge(context, { ...readyWhileLive, status: 'downloading' })
    const page = await context.newPage()
    await page.goto(`${server.localUrl}/#/dashboard`)
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
    await expect(page.getByTestId('update-banner')).toHaveCount(0)
    await context.close()
  })
})

/** Every Notification the page creates and every permission request, reported to the test. */
async function recordNotifications(context: BrowserContext) {
  const created: { title: string; body: string; tag: string }[] = []
  let permissionRequests = 0
  await context.exposeFunction('__wmNotified', (title: string, body: string, tag: string) => {
    created.push({ title, body, tag })
  })
  await context.exposeFunction('__wmPermissionRequested', () => {
    permissionRequests += 1
  })
  await context.addInitScript(() => {
    const Real = window.Notification
    const report = window as unknown as {
      __wmNotified(title: string, body: string, tag: string): void
      __wmPermissionRequested(): void
    }
    // The real constructor runs: the browser really creates the notification.
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        report.__wmNotified(title, options?.body ?? '', options?.tag ?? '')
      }
      static override requestPermission(
        callback?: NotificationPermissionCallback,
      ): Promise<NotificationPermission> {
        report.__wmPermissionRequested()
        return Real.requestPermission(callback)
      }
    }
    window.Notification = Recorded
  })
  return { created, permissionRequests: () => permissionRequests }
}

test.describe('headless, in a browser', () => {
  test('offers notifications once, from a button, and never prompts on load', async ({
    browser,
  }) => {
    const context = await signedInContext(browser)
    const record = await recordNotifications(context)
    const page = await context.newPage()
    await page.goto(`${server.localUrl}/#/dashboard`)
    const offer = page.getByRole('region', { name: 'Tip notifications' })
    await expect(offer).toBeVisible()
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notification-offer.png') })
    expect(record.permissionRequests()).toBe(0)

    await offer.getByRole('button', { name: 'Not now' }).click()
    await expect(offer).toHaveCount(0)
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
    await expect(offer).toHaveCount(0)
    expect(record.permissionRequests()).toBe(0)

    // Still on offer where settings live, and no desktop-only switches there.
    await page.goto(`${server.localUrl}/#/settings`)
    await expect(page.getByRole('heading', { name: 'Desktop app' })).toHaveCount(0)
    await expect(page.getByRole('checkbox', { name: /Start when I log in/ })).toHaveCount(0)
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: 'Notifications in this browser' }),
    })
    await card.getByRole('button', { name: 'Turn on notifications' }).click()
    await expect.poll(() => record.permissionRequests()).toBe(1)
    await context.close()
  })

  test('a sandbox tip raises a browser notification; paused alerts raise none', async ({
    browser,
  }) => {
    const context = await signedInContext(browser, { permissions: ['notifications'] })
    const record = await recordNotifications(context)
    const page = await context.newPage()
    await page.goto(`${server.localUrl}/#/dashboard`)
    await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'live')
    // Permission is already granted: nothing to offer, nothing to ask.
    await expect(page.getByRole('region', { name: 'Tip notifications' })).toHaveCount(0)

    // A real sandbox tip: the public tip API, the sandbox's consent form, the wallet's callback.
    const tipPage = (await (await fetch(`${server.publicListenUrl}/api/tip-page`)).json()) as {
      sandboxWallets: string[] | null
    }
    const viewer = tipPage.sandboxWallets?.find((address) => address.endsWith('/alice'))
    expect(viewer, 'a sandbox viewer wallet').toBeTruthy()
    const started = (await (
      await fetch(`${server.publicListenUrl}/api/tips`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: '2', viewerWallet: viewer, name: 'Notify Tester' }),
      })
    ).json()) as { consentUrl: string }
    const consent = await (await fetch(started.consentUrl)).text()
    const action = /<form method="post" action="([^"]+)"/.exec(consent)?.[1]?.replace(/&amp;/g, '&')
    expect(action, 'the consent form').toBeTruthy()
    const decided = await fetch(new URL(action!, started.consentUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
      redirect: 'manual',
    })
    await fetch(String(decided.headers.get('location')))
    await expect
      .poll(() => record.created, { timeout: 30_000 })
      .toContainEqual({
        title: expect.stringMatching(/^(New|Test) tip: .*2\.00/) as unknown as string,
        body: expect.stringContaining('Notify Tester') as unknown as string,
        tag: expect.stringMatching(/^wm-support-\d+$/) as unknown as string,
      })
    expect(record.created).toHaveLength(1)

    // Paused alerts keep this browser quiet, as they keep the tray quiet.
    const mutate = (method: 'PATCH' | 'POST', url: string, data: unknown) =>
      page.request.fetch(`${server.localUrl}${url}`, {
        method,
        data,
        headers: { origin: server.localUrl },
      })
    expect((await mutate('PATCH', '/api/settings', { alertsPaused: true })).status()).toBe(200)
    expect((await mutate('POST', '/api/alerts/test', { name: 'While paused' })).status()).toBe(201)
    expect((await mutate('PATCH', '/api/settings', { alertsPaused: false })).status()).toBe(200)
    expect((await mutate('POST', '/api/alerts/test', { name: 'After resume' })).status()).toBe(201)
    await expect
      .poll(() => record.created.map((note) => note.title))
      .toEqual([expect.stringMatching(/tip: /), expect.stringMatching(/^Test alert: /)])
    expect(record.created[1]?.body).toContain('After resume')
    await context.close()
  })
})
