/**
 * A data folder written by version 0.1.0 (tests/fixtures/legacy-0.1.0, made by that version through its
 * own API, see its README) opens with this version with every setting, tier, secret, event and alert
 * intact. Addresses carry the ports of the run that made the folder: compared without them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileSecretStore } from '../../server/settings/secrets.js'
import { openHeadlessPreferences } from '../../server/settings/preferences.js'
import {
  makeTempDir,
  rawRequest,
  startTestServer,
  type TestServer,
} from '../../server/testing/harness.js'

const fixtureDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/legacy-0.1.0',
)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
const manifest = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as Json

/** Drops the origins of local URLs: ports differ between runs. */
function withoutPorts<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value).replace(/https?:\/\/127\.0\.0\.1:\d+/g, 'http://local'),
  ) as T
}

let t: TestServer
let dataDir: string

async function get(pathname: string): Promise<Json> {
  const response = await rawRequest({ url: t.local(pathname), headers: { cookie: t.adminCookie } })
  expect(response.status, `${pathname}: ${response.body}`).toBe(200)
  return response.json()
}

beforeAll(async () => {
  dataDir = makeTempDir('wm-legacy-')
  for (const file of fs.readdirSync(fixtureDir))
    if (!file.endsWith('.md') && file !== 'manifest.json')
      fs.copyFileSync(path.join(fixtureDir, file), path.join(dataDir, file))
  // The real preferences file (conf), as headless mode opens it.
  t = await startTestServer(
    { dataDir, sandboxPort: 0 },
    { preferences: openHeadlessPreferences(dataDir) },
  )
})

afterAll(async () => {
  await t?.close()
})

describe('a data folder written by 0.1.0', () => {
  it('keeps the dashboard switches, the wallet and the tip page settings', async () => {
    // Switches added since 0.1.0 read as their defaults: start at login off, updates on, the
    // viewer's name kept off the wallet's metadata.
    expect(await get('/api/settings')).toEqual({
      ...manifest.api.settings,
      openAtLogin: false,
      autoUpdate: true,
      shareNameWithWallet: false,
    })
    const wallet = await get('/api/wallet')
    expect(withoutPorts(wallet)).toEqual(withoutPorts(manifest.api.wallet))
    expect(await get('/api/tips/settings')).toEqual(manifest.api.tipSettings)
  })

  it('keeps tiers, gifter path, goals and the AI endpoint', async () => {
    const g = manifest.api.gamification
    expect(await get('/api/gamification/tiers')).toEqual(g.tiers)
    expect(await get('/api/gamification/gifter-path')).toEqual(g.gifterPath)
    expect(await get('/api/gamification/ai')).toEqual(g.ai)
    const goals = (await get('/api/gamification/goals')) as Json
    expect(goals.goals.map((goal: Json) => [goal.id, goal.title, goal.target])).toEqual(
      g.goals.goals.map((goal: Json) => [goal.id, goal.title, goal.target]),
    )
  })

  it('keeps alert settings, variants, overlay display settings, custom CSS and the overlay key', async () => {
    expect(await get('/api/alerts/settings')).toEqual(manifest.api.alerts.settings)
    expect(await get('/api/alerts/variants')).toEqual(manifest.api.alerts.variants)
    const stored = manifest.db.alertConfig.find((row: Json) => row.key === 'overlays.display')
    expect(await get('/api/overlays/display')).toEqual(JSON.parse(stored.value))
    for (const [overlay, css] of Object.entries(manifest.api.overlays.customCss as object)) {
      const answer = (await get(`/api/overlays/css/${overlay}`)) as Json
      expect(answer.css ?? answer).toEqual(css)
    }
    const links = (await get('/api/overlays/links')) as Json
    expect(links.overlays[0].url).toContain(`key=${manifest.overlayKey}`)
  })

  it('keeps the integrations, with the same webhook URL key', async () => {
    const overview = (await get('/api/integrations')) as Json
    const before = manifest.api.integrations.overview
    for (const field of [
      'baseUrl',
      'accessTokenConfigured',
      'signingSecretConfigured',
      'authMode',
      'thankYouEnabled',
      'chatTemplate',
      'tipCommandEnabled',
    ])
      expect(overview.owncast[field], field).toEqual(before.owncast[field])
    expect(withoutPorts(overview.owncast.webhookUrl)).toEqual(
      withoutPorts(before.owncast.webhookUrl),
    )
    expect(overview.osp.header).toEqual(before.osp.header)
  })

  it('keeps every secret, under its current name', () => {
    const secrets = createFileSecretStore(dataDir)
    const renamed: Record<string, string> = {
      'openPayments.privateKey': 'wallet.privateKey',
      'owncast.webhookSecret': 'owncast.signingSecret',
      'custom.owncast.webhookUrlKey': 'owncast.webhookUrlKey',
      'osp.webhookSecret': 'osp.token',
    }
    for (const [name, value] of Object.entries(manifest.secrets.values as Record<string, string>))
      expect(secrets.get((renamed[name] ?? name) as never), name).toBe(value)
    expect(secrets.names()).toHaveLength(manifest.secrets.names.length)
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600)
  })

  it('keeps every support event, the totals and the queued alerts', async () => {
    const events = (await get('/api/analytics/events?limit=100&includeTest=true')) as Json
    const before = manifest.api.analytics.eventsIncludingTest
    expect(withoutPorts(events.events ?? events.items)).toEqual(
      withoutPorts(before.events ?? before.items),
    )
    const summary = (await get('/api/analytics/summary?timeframe=all_time')) as Json
    const { totalAmount, eventCount, uniqueSupporters, currency } =
      manifest.api.analytics.summaryAllTime
    expect(summary).toMatchObject({ totalAmount, eventCount, uniqueSupporters, currency })
    const queue = (await get('/api/alerts/queue')) as Json
    expect(
      queue.queued.map((alert: Json) => [alert.id, alert.supportEventId, alert.state]),
    ).toEqual(
      manifest.api.alerts.queue.queued.map((alert: Json) => [
        alert.id,
        alert.supportEventId,
        alert.state,
      ]),
    )
  })

  it('keeps the preferences file and moves the server switches into the database', () => {
    const file = JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as Json
    expect(file).toEqual({
      'ui.theme': manifest.settingsJson.theme,
      'desktop.notifications': manifest.settingsJson.notificationsEnabled,
    })
  })
})
