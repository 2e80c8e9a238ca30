import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../storage/db.js'
import { startTestServer, type TestServer } from '../testing/harness.js'
import { normalizeOwncastEvent } from './owncast/normalize.js'
import { createPlatformEventRepository } from './platformEventRepository.js'
import {
  adminSend,
  allProcessed,
  fixture,
  integrationsFor,
  outbox,
  streams,
  waitFor,
} from '../testing/integrations.js'
import { startOwncastTestServer, type OwncastTestServer } from '../testing/owncastTestServer.js'
import { settingsFor } from '../testing/settings.js'

describe('integrations across restarts', () => {
  let t: TestServer | undefined
  let owncast: OwncastTestServer | undefined
  afterEach(async () => {
    await t?.close()
    await owncast?.close()
    t = undefined
    owncast = undefined
  })

  it('events stored before a crash are processed on the next start', async () => {
    t = await startTestServer()
    const dataDir = t.dataDir
    await t.close()
    // What a crash right after the commit leaves: stored, answered, not yet processed.
    const db = openDatabase(`${dataDir}/wm-companion.sqlite`)
    const store = createPlatformEventRepository(db, settingsFor(db))
    const body = fixture('owncast/stream_started.json')
    const normalized = normalizeOwncastEvent(JSON.parse(body.toString('utf8')))
    await store.store({
      platform: 'owncast',
      eventId: normalized.eventId,
      sourceType: normalized.sourceType,
      normalized,
      payload: body.toString('utf8'),
      receivedAt: Date.now(),
      occurredAt: Date.parse(normalized.occurredAt as string),
      streamId: null,
    })
    expect(store.unprocessed(10)).toHaveLength(1)
    db.close()

    t = await startTestServer({ dataDir })
    const [event] = await allProcessed(t)
    expect(event).toMatchObject({ type: 'stream.started', processed: true })
    expect((await streams(t)).live?.id).toBe(event?.streamId)
  })

  it("Owncast's public status repairs sessions when webhooks were lost", async () => {
    const status: Record<string, unknown> = {
      online: true,
      lastConnectTime: '2026-07-18T21:02:11Z',
      lastDisconnectTime: null,
      versionNumber: '0.2.5',
      streamTitle: 'Late-night synthwave & chill 🌙',
      viewerCount: 9,
    }
    owncast = await startOwncastTestServer({ tokens: {}, status })
    t = await startTestServer()
    await adminSend(t, 'PATCH', '/api/integrations/owncast', { baseUrl: owncast.url })
    // The same feature's services (the running one polls every minute).
    const { service } = integrationsFor(t.server.context)
    await service.owncast.pollStatus()
    expect((await streams(t)).live).toMatchObject({
      startedAt: '2026-07-18T21:02:11.000Z',
      startSource: 'status',
      title: 'Late-night synthwave & chill 🌙',
    })
    status.online = false
    status.lastDisconnectTime = '2026-07-18T23:58:40Z'
    await service.owncast.pollStatus()
    const after = await streams(t)
    expect(after.live).toBeNull()
    expect(after.streams[0]).toMatchObject({
      endedAt: '2026-07-18T23:58:40.000Z',
      endSource: 'status',
    })
  })

  it('a thank-you queued while Owncast was down is sent after a restart', async () => {
    owncast = await startOwncastTestServer({ tokens: { 'tok-123456': ['CAN_SEND_MESSAGES'] } })
    t = await startTestServer()
    await adminSend(t, 'PATCH', '/api/integrations/owncast', { baseUrl: owncast.url })
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: 'tok-123456' })
    await owncast.down()
    t.server.context.ledger.record(
      {
        sourceKey: 'https://wallet.example/incoming-payments/restart',
        kind: 'tip',
        amountValue: 250n,
        assetCode: 'USD',
        assetScale: 2,
        supporterName: 'ren',
      },
      { tip: { flowId: 'restart', tierName: null, perk: null } },
    )
    const server = t
    await waitFor(async () => (await outbox(server)).messages[0]?.lastError, 'a failed attempt')
    const dataDir = t.dataDir
    await t.close()

    await owncast.up()
    t = await startTestServer({ dataDir })
    const message = await waitFor(() => owncast?.received[0], 'the thank-you after restart')
    expect(message.body).toBe('ren tipped \\$2\\.50!')
  })
})
