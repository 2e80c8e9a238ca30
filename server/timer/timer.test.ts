import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TimerView } from '../contracts/timer.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let test: TestServer

async function post(pathname: string, body?: unknown) {
  return rawRequest({
    method: 'POST',
    url: test.local(`/api${pathname}`),
    headers: test.adminHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}
const endsAt = (view: TimerView) => Date.parse(view.endsAt ?? '')
const current = async () =>
  (
    await rawRequest({ url: test.local('/api/timer'), headers: test.adminHeaders() })
  ).json<TimerView>()

beforeEach(async () => {
  test = await startTestServer()
})
afterEach(async () => {
  await test.close()
})

describe('subathon timer through the app', () => {
  it('gains exactly the configured time from a tip and from verified Web Monetization', async () => {
    const started = await post('/timer/start', { durationSeconds: 600 })
    expect(started.status).toBe(200)
    const start = started.json<TimerView>()
    expect(start.status).toBe('running')

    const ledger = test.server.context.ledger
    ledger.record(
      { sourceKey: 'tip:t1', kind: 'tip', amountValue: 250n, assetCode: 'EUR', assetScale: 2 },
      { tip: { flowId: 't1', tierName: null, perk: null } },
    )
    const afterTip = await current()
    expect(endsAt(afterTip) - endsAt(start)).toBe(150_000) // €2.50 at 60 s per €1
    // A replay of the same payment is not a new fact: no more time.
    ledger.record(
      { sourceKey: 'tip:t1', kind: 'tip', amountValue: 250n, assetCode: 'EUR', assetScale: 2 },
      { tip: { flowId: 't1', tierName: null, perk: null } },
    )
    expect(endsAt(await current())).toBe(endsAt(afterTip))

    ledger.record({
      sourceKey: 'https://wallet.example/incoming-payments/wm1#10',
      kind: 'web-monetization',
      amountValue: 10n,
      assetCode: 'EUR',
      assetScale: 2,
    })
    const afterWm = await current()
    expect(endsAt(afterWm) - endsAt(afterTip)).toBe(6_000) // €0.10 at 60 s per €1
    expect(afterWm.addedMs).toBe(156_000)

    const label = fs.readFileSync(path.join(test.dataDir, 'labels', 'timer.txt'), 'utf8')
    expect(label).toMatch(/^1[0-2]:\d\d$/)
  })

  it('answers 409 with the reason for a pause when nothing runs, and 400 for a bad duration', async () => {
    const pause = await post('/timer/pause')
    expect(pause.status).toBe(409)
    expect(pause.json()).toMatchObject({ error: 'timer_not_running' })
    const bad = await post('/timer/start', { durationSeconds: -5 })
    expect(bad.status).toBe(400)
  })
})
