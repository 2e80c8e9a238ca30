/**
 * The public tip API, the callback page, the tip page and the wallet setup API, over real HTTP against
 * the sandbox wallet (real SDK, response validation on).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TipFlowView, TipPageResponse } from '../contracts/tips.js'
import type { WalletStatusResponse } from '../contracts/wallet.js'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import {
  rawRequest,
  startTestServer,
  type RawResponse,
  type TestServer,
} from '../testing/harness.js'
import { createSupportEventRepository } from '../support/supportRepository.js'

let sandbox: SandboxWallet
let server: TestServer

function alice(): string {
  return sandbox.viewers.find((wallet) => wallet.id === 'alice')!.address
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

async function configureWallet(
  target: TestServer,
  body: Record<string, unknown>,
): Promise<RawResponse> {
  return post(target.local('/api/wallet'), body, target.adminHeaders())
}

async function waitForState(
  target: TestServer,
  flowId: string,
  states: string[],
): Promise<TipFlowView> {
  for (let i = 0; i < 200; i += 1) {
    const view = (
      await rawRequest({ url: target.public(`/api/tips/${flowId}`) })
    ).json<TipFlowView>()
    if (states.includes(view.state)) return view
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`flow ${flowId} never reached ${states.join('/')}`)
}

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 20, continueWaitSec: 0 })
  // Tips arrive through one tunnel on loopback: its X-Forwarded-For names the client.
  server = await startTestServer({ opInsecureHttp: true, trustProxy: 1 })
  const setup = await configureWallet(server, {
    walletAddress: sandbox.streamer.address,
    keyId: sandbox.client.keyId,
    privateKey: sandbox.client.privateKeyPem,
  })
  expect(setup.status, setup.body).toBe(200)
})

afterAll(async () => {
  await server?.close()
  await sandbox?.close()
})

describe('wallet setup API', () => {
  it('stores the wallet, its asset and the key as a secret that is never returned', async () => {
    const status = (
      await rawRequest({
        url: server.local('/api/wallet'),
        headers: { cookie: server.adminCookie },
      })
    ).json<WalletStatusResponse>()
    expect(status).toMatchObject({
      configured: true,
      source: 'manual',
      walletAddress: sandbox.streamer.address,
      keyId: sandbox.client.keyId,
      publicName: 'Sandbox Streamer',
      asset: { assetCode: 'EUR', assetScale: 2 },
      privateKeyConfigured: true,
    })
    expect(JSON.stringify(status)).not.toContain('PRIVATE KEY')
    expect(server.server.context.streamerAsset()).toEqual({ assetCode: 'EUR', assetScale: 2 })
    expect(server.server.context.secrets.get('wallet.privateKey')).toContain('PRIVATE KEY')
    const mode = fs.statSync(path.join(server.dataDir, 'secrets.json')).mode & 0o777
    expect(mode).toBe(0o600)
  })

  it('gives one clear message per failure', async () => {
    const base = {
      walletAddress: sandbox.streamer.address,
      keyId: sandbox.client.keyId,
      privateKey: sandbox.client.privateKeyPem,
    }
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [
        { ...base, walletAddress: 'https://127.0.0.1:1/streamer' },
        422,
        'wallet_unreachable',
        'walletAddress',
      ],
      [
        { ...base, walletAddress: `${sandbox.url}/nobody` },
        422,
        'not_a_wallet_address',
        'walletAddress',
      ],
      [{ ...base, keyId: 'not-a-key' }, 422, 'key_not_registered', 'keyId'],
      [
        {
          ...base,
          privateKey: crypto
            .generateKeyPairSync('ed25519')
            .privateKey.export({ format: 'pem', type: 'pkcs8' })
            .toString(),
        },
        422,
        'key_not_registered',
        'privateKey',
      ],
      [{ ...base, privateKey: 'not a key' }, 400, 'invalid_private_key', 'privateKey'],
      [
        { ...base, privateKeyPath: '/nonexistent/key.pem', privateKey: undefined },
        400,
        'invalid_private_key',
        'privateKeyPath',
      ],
      [{ ...base, walletAddress: 'ftp://x' }, 400, 'invalid_wallet_address', 'walletAddress'],
    ]
    for (const [body, status, code, field] of cases) {
      const response = await configureWallet(server, body)
      expect(response.status, JSON.stringify(body)).toBe(status)
      expect(response.json()).toMatchObject({ error: code, ...(field ? { field } : {}) })
    }
    // The working setup is untouched by the failed attempts.
    const status = (
      await rawRequest({
        url: server.local('/api/wallet'),
        headers: { cookie: server.adminCookie },
      })
    ).json<WalletStatusResponse>()
    expect(status.source).toBe('manual')
  })

  it('accepts the key as base64 of the PEM (Rafiki download) and from a file', async () => {
    const base64 = Buffer.from(sandbox.client.privateKeyPem).toString('base64')
    const byBase64 = await configureWallet(server, {
      walletAddress: `$${sandbox.url.replace('http://', '')}/streamer`,
      keyId: sandbox.client.keyId,
      privateKey: base64,
    })
    expect(byBase64.status, byBase64.body).toBe(200)
    const file = path.join(server.dataDir, 'key.pem')
    fs.writeFileSync(file, sandbox.client.privateKeyPem, { mode: 0o600 })
    const byFile = await configureWallet(server, {
      walletAddress: sandbox.streamer.address,
      keyId: sandbox.client.keyId,
      privateKeyPath: file,
    })
    expect(byFile.status, byFile.body).toBe(200)
  })

  it('says "grant refused" when the auth server refuses the incoming-payment grant', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519')
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'EdDSA', use: 'sig' }
    const stub: FastifyInstance = Fastify()
    let base = ''
    stub.get('/w', async () => ({
      id: `${base}/w`,
      publicName: 'Refusing Wallet',
      assetCode: 'EUR',
      assetScale: 2,
      authServer: `${base}/auth`,
      resourceServer: base,
    }))
    stub.get('/w/jwks.json', async () => ({ keys: [jwk] }))
    stub.post('/auth', async (_request, reply) =>
      reply
        .code(400)
        .send({ error: { code: 'invalid_client', description: 'client not allowed' } }),
    )
    await stub.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`
    try {
      const response = await configureWallet(server, {
        walletAddress: `${base}/w`,
        keyId: 'k1',
        privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      })
      expect(response.status).toBe(422)
      expect(response.json()).toMatchObject({ error: 'grant_refused' })
      expect(response.json<{ message: string }>().message).toContain('client not allowed')
    } finally {
      await stub.close()
    }
  })
})

describe('public tip API', () => {
  it('GET /api/tip-page: public name, asset, tiers in minor units, limits', async () => {
    const response = await rawRequest({ url: server.public('/api/tip-page?streamId=abc') })
    expect(response.status).toBe(200)
    const page = response.json<TipPageResponse>()
    expect(page).toMatchObject({
      publicName: 'Sandbox Streamer',
      asset: { assetCode: 'EUR', assetScale: 2 },
      available: true,
      minAmount: { value: '50', assetCode: 'EUR' },
      maxAmount: { value: '100000', assetCode: 'EUR' },
      limits: { name: 32, message: 200 },
      rememberedWallet: null,
      sandboxWallets: null,
    })
    expect(page.tiers.length).toBeGreaterThan(0)
    for (const tier of page.tiers) {
      expect(tier.amount).toMatchObject({ assetCode: 'EUR', assetScale: 2 })
      expect(tier.amount.value).toMatch(/^[1-9]\d*$/)
    }
  })

  it('POST /api/tips: each violation is a 400 naming the field', async () => {
    const tiers = (
      await rawRequest({ url: server.public('/api/tip-page') })
    ).json<TipPageResponse>().tiers
    const ok = { viewerWallet: alice(), tierId: tiers[0]!.id }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, name: 'x'.repeat(33) }, 'name'],
      [{ ...ok, message: 'y'.repeat(201) }, 'message'],
      [{ viewerWallet: alice(), amount: '5000.01' }, 'amount'],
      [{ viewerWallet: alice(), amount: '0.10' }, 'amount'],
      [{ viewerWallet: alice(), amount: '1.234' }, 'amount'],
      [{ viewerWallet: alice(), amount: 'abc' }, 'amount'],
      [{ viewerWallet: alice() }, 'amount'],
      [{ ...ok, tierId: 'nope' }, 'tierId'],
      [{ ...ok, viewerWallet: 'not a wallet' }, 'viewerWallet'],
      [{ ...ok, viewerWallet: 'http://wallet.example/alice' }, 'viewerWallet'],
      [{ tierId: tiers[0]!.id }, 'body.viewerWallet'],
    ]
    for (const [body, field] of cases) {
      const response = await post(server.public('/api/tips'), body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.json<{ field: string }>().field).toBe(field)
    }
    // 32 characters after trimming and removing control characters is fine.
    const trimmed = await post(server.public('/api/tips'), {
      ...ok,
      name: `  ${'n'.repeat(32)}\u0007  `,
      message: ' hi\u0000 ',
    })
    expect(trimmed.status, trimmed.body).toBe(201)
    const view = (
      await rawRequest({
        url: server.public(`/api/tips/${trimmed.json<{ flowId: string }>().flowId}`),
      })
    ).json<TipFlowView>()
    expect(view).toMatchObject({ name: 'n'.repeat(32), message: 'hi', state: 'awaiting_consent' })
  })

  it('a viewer tips end to end: consent URL, callback page, live status, remembered wallet', async () => {
    const streamerBefore = sandbox.balanceOf('streamer')
    const start = await post(server.public('/api/tips'), {
      viewerWallet: alice(),
      amount: '2.50',
      name: 'Alice',
      message: 'gg',
    })
    expect(start.status, start.body).toBe(201)
    const { flowId, consentUrl, statusUrl } = start.json<{
      flowId: string
      consentUrl: string
      statusUrl: string
    }>()
    expect(statusUrl).toBe(`/api/tips/${flowId}`)
    const cookie = String(start.headers['set-cookie']).split(';')[0]!
    expect(cookie).toMatch(/^wm_viewer=/)

    const finish = new URL(await sandbox.approve(consentUrl))
    expect(finish.origin + finish.pathname).toBe(server.public(`/tip/callback/${flowId}`))
    const page = await rawRequest({ url: finish.href })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.body).toContain('/tip/assets/callback.js')
    expect(page.body).toContain(`data-origin="${new URL(server.server.publicUrl).origin}"`)

    const view = await waitForState(server, flowId, ['completed', 'failed'])
    expect(view).toMatchObject({
      state: 'completed',
      amount: { value: '250', assetCode: 'EUR' },
      name: 'Alice',
      message: 'gg',
    })
    expect(sandbox.balanceOf('streamer') - streamerBefore).toBe(250n)

    // A replayed callback shows the result again and changes nothing.
    const replay = await rawRequest({ url: finish.href })
    expect(replay.status).toBe(200)
    const tips = () => createSupportEventRepository(server.server.db).recorded('tip').length
    const count = tips()
    const again = await rawRequest({ url: finish.href })
    expect(again.status).toBe(200)
    expect(tips()).toEqual(count)

    const remembered = (
      await rawRequest({ url: server.public('/api/tip-page'), headers: { cookie } })
    ).json<TipPageResponse>()
    expect(remembered.rememberedWallet).toBe(alice())
  })

  it('the admin API lists recent tip flows, newest first, and needs the admin session', async () => {
    const list = await rawRequest({
      url: server.local('/api/tips/flows?limit=3'),
      headers: { cookie: server.adminCookie },
    })
    expect(list.status).toBe(200)
    const flows = list.json<{ flows: TipFlowView[] }>().flows
    expect(flows.length).toBeGreaterThan(0)
    expect(flows.length).toBeLessThanOrEqual(3)
    const times = flows.map((flow) => flow.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
    expect((await rawRequest({ url: server.local('/api/tips/flows') })).status).toBe(401)
    expect((await rawRequest({ url: server.public('/api/tips/flows') })).status).not.toBe(200)
  })

  it('the callback of an unknown flow and the status of an unknown tip are 404s', async () => {
    const page = await rawRequest({
      url: server.public('/tip/callback/AAAAAAAAAAAAAAAAAAAAAA?hash=x&interact_ref=y'),
    })
    expect(page.status).toBe(404)
    expect(page.headers['content-type']).toContain('text/html')
    const status = await rawRequest({ url: server.public('/api/tips/AAAAAAAAAAAAAAAAAAAAAA') })
    expect(status.status).toBe(404)
    expect(status.json()).toMatchObject({ error: 'tip_not_found' })
  })

  it('serves the tip page (frameable, strict CSP) and the widget script', async () => {
    const page = await rawRequest({ url: server.public('/tip') })
    expect(page.status).toBe(200)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain('frame-ancestors http: https:')
    expect(csp).toContain("default-src 'none'")
    expect(page.headers['x-frame-options']).toBeUndefined()
    expect(page.body).toContain('/tip/assets/tip.js')
    for (const asset of ['tip.js', 'amounts.js', 'tip.css', 'callback.js']) {
      expect((await rawRequest({ url: server.public(`/tip/assets/${asset}`) })).status).toBe(200)
    }
    expect((await rawRequest({ url: server.public('/tip/assets/..%2Fpublic.ts') })).status).toBe(
      404,
    )
    const widget = await rawRequest({ url: server.public('/tip/widget.js') })
    expect(widget.status).toBe(200)
    expect(widget.body).toContain("customElements.define('wm-tip-panel'")
  })

  it('rate-limits tips per wallet', async () => {
    const wallet = `${sandbox.url}/rate-limited`
    let limited: RawResponse | undefined
    for (let i = 0; i < 40 && !limited; i += 1) {
      const response = await post(server.public('/api/tips'), {
        viewerWallet: wallet,
        amount: '0.01',
      })
      if (response.status === 429) limited = response
      else expect(response.status).toBe(400)
    }
    expect(limited?.json()).toMatchObject({ error: 'rate_limited', field: 'viewerWallet' })
    // Another wallet from the same address is not affected.
    const other = await post(server.public('/api/tips'), { viewerWallet: alice(), amount: '0.01' })
    expect(other.status).toBe(400)
  })
})

describe('rate limit per IP', () => {
  it('a client sending too many tips gets 429s while others are unaffected', async () => {
    let limited: RawResponse | undefined
    for (let i = 0; i < 70 && !limited; i += 1) {
      // A tunnel forwards from loopback: the real client is in X-Forwarded-For.
      const response = await post(
        server.public('/api/tips'),
        { viewerWallet: `https://wallet${i}.example/v`, amount: '0.01' },
        { 'x-forwarded-for': '203.0.113.7' },
      )
      if (response.status === 429) limited = response
      else expect(response.status).toBe(400)
    }
    expect(limited?.json()).toMatchObject({ error: 'rate_limited' })
    const other = await post(
      server.public('/api/tips'),
      { viewerWallet: alice(), amount: '0.01' },
      { 'x-forwarded-for': '203.0.113.8' },
    )
    expect(other.status).toBe(400)
  })
})

describe('WM_SANDBOX=1 with no wallet set up', () => {
  it('uses the sandbox streamer wallet by itself: a fresh install takes a sandbox tip', async () => {
    const fresh = await startTestServer({ sandbox: true, sandboxPort: 0 })
    try {
      const status = (
        await rawRequest({
          url: fresh.local('/api/wallet'),
          headers: { cookie: fresh.adminCookie },
        })
      ).json<WalletStatusResponse>()
      expect(status).toMatchObject({ configured: true, source: 'sandbox', sandboxAvailable: true })
      const page = (
        await rawRequest({ url: fresh.public('/api/tip-page') })
      ).json<TipPageResponse>()
      expect(page).toMatchObject({ available: true, publicName: 'Sandbox Streamer' })
      expect(page.sandboxWallets?.some((address) => address.endsWith('/alice'))).toBe(true)
      const list = (await rawRequest({ url: new URL('/', status.walletAddress!).href })).json<
        { address: string; role: string }[]
      >()
      const viewerAddress = list.find((wallet) => wallet.role === 'viewer')!.address
      const start = await post(fresh.public('/api/tips'), {
        viewerWallet: viewerAddress,
        tierId: page.tiers[0]!.id,
      })
      expect(start.status, start.body).toBe(201)
      const { flowId, consentUrl } = start.json<{ flowId: string; consentUrl: string }>()
      // Press Approve on the sandbox's consent page, as the viewer would.
      const consent = await rawRequest({ url: consentUrl })
      const action = /<form method="post" action="([^"]+)"/
        .exec(consent.body)?.[1]
        ?.replace(/&amp;/g, '&')
      expect(action).toBeTruthy()
      const decided = await rawRequest({
        method: 'POST',
        url: new URL(action!, consentUrl).href,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'decision=approve',
      })
      expect(decided.status).toBeGreaterThanOrEqual(300)
      expect((await rawRequest({ url: String(decided.headers.location) })).status).toBe(200)
      expect(await waitForState(fresh, flowId, ['completed', 'failed'])).toMatchObject({
        state: 'completed',
      })
      expect(createSupportEventRepository(fresh.server.db).recorded('tip')).toHaveLength(1)
      // "Use the sandbox wallet" in one click stores the choice.
      const chosen = await post(fresh.local('/api/wallet/sandbox'), {}, fresh.adminHeaders())
      expect(chosen.json()).toMatchObject({ source: 'sandbox', configured: true })
    } finally {
      await fresh.close()
    }
  })
})
