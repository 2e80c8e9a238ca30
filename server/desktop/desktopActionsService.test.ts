import { afterEach, describe, expect, it } from 'vitest'
import { TEST_ALERT } from '../alerts/alertService.js'
import type { DomainEvents } from '../contracts/events.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import { overlayAlertsUrl } from './desktopActionsService.js'

let test: TestServer | undefined
afterEach(async () => {
  await test?.close()
  test = undefined
})

async function status(server: TestServer): Promise<{ alertsPaused: boolean }> {
  const response = await rawRequest({
    url: server.local('/api/status'),
    headers: { cookie: server.adminCookie },
  })
  expect(response.status).toBe(200)
  return response.json<{ alertsPaused: boolean }>()
}

describe('tray actions against a running server', () => {
  it('pauses and resumes alerts like the dashboard does: setting stored, bus told', async () => {
    test = await startTestServer()
    const seen: boolean[] = []
    test.server.bus.on('alerts.paused', ({ paused }) => seen.push(paused))

    expect(test.server.desktop.setAlertsPaused(true)).toBe(true)
    expect((await status(test)).alertsPaused).toBe(true)
    expect(test.server.desktop.alertsPaused()).toBe(true)
    test.server.desktop.setAlertsPaused(false)
    expect((await status(test)).alertsPaused).toBe(false)
    expect(seen).toEqual([true, false])
  })

  it('sends a test alert recorded as a test, which the tray then announces', async () => {
    test = await startTestServer()
    const alerts: DomainEvents['alert.test'][] = []
    test.server.desktop.on('alert.test', (event) => alerts.push(event))

    const event = test.server.desktop.sendTestAlert()
    expect(alerts).toEqual([event])
    expect(event.isTest).toBe(true)
    expect(event.supporterName).toBe(TEST_ALERT.supporterName)
    const asset = test.server.context.streamerAsset()
    expect(event.amount).toEqual({
      value: (5n * 10n ** BigInt(asset.assetScale)).toString(),
      assetCode: asset.assetCode,
      assetScale: asset.assetScale,
    })
    // Two presses are two alerts, never deduplicated into one.
    expect(test.server.desktop.sendTestAlert().id).not.toBe(event.id)
  })

  it('copies an alert box URL carrying the current overlay key', async () => {
    test = await startTestServer()
    const url = new URL(test.server.desktop.overlayAlertsUrl())
    expect(url.origin).toBe(test.server.localUrl)
    expect(url.pathname).toBe('/overlay/alerts')
    expect(test.server.context.overlayKeys.verify(url.searchParams.get('key'))).toBe(true)

    // After a key rotation, the copied URL changes and the old one no longer verifies.
    const rotated = test.server.context.overlayKeys.rotate()
    const next = new URL(test.server.desktop.overlayAlertsUrl())
    expect(next.searchParams.get('key')).toBe(rotated)
    expect(test.server.context.overlayKeys.verify(url.searchParams.get('key'))).toBe(false)
  })

  it('escapes the key and tolerates a trailing slash', () => {
    expect(overlayAlertsUrl('http://127.0.0.1:8085/', 'a+b/c')).toBe(
      'http://127.0.0.1:8085/overlay/alerts?key=a%2Bb%2Fc',
    )
  })
})
