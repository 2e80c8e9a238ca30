import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  AlertQueueResponse,
  AlertSettings,
  AlertVariant,
  AlertView,
} from '../contracts/alerts.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import { createSupportEventRepository } from '../support/supportRepository.js'

let test: TestServer
beforeEach(async () => {
  test = await startTestServer()
})
afterEach(async () => {
  await test.close()
})

function call(method: string, path: string, body?: unknown) {
  return rawRequest({
    method,
    url: test.local(`/api${path}`),
    headers: test.adminHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

describe('alert admin API', () => {
  it('needs an admin session', async () => {
    const response = await rawRequest({ url: test.local('/api/alerts/queue') })
    expect(response.status).toBe(401)
  })

  it('saves variants as they were read, and rejects duplicates and bad amounts naming the field', async () => {
    const read = await call('GET', '/alerts/variants')
    const { variants } = read.json<{ variants: AlertVariant[] }>()
    const edited = variants.map((variant) =>
      variant.id === 'big' ? { ...variant, rule: { type: 'atLeast', amount: '25.50' } } : variant,
    )
    const saved = await call('PUT', '/alerts/variants', { variants: edited })
    expect(saved.status).toBe(200)
    const again = (await call('GET', '/alerts/variants')).json<{ variants: AlertVariant[] }>()
    expect(again.variants.find((variant) => variant.id === 'big')?.rule).toEqual({
      type: 'atLeast',
      amount: '25.50',
    })

    const duplicate = await call('PUT', '/alerts/variants', {
      variants: [edited[0], edited[0]],
    })
    expect(duplicate.status).toBe(400)
    expect(duplicate.json().field).toBe('body.variants.1.id')

    // EUR has two decimals: a third one is not an amount there.
    const tooPrecise = await call('PUT', '/alerts/variants', {
      variants: [{ ...edited[0], rule: { type: 'exactly', amount: '1.005' } }],
    })
    expect(tooPrecise.status).toBe(400)
    expect(tooPrecise.json().field).toBe('body.variants.0.rule.amount')

    const outside = await call('PUT', '/alerts/variants', {
      variants: [{ ...edited[0], imageUrl: 'https://tracker.example/pixel.png' }],
    })
    expect(outside.status).toBe(400)
    expect(outside.json().field).toContain('imageUrl')
  })

  it('keeps null in nullable fields: a variant without its own duration or emoji stays without', async () => {
    const { variants } = (await call('GET', '/alerts/variants')).json<{
      variants: AlertVariant[]
    }>()
    const edited = variants.map((variant) =>
      variant.id === 'big' ? { ...variant, durationMs: 2500, emoji: '🚀' } : variant,
    )
    expect((await call('PUT', '/alerts/variants', { variants: edited })).status).toBe(200)
    const cleared = edited.map((variant) =>
      variant.id === 'big' ? { ...variant, durationMs: null, emoji: null, sound: null } : variant,
    )
    const saved = await call('PUT', '/alerts/variants', { variants: cleared })
    expect(saved.status).toBe(200)
    const big = (await call('GET', '/alerts/variants'))
      .json<{ variants: AlertVariant[] }>()
      .variants.find((variant) => variant.id === 'big')
    expect(big).toMatchObject({ durationMs: null, emoji: null, sound: null })

    const moderated = await call('PATCH', '/alerts/settings', { autoApproveSeconds: null })
    expect(moderated.status).toBe(200)
    expect(moderated.json<AlertSettings>().autoApproveSeconds).toBeNull()
  })

  it('patches settings and answers a bad value with a 400 naming the field', async () => {
    const patched = await call('PATCH', '/alerts/settings', {
      durationMs: 4000,
      blockedWords: [' darn ', 'darn', 'heck'],
      blockedWordAction: 'hold',
    })
    expect(patched.status).toBe(200)
    expect(patched.json<AlertSettings>()).toMatchObject({
      durationMs: 4000,
      blockedWords: ['darn', 'heck'],
      blockedWordAction: 'hold',
    })
    const bad = await call('PATCH', '/alerts/settings', { gapMs: -1 })
    expect(bad.status).toBe(400)
    expect(bad.json().field).toBe('body.gapMs')
  })

  it('sends a test alert for one variant, marked as a test', async () => {
    const response = await call('POST', '/alerts/variants/big/test', {})
    expect(response.status).toBe(201)
    const view = response.json<AlertView>()
    expect(view.alert.variantId).toBe('big')
    expect(view.isTest).toBe(true)
    expect(view.source).toBe('test')
    const recorded = createSupportEventRepository(test.server.db).recorded('tip')
    expect(recorded.find(({ event }) => event.id === view.supportEventId)?.event.isTest).toBe(true)
    expect((await call('POST', '/alerts/variants/nope/test', {})).status).toBe(404)
  })

  it('holds alerts for moderation and lets the streamer approve, reject, skip and replay', async () => {
    await call('PATCH', '/alerts/settings', { moderationEnabled: true })
    const record = (name: string) => {
      test.server.context.ledger.record(
        {
          sourceKey: `tip:${name}`,
          kind: 'tip',
          amountValue: 300n,
          assetCode: 'EUR',
          assetScale: 2,
          supporterName: name,
        },
        { tip: { flowId: name, tierName: null, perk: null } },
      )
    }
    record('Ada')
    record('Bob')
    const queue = (await call('GET', '/alerts/queue')).json<AlertQueueResponse>()
    expect(queue.held.map((view) => [view.alert.name, view.reason])).toEqual([
      ['Ada', 'moderation'],
      ['Bob', 'moderation'],
    ])
    const [ada, bob] = queue.held as [AlertView, AlertView]
    expect((await call('POST', `/alerts/${bob.id}/reject`)).json<AlertView>().state).toBe(
      'rejected',
    )
    // No overlay is connected: an approved alert waits in the queue.
    expect((await call('POST', `/alerts/${ada.id}/approve`)).json<AlertView>().state).toBe('queued')
    const again = await call('POST', `/alerts/${ada.id}/approve`)
    expect(again.status).toBe(409)
    expect(again.json().error).toBe('alert_not_held')
    expect((await call('POST', `/alerts/${ada.id}/replay`)).status).toBe(409)
    const skipped = await call('POST', `/alerts/${ada.id}/skip`)
    expect(skipped.json<AlertView>().state).toBe('skipped')
    const replay = await call('POST', `/alerts/${ada.id}/replay`)
    expect(replay.status).toBe(201)
    expect(replay.json<AlertView>()).toMatchObject({ source: 'replay', replayOf: ada.id })
    expect((await call('POST', '/alerts/skip')).json().error).toBe('nothing_showing')
    expect((await call('POST', '/alerts/99999/approve')).status).toBe(404)
  })

  it('follows the pause from the foundation route (tray and dashboard)', async () => {
    await call('POST', '/alerts/pause', { paused: true })
    expect((await call('GET', '/alerts/queue')).json<AlertQueueResponse>().paused).toBe(true)
    await call('POST', '/alerts/pause', { paused: false })
    expect((await call('GET', '/alerts/queue')).json<AlertQueueResponse>().paused).toBe(false)
  })
})
