import { createViewerSessions, VIEWER_COOKIE } from '../viewers/viewerSessions.js'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Value } from '@sinclair/typebox/value'
import { afterEach, describe, expect, it } from 'vitest'
import { decimalToMinor } from '../contracts/money.js'
import { TipTierSet, type TierConfigView } from '../contracts/tiers.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function start(dataDir?: string): Promise<TestServer> {
  const server = await startTestServer(dataDir ? { dataDir } : {})
  servers.push(server)
  return server
}

const json = { 'content-type': 'application/json' }

function postTips(server: TestServer, body: unknown) {
  return rawRequest({
    method: 'POST',
    url: server.public('/tips'),
    headers: json,
    body: JSON.stringify(body),
  })
}

function admin(server: TestServer, method: string, path: string, body?: unknown) {
  return rawRequest({
    method,
    url: server.local(`/api/gamification${path}`),
    headers: server.adminHeaders(body === undefined ? {} : json),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

function overlayTiers(server: TestServer) {
  const key = encodeURIComponent(server.server.context.overlayKeys.current())
  return rawRequest({
    url: server.local(`/plugins/wm/overlay/tip-tiers?streamId=stream-123&key=${key}`),
  })
}

const seedExample = {
  streamId: 'stream-123',
  viewerSegment: 'returning-supporters',
  theme: 'fun',
  currency: 'EUR',
  minAmount: 0.5,
  maxAmount: 20,
  useAI: false,
}

describe('seed tier API on the public listener', () => {
  it("answers the seed's example POST /tips with a valid TipTierSet inside [minAmount, maxAmount]", async () => {
    const server = await start()
    const response = await postTips(server, seedExample)
    expect(response.status).toBe(200)
    const set = response.json<TipTierSet>()
    expect(Value.Check(TipTierSet, set)).toBe(true)
    expect(set).toMatchObject({ theme: 'fun', currency: 'EUR' })
    expect(set.tiers.length).toBeGreaterThanOrEqual(3)
    for (const tier of set.tiers) {
      const minor = decimalToMinor(String(tier.amount), 2) // throws on float drift (e.g. 0.30000000000000004)
      expect(minor).toBeGreaterThanOrEqual(50n)
      expect(minor).toBeLessThanOrEqual(2000n)
      expect(tier).toMatchObject({ theme: 'fun', currency: 'EUR' })
    }
    expect(response.headers['x-tier-source']).toBe('builtin')
  })

  it('answers 400 naming the field for an unknown theme or currency, a bad amount or an empty range', async () => {
    const server = await start()
    const cases: [Record<string, unknown>, string, string][] = [
      [{ theme: 'steampunk' }, 'unknown_theme', 'body.theme'],
      [{ currency: 'XYZ' }, 'unknown_currency', 'body.currency'],
      [{ minAmount: 'lots' }, 'invalid_amount', 'body.minAmount'],
      [{ minAmount: 30, maxAmount: 20 }, 'empty_range', 'body.maxAmount'],
      [{ maxAmount: 0 }, 'empty_range', 'body.maxAmount'],
      [{ viewerSegment: 'whales' }, 'invalid_request', 'body.viewerSegment'],
    ]
    for (const [patch, error, field] of cases) {
      const response = await postTips(server, { ...seedExample, ...patch })
      expect(response.status, JSON.stringify(patch)).toBe(400)
      expect(response.json()).toMatchObject({ error, field })
    }
  })

  it('suggests by theme and currency (JPY in whole yen), and the streamer tiers without them', async () => {
    const server = await start()
    const jpy = await rawRequest({
      url: server.public('/tips/suggest?streamId=s&theme=space&currency=JPY'),
    })
    expect(jpy.status).toBe(200)
    const set = jpy.json<TipTierSet>()
    expect(set).toMatchObject({ theme: 'space', currency: 'JPY' })
    for (const tier of set.tiers) expect(Number.isInteger(tier.amount)).toBe(true)
    const own = await rawRequest({ url: server.public('/tips/suggest?streamId=s') })
    expect(own.json<TipTierSet>()).toEqual((await overlayTiers(server)).json())
    const bad = await rawRequest({ url: server.public('/tips/suggest?theme=nope') })
    expect(bad.status).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'unknown_theme', field: 'query.theme' })
  })

  it("starts a returning supporter's ladder at their usual tip, from the viewer's own session only", async () => {
    const server = await start()
    const { ledger } = server.server.context
    const tips: [string, bigint][] = [
      ['https://wallet.example/regular', 800n],
      ['https://wallet.example/regular', 1200n],
      ['https://wallet.example/small', 100n],
      ['https://wallet.example/small', 100n],
    ]
    for (const [i, [supporterKey, cents]] of tips.entries())
      ledger.record({
        sourceKey: `tip-${i}`,
        kind: 'tip',
        amountValue: cents,
        assetCode: 'EUR',
        assetScale: 2,
        supporterKey,
      })
    const generic = (
      await postTips(server, { ...seedExample, viewerSegment: 'all-viewers' })
    ).json<TipTierSet>()
    expect(generic.tiers[0]!.amount).toBe(0.5)

    // The tip page's viewer session remembers the wallet: that viewer's ladder starts at their usual tip.
    const sessions = createViewerSessions({ db: server.server.context.db })
    const { cookieValue, session } = sessions.create()
    sessions.rememberWallet(session.id, 'https://wallet.example/regular')
    const returning = (
      await rawRequest({
        method: 'POST',
        url: server.public('/tips'),
        headers: { ...json, cookie: `${VIEWER_COOKIE}=${cookieValue}` },
        body: JSON.stringify(seedExample),
      })
    ).json<TipTierSet>()
    expect(returning.tiers[0]!.amount).toBe(10)
    expect(returning.tiers.at(-1)!.amount).toBe(20)

    // Without a session the segment's own figures place the ladder; a wallet named in the body is
    // ignored, so nobody can probe another supporter's usual tip.
    const segment = (await postTips(server, seedExample)).json<TipTierSet>()
    expect(segment.tiers[0]!.amount).toBeLessThan(10)
    const probed = (
      await postTips(server, { ...seedExample, viewerWallet: 'https://wallet.example/regular' })
    ).json<TipTierSet>()
    expect(probed).toEqual(segment)
  })
})

describe('streamer tiers (admin API), persisted and shown by the tip-tiers overlay', () => {
  it('picks a theme, then adds, renames, re-prices, reorders and removes tiers; survives a restart', async () => {
    const server = await start()
    const events: TipTierSet[] = []
    server.server.bus.on('tiers.updated', (set) => events.push(set))

    const picked = await admin(server, 'PUT', '/tiers/theme', { theme: 'space' })
    expect(picked.status).toBe(200)
    expect(picked.json<TierConfigView>()).toMatchObject({
      mode: 'theme',
      theme: 'space',
      currency: 'EUR',
    })
    expect((await overlayTiers(server)).json<TipTierSet>().tiers[0]!.name).toBe('Stardust')

    const added = await admin(server, 'POST', '/tiers/items', {
      emoji: '🛰️',
      name: 'Satellite',
      perk: 'Orbit the chat',
      amount: '7.25',
      position: 1,
    })
    expect(added.status).toBe(201)
    const afterAdd = added.json<TierConfigView>()
    expect(afterAdd.mode).toBe('custom')
    expect(afterAdd.tiers[1]).toMatchObject({ id: 'satellite', name: 'Satellite', amount: 7.25 })

    await admin(server, 'PATCH', '/tiers/items/satellite', { name: 'Space Station', amount: 8 })
    await admin(server, 'DELETE', '/tiers/items/space-supernova')
    const ids = afterAdd.tiers.map((tier) => tier.id).filter((id) => id !== 'space-supernova')
    const reordered = await admin(server, 'PUT', '/tiers/order', { ids: [...ids].reverse() })
    expect(reordered.status).toBe(200)
    const expected = reordered.json<TierConfigView>().tiers
    expect(expected[expected.length - 2]).toMatchObject({ name: 'Space Station', amount: 8 })
    expect(expected.some((tier) => tier.id === 'space-supernova')).toBe(false)
    expect((await overlayTiers(server)).json<TipTierSet>().tiers).toEqual(expected)
    expect(events.at(-1)!.tiers).toEqual(expected)

    const tooPrecise = await admin(server, 'PATCH', '/tiers/items/satellite', { amount: '1.234' })
    expect(tooPrecise.status).toBe(400)
    expect(tooPrecise.json()).toMatchObject({ error: 'invalid_amount', field: 'body.amount' })
    expect((await admin(server, 'DELETE', '/tiers/items/nope')).status).toBe(404)

    const dataDir = server.dataDir
    await servers.pop()!.close()
    const again = await start(dataDir)
    expect((await overlayTiers(again)).json<TipTierSet>().tiers).toEqual(expected)
    const view = (await admin(again, 'GET', '/tiers')).json<TierConfigView>()
    expect(view).toMatchObject({ mode: 'custom', theme: 'space' })
    expect(view.themes).toHaveLength(10)

    const reset = await admin(again, 'POST', '/tiers/reset')
    expect(reset.json<TierConfigView>()).toMatchObject({ mode: 'theme', theme: 'space' })
  })

  it('never shows the API key again once set', async () => {
    const server = await start()
    const saved = await admin(server, 'PUT', '/ai', {
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3',
      apiKey: 'sk-secret',
    })
    expect(saved.status).toBe(200)
    expect(saved.body).not.toContain('sk-secret')
    expect(saved.json()).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3',
      apiKeyConfigured: true,
    })
    const bad = await admin(server, 'PUT', '/ai', { baseUrl: 'file:///etc/passwd' })
    expect(bad.json()).toMatchObject({ error: 'invalid_ai_settings', field: 'body.baseUrl' })
  })
})

