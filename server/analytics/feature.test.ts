import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnalyticsSummary, EventsResponse } from '../contracts/analytics.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import { csvCell } from './csv.js'

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
  const repo = t.server.context.ledger
  const base = Date.now() - 60_000
  repo.record({
    sourceKey: 'a',
    kind: 'tip',
    amountValue: 150n,
    assetCode: 'EUR',
    assetScale: 2,
    supporterName: '=HYPERLINK("http://x")',
    message: 'hi, "you"\nthere',
    occurredAt: base,
  })
  repo.record({
    sourceKey: 'b',
    kind: 'web-monetization',
    amountValue: 7n,
    assetCode: 'EUR',
    assetScale: 2,
    supporterName: 'Bea',
    occurredAt: base + 1,
  })
  repo.record({
    sourceKey: 'c',
    kind: 'tip',
    amountValue: 500n,
    assetCode: 'EUR',
    assetScale: 2,
    supporterName: 'Test',
    isTest: true,
    occurredAt: base + 2,
  })
})
afterAll(() => t.close())

const get = (path: string, headers: Record<string, string> = { cookie: t.adminCookie }) =>
  rawRequest({ url: t.local(path), headers: { host: new URL(t.server.localUrl).host, ...headers } })

describe('analytics routes', () => {
  it('serve the summary to the admin session only', async () => {
    const ok = await get('/api/analytics/summary?timeframe=last_24h')
    expect(ok.status).toBe(200)
    const body = ok.json<AnalyticsSummary>()
    expect(body).toMatchObject({
      currency: 'EUR',
      totalAmount: 1.57,
      eventCount: 2,
      uniqueSupporters: 2,
    })
    expect((await get('/api/analytics/summary', {})).status).toBe(401)
  })

  it('answer the seed URL with the overlay key, and refuse a wrong key', async () => {
    const key = t.server.context.overlayKeys.current()
    const seed = await get(
      `/plugins/wm/analytics/summary?streamId=&timeframe=all_time&key=${encodeURIComponent(key)}`,
      {},
    )
    expect(seed.status).toBe(200)
    expect(seed.json<AnalyticsSummary>()).toMatchObject({
      streamId: null,
      timeframe: 'all_time',
      currency: 'EUR',
      totalAmount: 1.57,
      eventCount: 2,
      uniqueSupporters: 2,
    })
    expect(
      (await get('/plugins/wm/analytics/summary?timeframe=all_time&key=wrong', {})).status,
    ).toBe(403)
  })

  it('name the field of a bad query', async () => {
    const bad = await get('/api/analytics/summary?timeframe=last_year')
    expect(bad.status).toBe(400)
    expect(bad.json<{ field: string }>().field).toContain('timeframe')
    const badTime = await get('/api/analytics/events?from=yesterday')
    expect(badTime.status).toBe(400)
    expect(badTime.json<{ field: string }>().field).toBe('querystring.from')
  })

  it('list events, test events only on request', async () => {
    const list = (await get('/api/analytics/events')).json<EventsResponse>()
    expect(list.events.map((e) => e.id)).toHaveLength(2)
    const all = (await get('/api/analytics/events?includeTest=true')).json<EventsResponse>()
    expect(all.events).toHaveLength(3)
  })

  it('export CSV a spreadsheet opens safely: decimal amounts, currency column, no formulas', async () => {
    const csv = await get('/api/analytics/export?format=csv')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="wm-support-events-.*\.csv"/,
    )
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toBe('id,occurred_at,kind,amount,currency,supporter,message,tier,stream,test')
    expect(lines[1]).toContain(
      ',tip,1.50,EUR,"\'=HYPERLINK(""http://x"")","hi, ""you""\nthere",,,no',
    )
    expect(lines[2]).toContain(',web-monetization,0.07,EUR,Bea,')
    expect(csv.body.startsWith('\uFEFF')).toBe(true)
    const json = await get('/api/analytics/export?format=json&kind=tip')
    const rows = JSON.parse(json.body) as { amountDecimal: string; amount: { assetCode: string } }[]
    expect(rows).toEqual([
      expect.objectContaining({
        amountDecimal: '1.50',
        amount: expect.objectContaining({ assetCode: 'EUR' }),
      }),
    ])
  })
})

describe('csvCell', () => {
  it('neutralises every formula start and quotes what needs quotes', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/)
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell(' padded')).toBe('" padded"')
    expect(csvCell(null)).toBe('')
  })
})

describe('public URL check', () => {
  it('reaches the public listener and explains that WM_PUBLIC_URL is still unset', async () => {
    const check = await rawRequest({
      method: 'POST',
      url: t.local('/api/setup/public-url-check'),
      headers: { ...t.adminHeaders({ 'content-type': 'application/json' }) },
      body: '{}',
    })
    expect(check.status).toBe(200)
    const body = check.json<{
      reachable: boolean
      ok: boolean
      configured: boolean
      message: string
    }>()
    expect(body).toMatchObject({ reachable: true, ok: false, configured: false })
    expect(body.message).toMatch(/set WM_PUBLIC_URL/)
  })

  it('says nothing answers when the tunnel is down', async () => {
    const down = await startTestServer({ publicUrl: 'https://127.0.0.1:9' })
    try {
      const check = await rawRequest({
        method: 'POST',
        url: down.local('/api/setup/public-url-check'),
        headers: down.adminHeaders({ 'content-type': 'application/json' }),
        body: '{}',
      })
      const body = check.json<{ reachable: boolean; message: string }>()
      expect(body.reachable).toBe(false)
      expect(body.message).toMatch(/Nothing answered at https:\/\/127\.0\.0\.1:9/)
    } finally {
      await down.close()
    }
  })
})
