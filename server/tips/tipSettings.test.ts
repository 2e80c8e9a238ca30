/**
 * The tip settings on the admin API: decimal strings at the edge, minor units inside, and the limits
 * the tip page then shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TipPageResponse, TipSettings } from '../contracts/tips.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.close()
})

function put(body: unknown) {
  return rawRequest({
    method: 'PUT',
    url: server.local('/api/tips/settings'),
    headers: server.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  })
}

describe('tip settings', () => {
  it('answers the defaults in the streamer currency before anything is set', async () => {
    const response = await rawRequest({
      url: server.local('/api/tips/settings'),
      headers: { cookie: server.adminCookie },
    })
    expect(response.json()).toEqual({ publicName: '', minAmount: '0.50', maxAmount: '1000.00' })
  })

  it('stores exact amounts at the asset scale and the tip page uses them', async () => {
    const saved = await put({ publicName: '  Ada  ', minAmount: '1.5', maxAmount: '20' })
    expect(saved.status, saved.body).toBe(200)
    expect(saved.json<TipSettings>()).toEqual({
      publicName: 'Ada',
      minAmount: '1.50',
      maxAmount: '20.00',
    })
    const page = (await rawRequest({ url: server.public('/api/tip-page') })).json<TipPageResponse>()
    expect(page.publicName).toBe('Ada')
    expect(page.minAmount).toEqual({ value: '150', assetCode: 'EUR', assetScale: 2 })
    expect(page.maxAmount).toEqual({ value: '2000', assetCode: 'EUR', assetScale: 2 })
  })

  it('refuses amounts that are not exact, not positive or out of order, naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ publicName: '', minAmount: '1.234', maxAmount: '20' }, 'body.minAmount'],
      [{ publicName: '', minAmount: '1', maxAmount: 'lots' }, 'body.maxAmount'],
      [{ publicName: '', minAmount: '0', maxAmount: '20' }, 'body.minAmount'],
      [{ publicName: '', minAmount: '5', maxAmount: '4.99' }, 'body.maxAmount'],
    ]
    for (const [body, field] of cases) {
      const response = await put(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_amount', field })
    }
  })
})