describe('tiers and the tip limits', () => {
  it('refuses a tier no viewer could pay, and follows limits the streamer changed', async () => {
    const server = await start()
    const tiersOf = (amounts: string[]) =>
      amounts.map((amount, index) => ({ emoji: '⭐', name: `Tier ${index}`, perk: '', amount }))
    // Default limits: €0.50 to €1,000.
    for (const amount of ['5000', '99999999999', '0.25']) {
      const refused = await admin(server, 'PUT', '/tiers', { tiers: tiersOf(['1', amount]) })
      expect(refused.status, amount).toBe(400)
      expect(refused.json(), amount).toMatchObject({
        error: 'invalid_amount',
        field: 'body.tiers.1.amount',
        message: expect.stringContaining(
          'between the smallest tip (0.50 EUR) and the largest (1000.00 EUR)',
        ),
      })
    }
    expect((await admin(server, 'PUT', '/tiers', { tiers: tiersOf(['1', '1000']) })).status).toBe(
      200,
    )

    // The streamer raises the largest tip (Settings): the same tier is accepted, and the tip API takes it.
    const limits = await rawRequest({
      method: 'PUT',
      url: server.local('/api/tips/settings'),
      headers: server.adminHeaders(json),
      body: JSON.stringify({ publicName: '', minAmount: '0.50', maxAmount: '5000' }),
    })
    expect(limits.status, limits.body).toBe(200)
    expect((await admin(server, 'PUT', '/tiers', { tiers: tiersOf(['1', '5000']) })).status).toBe(
      200,
    )
  })
})

