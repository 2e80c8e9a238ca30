import { afterEach, describe, expect, it } from 'vitest'
import type {
  IntegrationsOverview,
  OwncastConnectionReport,
  TestEventReport,
} from '../../contracts/integrations.js'
import { rawRequest, startTestServer, type TestServer } from '../../testing/harness.js'
import {
  adminSend,
  events,
  fixture,
  outbox,
  overview,
  owncastWebhookUrl,
  postJson,
  waitFor,
} from '../../testing/integrations.js'
import { startOwncastTestServer, type OwncastTestServer } from '../../testing/owncastTestServer.js'

const BOT_TOKEN = 'bot-token-with-chat-scope-0123456789'
const ADMIN_ONLY_TOKEN = 'admin-only-token-0123456789'
const SYSTEM_TOKEN = 'system-and-chat-token-0123456789'

describe('Owncast chat: thank-yous, !tip, connection test', () => {
  let t: TestServer
  let owncast: OwncastTestServer
  afterEach(async () => {
    await t?.close()
    await owncast?.close()
  })

  async function setup(token = BOT_TOKEN): Promise<void> {
    owncast = await startOwncastTestServer({
      tokens: {
        [BOT_TOKEN]: ['CAN_SEND_MESSAGES'],
        [ADMIN_ONLY_TOKEN]: ['HAS_ADMIN_ACCESS'],
        [SYSTEM_TOKEN]: ['CAN_SEND_MESSAGES', 'CAN_SEND_SYSTEM_MESSAGES', 'HAS_ADMIN_ACCESS'],
      },
    })
    t = await startTestServer()
    const patch = await adminSend(t, 'PATCH', '/api/integrations/owncast', {
      baseUrl: `${owncast.url}/`,
    })
    expect(patch.status, patch.body).toBe(200)
    expect(patch.json()).toMatchObject({ baseUrl: owncast.url, accessTokenConfigured: false })
    const put = await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', {
      value: token,
    })
    expect(put.json()).toMatchObject({ accessTokenConfigured: true })
  }

  /** What the tips feature does on completion: record the support event once, then announce it. */
  function completeTip(flowId: string, supporterName: string | null, tier = true): void {
    t.server.context.ledger.record(
      {
        sourceKey: `https://wallet.example/incoming-payments/${flowId}`,
        kind: 'tip',
        amountValue: 100n,
        assetCode: 'EUR',
        assetScale: 2,
        supporterName,
        message: 'love the set',
        tierId: tier ? 'coffee-shot' : null,
      },
      {
        tip: {
          flowId,
          tierName: tier ? 'Coffee Shot ☕' : null,
          perk: tier ? 'Added to supporter ticker' : null,
        },
      },
    )
  }

  it('says why chat messages wait, and tries them all again on request', async () => {
    await setup()
    await owncast.down()
    completeTip('flow-down', 'Ada')
    // Still waiting for its next attempt (not given up): the reason is shown all the same.
    const problem = await waitFor(async () => {
      const shown = (await overview(t)).outbox
      return shown.pending > 0 && shown.lastProblem?.lastError ? shown : undefined
    }, 'the waiting message with its error')
    expect(problem.failed).toBe(0)
    expect(problem.lastProblem?.lastError).toMatch(/reach|refused|ECONNREFUSED/i)

    const retried = await adminSend(t, 'POST', '/api/integrations/outbox/retry')
    expect(retried.status).toBe(200)
    expect(retried.json()).toEqual({ requeued: 1 })
  })

  it('posts the thank-you with viewer text escaped for markdown and HTML, once per tip', async () => {
    await setup()
    completeTip('flow-1', '<b>Zoë</b> *x* [y](http://e) _i_')
    const message = await waitFor(() => owncast.received[0], 'the thank-you in chat')
    expect(message).toEqual({
      endpoint: 'chat/send',
      token: BOT_TOKEN,
      body:
        '&lt;b&gt;Zoë&lt;\\/b&gt; \\*x\\* \\[y\\]\\(http\\:\\/\\/e\\) \\_i\\_ tipped €1\\.00 — ' +
        'Coffee Shot ☕! Added to supporter ticker',
    })
    // The same tip announced twice (a retry upstream) is thanked once; a tip without tier reads well.
    completeTip('flow-1', '<b>Zoë</b> *x* [y](http://e) _i_')
    completeTip('flow-2', null, false)
    await waitFor(() => owncast.received[1], 'the second thank-you')
    expect(owncast.received.map((m) => m.body)).toEqual([message.body, 'Someone tipped €1\\.00!'])
    const box = await outbox(t)
    expect(box.messages.map((m) => [m.purpose, m.state])).toEqual([
      ['tip-thanks', 'sent'],
      ['tip-thanks', 'sent'],
    ])
  })

  it('uses the streamer template', async () => {
    await setup()
    const patch = await adminSend(t, 'PATCH', '/api/integrations/owncast', {
      chatTemplate: '**Thank you {name}** for {amount}: "{message}"',
    })
    expect(patch.json()).toMatchObject({
      chatTemplate: '**Thank you {name}** for {amount}: "{message}"',
    })
    completeTip('flow-3', 'ana')
    const message = await waitFor(() => owncast.received[0], 'the thank-you')
    expect(message.body).toBe('**Thank you ana** for €1\\.00: "love the set"')
  })

  it('a tip completes while Owncast is down; the thank-you is delivered once it is back', async () => {
    await setup()
    await owncast.down()
    completeTip('flow-down', 'mika')
    // The tip itself is recorded at once, whatever Owncast does.
    expect(
      t.server.context.ledger.countBySourceKey(
        'https://wallet.example/incoming-payments/flow-down',
      ),
    ).toBe(1)
    const failed = await waitFor(async () => {
      const box = await outbox(t)
      return box.messages[0]?.lastError ? box : undefined
    }, 'the first failed attempt')
    expect(failed.pending).toBe(1)
    expect(failed.messages[0]).toMatchObject({ state: 'pending', attempts: 1 })
    expect(failed.messages[0]?.lastError).toMatch(/unreachable/)
    const shown = await overview(t)
    expect(shown.outbox.pending).toBe(1)

    await owncast.up()
    const message = await waitFor(() => owncast.received[0], 'the retried thank-you', 20_000)
    expect(message.body).toBe('mika tipped €1\\.00 — Coffee Shot ☕! Added to supporter ticker')
    const box = await waitFor(async () => {
      const current = await outbox(t)
      return current.messages[0]?.state === 'sent' ? current : undefined
    }, 'the message marked sent')
    expect(box.pending).toBe(0)
    expect(owncast.received).toHaveLength(1)
  })

  it('a 200 answer with an error is a failure, shown, and retried on demand', async () => {
    await setup()
    owncast.failWith200 = 'chat is currently disabled'
    completeTip('flow-200', 'kai')
    const failed = await waitFor(async () => {
      const box = await outbox(t)
      return box.messages[0]?.lastError ? box.messages[0] : undefined
    }, 'the failed attempt')
    expect(failed.lastError).toContain('chat is currently disabled')
    expect(owncast.received).toEqual([])
    owncast.failWith200 = null
    const retried = await adminSend(t, 'POST', `/api/integrations/outbox/${failed.id}/retry`)
    expect(retried.status).toBe(200)
    await waitFor(() => owncast.received[0], 'the thank-you after retry')
    const missing = await adminSend(t, 'POST', '/api/integrations/outbox/9999/retry')
    expect(missing.status).toBe(404)
  })

  it('answers !tip with the tip page link at most once per 30 s', async () => {
    await setup()
    const url = await owncastWebhookUrl(t)
    const chat = JSON.parse(fixture('owncast/chat.json').toString('utf8')) as {
      eventData: Record<string, unknown>
    }
    for (const [id, text] of [
      ['tip1', '!tip'],
      ['tip2', '!TIP please'],
      ['tip3', 'what is !tip'],
    ]) {
      chat.eventData.id = id
      chat.eventData.rawBody = text
      expect((await postJson(url, JSON.stringify(chat))).status).toBe(202)
    }
    const message = await waitFor(() => owncast.received[0], 'the !tip answer')
    expect(message.body).toBe(`Support the stream with a tip: ${t.server.publicUrl}/tip`)
    await waitFor(async () => (await events(t)).every((e) => e.processed), 'processing')
    const box = await outbox(t)
    expect(box.messages.filter((m) => m.purpose === 'tip-command')).toHaveLength(1)
    expect(owncast.received).toHaveLength(1)
  })

  it('test connection checks reachability, the token and its scopes, posting nothing', async () => {
    await setup()
    const test = async () =>
      (
        await adminSend(t, 'POST', '/api/integrations/owncast/test-connection')
      ).json<OwncastConnectionReport>()
    expect(await test()).toMatchObject({
      ok: true,
      reachable: true,
      version: '0.2.5',
      tokenAccepted: true,
      scopes: { CAN_SEND_MESSAGES: true, CAN_SEND_SYSTEM_MESSAGES: false, HAS_ADMIN_ACCESS: false },
      missing: [],
    })
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: SYSTEM_TOKEN })
    expect((await test()).scopes).toEqual({
      CAN_SEND_MESSAGES: true,
      CAN_SEND_SYSTEM_MESSAGES: true,
      HAS_ADMIN_ACCESS: true,
    })
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', {
      value: ADMIN_ONLY_TOKEN,
    })
    const adminOnly = await test()
    expect(adminOnly).toMatchObject({
      ok: false,
      tokenAccepted: true,
      missing: ['CAN_SEND_MESSAGES'],
    })
    expect(adminOnly.message).toContain('CAN_SEND_MESSAGES')
    await adminSend(t, 'PUT', '/api/integrations/owncast/access-token', { value: 'wrong-token' })
    const wrong = await test()
    expect(wrong).toMatchObject({ ok: false, reachable: true, tokenAccepted: false })
    expect(wrong.message).toMatch(/refuses this access token/)
    await adminSend(t, 'DELETE', '/api/integrations/owncast/access-token')
    expect(await test()).toMatchObject({ ok: false, tokenConfigured: false })
    await owncast.down()
    const unreachable = await test()
    expect(unreachable).toMatchObject({ ok: false, reachable: false })
    expect(unreachable.message).toMatch(/unreachable/)
    // The probes never posted anything to chat.
    expect(owncast.received).toEqual([])
  })

  it('never returns secrets except in the URLs to paste', async () => {
    await setup()
    await adminSend(t, 'PUT', '/api/integrations/owncast/signing-secret', {
      value: 'signing-secret-from-owncast',
    })
    const response = await rawRequest({
      url: t.local('/api/integrations'),
      headers: t.adminHeaders(),
    })
    expect(response.body).not.toContain(BOT_TOKEN)
    expect(response.body).not.toContain('signing-secret-from-owncast')
    const body = response.json<IntegrationsOverview>()
    expect(body.owncast).toMatchObject({
      accessTokenConfigured: true,
      signingSecretConfigured: true,
      authMode: 'signature',
      externalAction: {
        url: `${t.server.publicUrl}/tip`,
        title: 'Tip',
        openExternally: false,
      },
    })
    const bad = await adminSend(t, 'PATCH', '/api/integrations/owncast', { baseUrl: 'ftp://x' })
    expect(bad.status).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'invalid_setting', field: 'body.baseUrl' })
  })
})

