import { afterEach, describe, expect, it } from 'vitest'
import type { AlertQueueResponse } from '../contracts/alerts.js'
import { adminSend, outbox } from '../testing/integrations.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import { startOwncastTestServer, type OwncastTestServer } from '../testing/owncastTestServer.js'

const TOKEN = 'tok-ledger-123456'

describe('recording support', () => {
  let t: TestServer | undefined
  let owncast: OwncastTestServer | undefined
  afterEach(async () => {
    await t?.close()
    await owncast?.close()
    t = undefined
    owncast = undefined
  })

  it('writes the alert and the thank-you with the event, so a stop right after the commit loses neither', async () => {
    owncast = await startOwncastTestServer({ tokens: { [TOKEN]: ['CAN_SEND_MESSAGES'] } })
    t = await startTestServer()
    await adminSend(t, 'PATCH', '/api/integrations/owncast', { baseUrl: owncast.url })
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: TOKEN })
    // Owncast is down, so the thank-you waits in the outbox instead of leaving at once.
    await owncast.down()
    const dataDir = t.dataDir
    // The process "dies" between the commit and the announcement: nothing hears support.recorded.
    const bus = t.server.bus
    const emit = bus.emit.bind(bus)
    bus.emit = ((name: string, payload: never) => {
      if (name === 'support.recorded') throw new Error('killed after the commit')
      emit(name as never, payload)
    }) as typeof bus.emit
    expect(() =>
      t!.server.context.ledger.record(
        {
          sourceKey: 'https://wallet.example/incoming-payments/after-commit',
          kind: 'tip',
          amountValue: 400n,
          assetCode: 'EUR',
          assetScale: 2,
          supporterName: 'Kit',
        },
        { tip: { flowId: 'after-commit', tierName: null, perk: null } },
      ),
    ).toThrow('killed after the commit')
    await t.close()

    t = await startTestServer({ dataDir })
    const queue = (
      await rawRequest({ url: t.local('/api/alerts/queue'), headers: { cookie: t.adminCookie } })
    ).json<AlertQueueResponse>()
    expect(queue.queued.map((alert) => alert.alert.name)).toEqual(['Kit'])
    const thanks = (await outbox(t)).messages.filter((m) => m.purpose === 'tip-thanks')
    expect(thanks).toHaveLength(1)
    expect(thanks[0]?.body).toContain('Kit')
  })

  it('keeps the event when a recorder fails, and still runs the others', async () => {
    t = await startTestServer()
    const off = t.server.context.ledger.addRecorder('broken', () => {
      throw new Error('broken recorder')
    })
    const { inserted } = t.server.context.ledger.record(
      {
        sourceKey: 'https://wallet.example/incoming-payments/broken',
        kind: 'tip',
        amountValue: 200n,
        assetCode: 'EUR',
        assetScale: 2,
        supporterName: 'Rae',
      },
      { tip: { flowId: 'broken', tierName: null, perk: null } },
    )
    off()
    expect(inserted).toBe(true)
    expect(
      t.server.context.ledger.countBySourceKey('https://wallet.example/incoming-payments/broken'),
    ).toBe(1)
    const queue = (
      await rawRequest({ url: t.local('/api/alerts/queue'), headers: { cookie: t.adminCookie } })
    ).json<AlertQueueResponse>()
    expect(queue.queued.map((alert) => alert.alert.name)).toEqual(['Rae'])
  })
})
