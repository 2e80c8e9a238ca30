import path from 'node:path'
import Database from 'better-sqlite3'
import { expect, test, type Page } from '@playwright/test'
import { launchServer, type LaunchedServer } from './support/server.js'

/** The "Thank privately" switch in a real Chromium against the headless server (build first). */
const SCREENSHOTS = path.join('test-results', 'screenshots')

let server: LaunchedServer
let page: Page

test.describe.configure({ mode: 'serial' })

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

test('a private thank-you that went to public chat says why on the Chat messages card', async () => {
  // What the outbox keeps after a fallback: the row sent, its note in last_error.
  const db = new Database(path.join(server.dataDir, 'wm-companion.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const now = Date.now()
    db.prepare(
      `INSERT INTO integration_outbox (platform, kind, purpose, dedupe_key, body, state, attempts,
         next_attempt_at, last_error, created_at, updated_at, sent_at)
       VALUES ('owncast', 'system', 'tip-thanks-private:tHK3o1wNg', 'tip-thanks:e2e', 'Mika tipped €2.50!',
         'sent', 1, ?, ?, ?, ?, ?)`,
    ).run(
      now,
      'Sent in public chat instead of privately: the viewer has left the chat (Owncast: no chat connection 41, HTTP 404).',
      now,
      now,
      now,
    )
  } finally {
    db.close()
  }
  await page.goto(`${server.localUrl}/#/integrations`)
  const note = page.getByTestId('chat-last-note')
  await expect(note).toContainText('Sent in public chat instead of privately')
  await expect(note).toContainText('left the chat')
  await note.screenshot({ path: path.join(SCREENSHOTS, 'private-thanks-fallback-note.png') })
})
