import { afterEach, describe, expect, it } from 'vitest'
import { TEST_ALERT } from '../alerts/alertService.js'
import type { DomainEvents, SupportEventView } from './events.js'
import { startTestServer, type TestServer } from '../testing/harness.js'
import { notificationFor, plainViewerText } from './supportNotifications.js'

const base: SupportEventView = {
  id: 1,
  kind: 'tip',
  amount: { value: '150', assetCode: 'EUR', assetScale: 2 },
  supporterName: 'Alice',
  message: 'Great stream!',
  tierId: 'coffee',
  streamId: null,
  isTest: false,
  occurredAt: '2026-11-23T12:00:00.000Z',
}
const tip: DomainEvents['support.recorded'] = {
  ...base,
  tip: { flowId: 'flow-1', tierName: 'Coffee Shot ☕', perk: null },
}
const on = { notificationsEnabled: true, alertsPaused: false }

describe('notificationFor', () => {
  it('announces a completed tip with its exact amount, viewer, tier and message', () => {
    expect(notificationFor('support.recorded', tip, on, 'en-US')).toEqual({
      title: 'New tip: €1.50',
      body: 'Alice (Coffee Shot ☕): Great stream!',
    })
  })

  it('formats large amounts exactly, without float rounding', () => {
    const big = { ...tip, amount: { value: '123456789012345678', assetCode: 'USD', assetScale: 2 } }
    expect(notificationFor('support.recorded', big, on, 'en-US')?.title).toBe(
      'New tip: $1,234,567,890,123,456.78',
    )
  })

  it('announces a test alert as a test', () => {
    const note = notificationFor(
      'alert.test',
      { ...base, isTest: true, supporterName: 'Test Viewer', message: null },
      on,
      'en-US',
    )
    expect(note).toEqual({ title: 'Test alert: €1.50', body: 'Test Viewer' })
  })

  it('says "Someone" for an anonymous tip', () => {
    const note = notificationFor(
      'support.recorded',
      {
        ...tip,
        supporterName: null,
        tip: { flowId: 'flow-1', tierName: null, perk: null },
        message: null,
      },
      on,
      'en-US',
    )
    expect(note?.body).toBe('Someone')
  })

  it('shows nothing when notifications are off', () => {
    const off = { notificationsEnabled: false, alertsPaused: false }
    expect(notificationFor('support.recorded', tip, off)).toBeNull()
    expect(notificationFor('alert.test', base, off)).toBeNull()
  })

  it('stays quiet while alerts are paused, and speaks again once they resume', () => {
    const paused = { notificationsEnabled: true, alertsPaused: true }
    expect(notificationFor('support.recorded', tip, paused)).toBeNull()
    expect(notificationFor('alert.test', base, paused)).toBeNull()
    expect(notificationFor('support.recorded', tip, on, 'en-US')?.title).toBe('New tip: €1.50')
  })

  it('labels a test tip (sandbox rehearsal) as a test, never as real money', () => {
    const note = notificationFor('support.recorded', { ...tip, isTest: true }, on, 'en-US')
    expect(note?.title).toBe('Test tip: €1.50')
  })

  it('does not notify streamed Web Monetization payments one by one', () => {
    const streamed = { ...tip, kind: 'web-monetization' as const, tip: null }
    expect(notificationFor('support.recorded', streamed, on, 'en-US')).toBeNull()
  })

  it('renders viewer text as one plain line, never markup', () => {
    const note = notificationFor(
      'support.recorded',
      {
        ...tip,
        supporterName: '<b>Mallory</b>\n\u202eevil',
        message: '<a href="https://evil.test">click</a> & <img src=x onerror=alert(1)>',
      },
      on,
      'en-US',
    )
    expect(note?.body).not.toMatch(/[<>&\n\u202e]/)
    expect(note?.body).toContain('Mallory')
    expect(note?.body).toContain('click')
  })
})

describe('plainViewerText', () => {
  it('collapses whitespace and bounds the length', () => {
    expect(plainViewerText('  a\t\tb\r\nc  ', 10)).toBe('a b c')
    const long = plainViewerText('x'.repeat(500), 40)
    expect([...long]).toHaveLength(40)
    expect(long.endsWith('…')).toBe(true)
    expect(plainViewerText('😀'.repeat(50), 10)).toBe(`${'😀'.repeat(9)}…`)
    expect(plainViewerText(null, 10)).toBe('')
  })

  it("keeps joined emoji whole, as the app's one text rule does", () => {
    expect(plainViewerText('👨\u200d👩\u200d👧 and 🏳\ufe0f\u200d🌈', 40)).toBe(
      '👨\u200d👩\u200d👧 and 🏳\ufe0f\u200d🌈',
    )
  })
})

describe('Web Monetization alerts', () => {
  const queued: DomainEvents['alert.updated'] = {
    id: 7,
    supportEventId: 3,
    source: 'web-monetization',
    state: 'queued',
    reason: null,
    replayOf: null,
    isTest: false,
    createdAt: '2026-11-23T12:00:00.000Z',
    shownAt: null,
    autoApproveAt: null,
    alert: {
      id: 7,
      variantId: null,
      headline: [
        { kind: 'name', text: 'Ada' },
        { kind: 'text', text: ' streamed ' },
        { kind: 'amount', text: '€0.50' },
      ],
      name: 'Ada',
      amountText: '€0.50',
      message: null,
      emoji: null,
      imageUrl: null,
      soundUrl: null,
      volume: 1,
      animation: 'pop',
      durationMs: 5000,
      isTest: false,
    },
  }

  it('notifies the alert Web Monetization queues, by the same switches', () => {
    expect(notificationFor('alert.updated', queued, on)).toEqual({
      title: 'Ada streamed €0.50',
      body: 'Web Monetization, verified on your wallet',
    })
    expect(notificationFor('alert.updated', queued, { ...on, alertsPaused: true })).toBeNull()
    expect(
      notificationFor('alert.updated', queued, { ...on, notificationsEnabled: false }),
    ).toBeNull()
  })

  it("notifies once: not again as the alert shows, not for a replay, not for a tip's alert", () => {
    expect(notificationFor('alert.updated', { ...queued, state: 'showing' }, on)).toBeNull()
    expect(notificationFor('alert.updated', { ...queued, replayOf: 2 }, on)).toBeNull()
    expect(notificationFor('alert.updated', { ...queued, source: 'tip' }, on)).toBeNull()
  })
})

describe('the tray test alert notification', () => {
  let test: TestServer | undefined
  afterEach(async () => {
    await test?.close()
    test = undefined
  })

  it('says who and what, from the test alert the desktop actions send', async () => {
    test = await startTestServer()
    const event = test.server.desktop.sendTestAlert()
    const note = notificationFor('alert.test', event, on, 'en-US')
    expect(note?.title).toMatch(/^Test alert: /)
    expect(note?.body).toBe(`${TEST_ALERT.supporterName}: ${TEST_ALERT.message}`)
  })
})
