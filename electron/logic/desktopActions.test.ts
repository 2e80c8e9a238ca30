import { afterEach, describe, expect, it } from 'vitest'
import type { DomainEvents } from '../../server/contracts/events.js'
import { rawRequest, startTestServer, type TestServer } from '../../server/testing/harness.js'
import {
  currentOverlayAlertsUrl,
  overlayAlertsUrl,
  sendTestAlert,
  setAlertsPaused,
  TEST_ALERT,
} from './desktopActions.js'
import { notificationFor } from './notifications.js'

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

    expect(setAlertsPaused(test.server.context, true)).toBe(true)
    expect((await status(test)).alertsPaused).toBe(true)
    setAlertsPaused(test.server.context, false)
    expect((await status(test)).alertsPaused).toBe(false)
    expect(seen).toEqual([true, false])
  })

  it('sends a test alert recorded as a test, which the tray then announces', async () => {
    test = await startTestServer()
    const alerts: DomainEvents['alert.test'][] = []
    test.server.bus.on('alert.test', (event) => alerts.push(event))

    const event = sendTestAlert(test.server.context)
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
    expect(sendTestAlert(test.server.context).id).not.toBe(event.id)

    const note = notificationFor('alert.test', event, { notificationsEnabled: true }, 'en-US')
    expect(note?.title).toMatch(/^Test alert: /)
    expect(note?.body).toBe(`${TEST_ALERT.supporterName}: ${TEST_ALERT.message}`)
  })

  it('copies an alert box URL carrying the current overlay key', async () => {
    test = await startTestServer()
    const url = new URL(currentOverlayAlertsUrl(test.server.context, test.server.localUrl))
    expect(url.origin).toBe(test.server.localUrl)
    expect(url.pathname).toBe('/overlay/alerts')
    expect(test.server.context.overlayKeys.verify(url.searchParams.get('key'))).toBe(true)

    // After a key rotation, the copied URL changes and the old one no longer verifies.
    const rotated = test.server.context.overlayKeys.rotate()
    const next = new URL(currentOverlayAlertsUrl(test.server.context, test.server.localUrl))
    expect(next.searchParams.get('key')).toBe(rotated)
    expect(test.server.context.overlayKeys.verify(url.searchParams.get('key'))).toBe(false)
  })

  it('escapes the key and tolerates a trailing slash', () => {
    expect(overlayAlertsUrl('http://127.0.0.1:8085/', 'a+b/c')).toBe(
      'http://127.0.0.1:8085/overlay/alerts?key=a%2Bb%2Fc',
    )
  })
})
