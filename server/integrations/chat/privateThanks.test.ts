import { afterEach, describe, expect, it } from 'vitest'
import type { OwncastConnectionReport } from '../../contracts/integrations.js'
import { startTestServer, type TestServer } from '../../testing/harness.js'
import {
  adminSend,
  allProcessed,
  fixture,
  outbox,
  overview,
  owncastWebhookUrl,
  postJson,
  waitFor,
} from '../../testing/integrations.js'
import { startOwncastTestServer, type OwncastTestServer } from '../../testing/owncastTestServer.js'

const CHAT_ONLY = 'chat-only-token-0123456789'
const SYSTEM = 'system-and-chat-token-0123456789'

/** The viewer of fixtures/owncast/chat.json: user tHK3o1wNg on chat connection 41. */
const VIEWER = 'tHK3o1wNg'
const VIEWER_CLIENT = 41

describe('private thank-yous in Owncast chat', () => {
  let t: TestServer
  let owncast: OwncastTestServer
  afterEach(async () => {
    await t?.close()
    await owncast?.close()
  })

  async function setup(token: string, privateThanks = true): Promise<void> {
    owncast = await startOwncastTestServer({
      tokens: {
        [CHAT_ONLY]: ['CAN_SEND_MESSAGES'],
        [SYSTEM]: ['CAN_SEND_MESSAGES', 'CAN_SEND_SYSTEM_MESSAGES'],
      },
      // Another viewer is connected too: a private thank-you must not reach them.
      connected: { [VIEWER_CLIENT]: VIEWER, 57: 'someone-else' },
    })
    t = await startTestServer()
    const patch = await adminSend(t, 'PATCH', '/api/integrations/owncast', {
      baseUrl: owncast.url,
      privateThanks,
    })
    expect(patch.status, patch.body).toBe(200)
    expect(patch.json()).toMatchObject({ privateThanks })
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: token })
  }

  /** The viewer writes in chat: the CHAT webhook tells which connection they use. */
  async function viewerChats(): Promise<void> {
    const url = await owncastWebhookUrl(t)
    expect((await postJson(url, fixture('owncast/chat.json').toString('utf8'))).status).toBe(202)
    await allProcessed(t)
  }

  function completeTip(flowId: string, chatUserId: string | null): void {
    t.server.context.ledger.record(
      {
        sourceKey: `https://wallet.example/incoming-payments/${flowId}`,
        kind: 'tip',
        amountValue: 250n,
        assetCode: 'EUR',
        assetScale: 2,
        supporterName: 'Mika',
        message: null,
        tierId: null,
      },
      { tip: { flowId, tierName: null, perk: null, chatUserId } },
    )
  }

  it('is off by default and can be switched on', async () => {
    t = await startTestServer()
    expect((await overview(t)).owncast.privateThanks).toBe(false)
    const on = await adminSend(t, 'PATCH', '/api/integrations/owncast', { privateThanks: true })
    expect(on.json()).toMatchObject({ privateThanks: true })
    expect((await overview(t)).owncast.privateThanks).toBe(true)
    const bad = await adminSend(t, 'PATCH', '/api/integrations/owncast', { privateThanks: 'yes' })
    expect(bad.status).toBe(400)
  })

  it('reaches only the tipper’s chat connection as a system message', async () => {
    await setup(SYSTEM)
    await viewerChats()
    completeTip('flow-private', VIEWER)
    const message = await waitFor(() => owncast.received[0], 'the private thank-you')
    expect(message).toEqual({
      endpoint: 'chat/system/client',
      clientId: VIEWER_CLIENT,
      body: 'Mika tipped €2\\.50!',
      token: SYSTEM,
    })
    const sent = await waitFor(
      async () => (await outbox(t)).messages.find((m) => m.state === 'sent'),
      'the outbox row sent',
    )
    expect(owncast.received).toHaveLength(1)
    expect(sent).toMatchObject({ kind: 'system', state: 'sent', lastError: null })
    expect((await overview(t)).outbox.lastNote).toBeNull()
  })

  it('a tip without a chat user id is thanked in public chat as before', async () => {
    await setup(SYSTEM)
    await viewerChats()
    completeTip('flow-web', null)
    const message = await waitFor(() => owncast.received[0], 'the public thank-you')
    expect(message.endpoint).toBe('chat/send')
  })

  it('falls back to public chat, saying why, when the viewer’s connection is unknown', async () => {
    await setup(SYSTEM)
    // The viewer never wrote in chat since the companion started.
    completeTip('flow-unknown', VIEWER)
    const message = await waitFor(() => owncast.received[0], 'the public fallback')
    expect(message).toMatchObject({ endpoint: 'chat/send', body: 'Mika tipped €2\\.50!' })
    const shown = await waitFor(
      async () => (await overview(t)).outbox.lastNote ?? undefined,
      'the note',
    )
    expect(shown.lastError).toMatch(/public chat instead of privately/)
    expect(shown.lastError).toMatch(/connection is unknown/)
  })

  it('falls back to public chat when Owncast says the connection is gone', async () => {
    await setup(SYSTEM)
    await viewerChats()
    owncast.connected.delete(VIEWER_CLIENT)
    completeTip('flow-left', VIEWER)
    const message = await waitFor(() => owncast.received[0], 'the public fallback')
    expect(message.endpoint).toBe('chat/send')
    expect(owncast.requests.map((r) => [r.path, r.status])).toContainEqual([
      `/api/integrations/chat/system/client/${VIEWER_CLIENT}`,
      404,
    ])
    const shown = await waitFor(
      async () => (await overview(t)).outbox.lastNote ?? undefined,
      'the note',
    )
    expect(shown.lastError).toMatch(/left the chat/)
  })

  it('falls back to public chat with a clear reason when the token cannot send system messages', async () => {
    await setup(CHAT_ONLY)
    await viewerChats()
    completeTip('flow-scope', VIEWER)
    const message = await waitFor(() => owncast.received[0], 'the public fallback')
    expect(message.endpoint).toBe('chat/send')
    expect(owncast.requests.map((r) => r.status)).toContain(401)
    const shown = await waitFor(
      async () => (await overview(t)).outbox.lastNote ?? undefined,
      'the note',
    )
    expect(shown.lastError).toMatch(/cannot send system messages/)
    expect(shown.lastError).toMatch(/Can send system messages/)
  })

  it('stays public when the setting is off, even with a known connection', async () => {
    await setup(SYSTEM, false)
    await viewerChats()
    completeTip('flow-off', VIEWER)
    const message = await waitFor(() => owncast.received[0], 'the public thank-you')
    expect(message.endpoint).toBe('chat/send')
  })

  it('test connection says whether the token can send system messages', async () => {
    const test = async () =>
      (
        await adminSend(t, 'POST', '/api/integrations/owncast/test-connection')
      ).json<OwncastConnectionReport>()
    await setup(CHAT_ONLY)
    const chatOnly = await test()
    expect(chatOnly).toMatchObject({ ok: true })
    expect(chatOnly.scopes.CAN_SEND_SYSTEM_MESSAGES).toBe(false)
    expect(chatOnly.message).toMatch(/not system messages, so private thank-yous go to public chat/)
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: SYSTEM })
    const system = await test()
    expect(system.scopes.CAN_SEND_SYSTEM_MESSAGES).toBe(true)
    expect(system.message).toMatch(/can post chat messages and send system messages/)
    expect(owncast.received).toEqual([])
  })
})