describe('send test event', () => {
  let t: TestServer
  afterEach(async () => {
    await t?.close()
  })

  it('posts a signed fixture-shaped event to the public URL and sees it arrive', async () => {
    t = await startTestServer()
    await adminSend(t, 'PUT', '/api/integrations/owncast/signing-secret', { value: 'shh-secret' })
    const response = await adminSend(t, 'POST', '/api/integrations/owncast/test-event')
    const report = response.json<TestEventReport>()
    expect(report).toMatchObject({ arrived: true, httpStatus: 202, reach: 'loopback' })
    expect(report.url).toContain('key=[secret]')
    // No WM_PUBLIC_URL: only this machine was proven, and the streamer is told so.
    expect(report.message).toMatch(/on this machine only/)
    expect(report.message).not.toMatch(/Owncast can reach/)
    const shown = await overview(t)
    expect(shown.owncast.lastEvent).toMatchObject({ type: 'chat.message', sourceType: 'CHAT' })
    expect(shown.owncast.lastEvent?.normalized?.isTest).toBe(true)
    // A test event never opens a stream session.
    expect(shown.liveStream).toBeNull()
  })

  it('reports a broken tunnel', async () => {
    // WM_PUBLIC_URL points at nothing: the tunnel is down.
    t = await startTestServer({ publicUrl: 'http://127.0.0.1:9' })
    const report = (
      await adminSend(t, 'POST', '/api/integrations/owncast/test-event')
    ).json<TestEventReport>()
    expect(report).toMatchObject({ arrived: false, reach: 'public-url' })
    expect(report.message).toMatch(/tunnel/)
  })
})