describe('AI through the public API with the real 5 s limit', () => {
  it('uses a good answer, and falls back when the model never answers', async () => {
    let slow = false
    const model = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (slow) return // never answers
        const tiers = Array.from({ length: 6 }, (_, i) => ({
          emoji: '🌟',
          name: `Star ${i}`,
          perk: 'Shine',
        }))
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ tiers }) } }] }))
      })
    })
    await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve))
    try {
      const server = await start()
      const baseUrl = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`
      await admin(server, 'PUT', '/ai', { baseUrl, model: 'm' })
      const good = await postTips(server, {
        ...seedExample,
        viewerSegment: 'all-viewers',
        useAI: true,
      })
      expect(good.headers['x-tier-source']).toBe('ai')
      expect(good.json<TipTierSet>().tiers[0]!.name).toBe('Star 0')
      slow = true
      const fallback = await postTips(server, {
        ...seedExample,
        viewerSegment: 'new-viewers',
        useAI: true,
      })
      expect(fallback.status).toBe(200)
      expect(fallback.headers['x-tier-source']).toBe('builtin')
      expect(fallback.json<TipTierSet>().tiers[0]!.name).toBe('Spark')
    } finally {
      model.closeAllConnections()
      await new Promise((resolve) => model.close(resolve))
    }
  }, 20_000)
})
