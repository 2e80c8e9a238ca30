/**
 * Web Monetization end to end under Node: the real app (both listeners, a real SQLite file) with the
 * sandbox wallet, its agent paying with the real Open Payments SDK, and reports posted to the public
 * listener. What is recorded must be what the streamer's wallet received, to the minor unit.
 */
import net from 'node:net'
import { createUnauthenticatedClient } from '@interledger/open-payments'
import { afterEach, describe, expect, it } from 'vitest'
import type { SandboxWallet } from '../sandbox/sandboxWallet.js'
import { makeTempDir, rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

const servers: TestServer[] = []

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

async function start(dataDir: string, sandboxPort: number): Promise<TestServer> {
  const server = await startTestServer({
    dataDir,
    sandbox: true,
    sandboxPort,
    ...(process.env.WM_TEST_LOG ? { logLevel: 'warn' as const } : {}),
  })
  servers.push(server)
  return server
}

function sandboxOf(server: TestServer): SandboxWallet {
  const sandbox = server.server.services.sandbox.instance()
  if (!sandbox) throw new Error('the sandbox is not running')
  return sandbox
}

function recordedWm(server: TestServer): bigint {
  const rows = server.server.services.support.totals.byKind({
    asset: { assetCode: 'EUR', assetScale: 2 },
    streamId: null,
    from: null,
  })
  return rows.find((row) => row.kind === 'web-monetization')?.total ?? 0n
}

async function received(url: string): Promise<bigint> {
  const client = await createUnauthenticatedClient({ useHttp: true })
  const view = await client.incomingPayment.get({ url })
  return BigInt(view.receivedAmount?.value ?? '0')
}

function report(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return rawRequest({
    method: 'POST',
    url: server.public('/api/wm/reports'),
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function settled(server: TestServer): Promise<void> {
  await settle(1_200)
  await server.server.services.webMonetization.service.idle()
}

describe('Web Monetization reports, verified on the streamer wallet', () => {
  it('records exactly what the wallet received, whatever the reports claim', async () => {
    const server = await start(makeTempDir(), 0)
    const sandbox = sandboxOf(server)
    const streamerBefore = sandbox.balanceOf('streamer')
    const session = await sandbox.wmAgent.startSession({
      wallet: 'alice',
      receiver: sandbox.streamer.address,
    })
    for (let i = 0; i < 4; i += 1) {
      const paid = await sandbox.wmAgent.pay(session.id, 20n)
      // The page claims a thousand times more than was sent: the claim is never counted.
      const answer = await report(server, {
        incomingPayment: paid.incomingPayment,
        amountSent: { value: '190.00', currency: 'EUR' },
        paymentPointer: paid.paymentPointer,
        viewer: { id: 'u1', name: 'Ann', platform: 'owncast' },
      })
      expect(answer.status).toBe(202)
      expect(answer.json()).toEqual({ accepted: true })
    }
    await settled(server)

    const inWallet = await received(session.incomingPayment)
    expect(inWallet).toBe(76n)
    expect(sandbox.balanceOf('streamer') - streamerBefore).toBe(76n)
    expect(recordedWm(server)).toBe(76n)

    // Replaying every report later counts nothing more.
    for (let i = 0; i < 3; i += 1) {
      await report(server, {
        incomingPayment: session.incomingPayment,
        amountSent: { value: '0.19', currency: 'EUR' },
        paymentPointer: sandbox.streamer.address,
      })
    }
    await settled(server)
    expect(recordedWm(server)).toBe(76n)
  }, 60_000)

  it('refuses forged reports and counts nothing for them', async () => {
    const server = await start(makeTempDir(), 0)
    const sandbox = sandboxOf(server)
    const send = (body: unknown) => report(server, body)
    const base = {
      amountSent: { value: '1.00', currency: 'EUR' },
      paymentPointer: sandbox.streamer.address,
    }

    // A URL off the streamer's resource server: refused before any request is made.
    const offServer = await send({
      ...base,
      incomingPayment: 'http://203.0.113.9/incoming-payments/x',
    })
    expect(offServer.status).toBe(422)
    expect(offServer.json()).toMatchObject({ error: 'wm_not_on_resource_server' })

    // Another wallet's pointer.
    const otherPointer = await send({
      ...base,
      paymentPointer: `${sandbox.url}/bob`,
      incomingPayment: `${sandbox.url}/incoming-payments/00000000-0000-0000-0000-000000000000`,
    })
    expect(otherPointer.status).toBe(422)
    expect(otherPointer.json()).toMatchObject({ error: 'wm_not_this_wallet' })

    // Malformed JSON and a wrong shape.
    expect((await send('{"incomingPayment": ')).status).toBe(400)
    expect((await send({ incomingPayment: 5 })).status).toBe(400)

    // An incoming payment of another wallet on the same resource server, really paid.
    const elsewhere = await sandbox.wmAgent.startSession({
      wallet: 'bob',
      receiver: `${sandbox.url}/carol`,
    })
    await sandbox.wmAgent.pay(elsewhere.id, 50n)
    const otherWallet = await send({ ...base, incomingPayment: elsewhere.incomingPayment })
    expect(otherWallet.status).toBe(202)

    // An unknown incoming payment on the right server.
    const unknown = await send({
      ...base,
      incomingPayment: `${sandbox.url}/incoming-payments/11111111-1111-1111-1111-111111111111`,
    })
    expect(unknown.status).toBe(202)
    await settled(server)
    expect(recordedWm(server)).toBe(0n)
    // Once refused, more reports about it are not read again.
    expect((await send({ ...base, incomingPayment: elsewhere.incomingPayment })).json()).toEqual({
      accepted: false,
    })

    // A page of an origin that is not allowed.
    const foreign = await report(
      server,
      { ...base, incomingPayment: elsewhere.incomingPayment },
      { origin: 'https://evil.example' },
    )
    expect(foreign.status).toBe(403)

    // A flood is rate-limited, never a 5xx.
    const statuses = await Promise.all(
      Array.from({ length: 650 }, () =>
        send({ ...base, incomingPayment: elsewhere.incomingPayment }).then((r) => r.status),
      ),
    )
    expect(statuses).toContain(429)
    expect(statuses.some((status) => status >= 500)).toBe(false)
    expect(recordedWm(server)).toBe(0n)
  }, 60_000)

  it('loses nothing and counts nothing twice across a restart mid-stream', async () => {
    const dataDir = makeTempDir()
    const port = await freePort()
    let server = await start(dataDir, port)
    let sandbox = sandboxOf(server)
    const session = await sandbox.wmAgent.startSession({
      wallet: 'alice',
      receiver: sandbox.streamer.address,
    })
    const pay = async (target: TestServer, agent: SandboxWallet) => {
      const paid = await agent.wmAgent.pay(session.id, 30n)
      await report(target, {
        incomingPayment: paid.incomingPayment,
        amountSent: paid.amountSent,
        paymentPointer: paid.paymentPointer,
      })
    }
    await pay(server, sandbox)
    await settled(server)
    await pay(server, sandbox)
    // Stop before the second payment is read: its read is due in SQLite, not in memory.
    await server.close()
    servers.splice(servers.indexOf(server), 1)

    server = await start(dataDir, port)
    sandbox = sandboxOf(server)
    await settled(server)
    const inWallet = await received(session.incomingPayment)
    expect(inWallet).toBe(58n)
    expect(recordedWm(server)).toBe(58n)
  }, 60_000)
})

describe('Web Monetization with the list-all grant', () => {
  it('counts streams no page reported, from the wallet listing alone', async () => {
    const server = await start(makeTempDir(), 0)
    const sandbox = sandboxOf(server)
    const begin = await rawRequest({
      method: 'POST',
      url: server.local('/api/web-monetization/list-all'),
      headers: server.adminHeaders(),
    })
    expect(begin.status).toBe(200)
    const finishUrl = await sandbox.approve(begin.json<{ redirect: string }>().redirect)
    // The wallet sends the streamer back to the public listener.
    const back = await rawRequest({ url: finishUrl.replace(/^http:\/\/[^/]+/, server.public('')) })
    expect(back.body).toContain('Listing approved')
    const page = await rawRequest({
      url: server.local('/api/web-monetization'),
      headers: { cookie: server.adminCookie },
    })
    expect(page.json()).toMatchObject({ listAll: { granted: true } })

    const session = await sandbox.wmAgent.startSession({
      wallet: 'alice',
      receiver: sandbox.streamer.address,
    })
    await sandbox.wmAgent.pay(session.id, 40n)
    await sandbox.wmAgent.pay(session.id, 40n)
    // The sandbox settles a payment a second after it is made; the poller lists every 10 s.
    await settle(1_500)
    await server.server.services.webMonetization.listAll.pollOnce()
    expect(recordedWm(server)).toBe(await received(session.incomingPayment))
    expect(recordedWm(server)).toBe(78n)
  }, 60_000)
})

describe('Web Monetization on the streamer side', () => {
  it('puts the link on the tip page, gives the snippet, alerts by step and counts on the overlay', async () => {
    const server = await start(makeTempDir(), 0)
    const sandbox = sandboxOf(server)
    const tipPage = await rawRequest({ url: server.public('/tip') })
    expect(tipPage.body).toContain(`<link rel="monetization" href="${sandbox.streamer.address}" />`)

    const settings = {
      reportOrigins: ['https://owncast.example'],
      supporterStep: '0.30',
      anonymousAlertSeconds: 60,
      countForSupporters: true,
    }
    const saved = await rawRequest({
      method: 'PUT',
      url: server.local('/api/web-monetization/settings'),
      headers: server.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(settings),
    })
    expect(saved.status).toBe(200)
    const badStep = await rawRequest({
      method: 'PUT',
      url: server.local('/api/web-monetization/settings'),
      headers: server.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ ...settings, supporterStep: 'lots' }),
    })
    expect(badStep.status).toBe(400)
    expect(badStep.json()).toMatchObject({ field: 'body.supporterStep' })

    const page = await rawRequest({
      url: server.local('/api/web-monetization'),
      headers: { cookie: server.adminCookie },
    })
    const info = page.json<{ linkTag: string; owncastSnippet: string; reportUrl: string }>()
    expect(info.linkTag).toBe(`<link rel="monetization" href="${sandbox.streamer.address}">`)
    expect(info.owncastSnippet).toContain(JSON.stringify(sandbox.streamer.address))
    expect(info.owncastSnippet).toContain(JSON.stringify(info.reportUrl))

    // The preflight of the allowed Owncast origin passes CORS; the report carries the chat user.
    const preflight = await rawRequest({
      method: 'OPTIONS',
      url: server.public('/api/wm/reports'),
      headers: {
        origin: 'https://owncast.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.headers['access-control-allow-origin']).toBe('https://owncast.example')

    const session = await sandbox.wmAgent.startSession({
      wallet: 'alice',
      receiver: sandbox.streamer.address,
    })
    for (let i = 0; i < 4; i += 1) {
      const paid = await sandbox.wmAgent.pay(session.id, 20n)
      await report(
        server,
        {
          incomingPayment: paid.incomingPayment,
          amountSent: paid.amountSent,
          paymentPointer: paid.paymentPointer,
          viewer: { id: 'chat-7', name: 'Ann', platform: 'owncast' },
        },
        { origin: 'https://owncast.example' },
      )
    }
    await settled(server)
    expect(recordedWm(server)).toBe(76n)

    // 0.76 streamed with a 0.30 step: alerts at the crossings only, never one per payment.
    const alerts = server.server.services.alertQueue.view()
    const wmAlerts = [
      ...(alerts.current ? [alerts.current] : []),
      ...alerts.queued,
      ...alerts.recent,
    ].filter((alert) => alert.source === 'web-monetization')
    expect(wmAlerts.length).toBeGreaterThanOrEqual(1)
    expect(wmAlerts.length).toBeLessThanOrEqual(2)
    expect(wmAlerts.every((alert) => alert.alert.name === 'Ann')).toBe(true)

    const key = new URL(server.server.services.desktop.overlayAlertsUrl()).searchParams.get('key')
    const overlay = await rawRequest({ url: server.local(`/overlay/wm?key=${key}`) })
    expect(overlay.status).toBe(200)
    const state = await rawRequest({ url: server.local(`/overlay/wm/state?key=${key}`) })
    expect(state.json()).toMatchObject({
      viewers: 1,
      total: { value: '76', assetCode: 'EUR', assetScale: 2 },
    })
    const noKey = await rawRequest({ url: server.local('/overlay/wm/state') })
    expect(noKey.status).toBeGreaterThanOrEqual(400)
  }, 60_000)
})
