/**
 * WM_TRUST_PROXY on the public listener: a spoofed X-Forwarded-For changes nobody's rate-limit key
 * unless configured; with a hop count or proxy addresses, the client is the right-most address that no
 * trusted proxy added.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig, type AppConfig } from '../config/config.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

const running: TestServer[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

async function serverTrusting(trustProxy: AppConfig['trustProxy']): Promise<TestServer> {
  const server = await startTestServer({ trustProxy })
  running.push(server)
  return server
}

/** What the rate limiter has left for the key this request is counted under. */
async function remaining(server: TestServer, forwardedFor?: string): Promise<number> {
  const response = await rawRequest({
    url: server.public('/healthz'),
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  })
  expect(response.status).toBe(200)
  return Number(response.headers['x-ratelimit-remaining'])
}

describe('WM_TRUST_PROXY', () => {
  it('off by default: every spoofed X-Forwarded-For counts against the same (peer) key', async () => {
    const server = await serverTrusting(loadConfig({}).trustProxy)
    const first = await remaining(server, '203.0.113.1')
    const second = await remaining(server, '203.0.113.2')
    const third = await remaining(server)
    expect([second, third]).toEqual([first - 1, first - 2])
  })

  it('a hop count trusts that many proxies: the client is the address the last trusted one saw', async () => {
    const server = await serverTrusting(1)
    const a = await remaining(server, '203.0.113.1')
    const b = await remaining(server, '203.0.113.2')
    expect(b).toBe(a) // two clients behind one tunnel: two keys
    // A client that sends its own header through the tunnel cannot pick its key: the tunnel appends
    // the real address, and only that right-most one is believed.
    const spoofed1 = await remaining(server, '198.51.100.7, 203.0.113.9')
    const spoofed2 = await remaining(server, '198.51.100.8, 203.0.113.9')
    expect(spoofed2).toBe(spoofed1 - 1)
  })

  it('proxy addresses: only those peers are believed, and their own hops are skipped', async () => {
    const server = await serverTrusting(['127.0.0.1', '::1', '10.0.0.0/8'])
    const one = await remaining(server, '203.0.113.5, 10.1.2.3')
    const two = await remaining(server, '198.51.100.1, 203.0.113.5, 10.9.9.9')
    expect(two).toBe(one - 1) // both are 203.0.113.5
  })

  it('a bad value is a configuration error naming the variable', () => {
    expect(() => loadConfig({ WM_TRUST_PROXY: 'sometimes' })).toThrow(/WM_TRUST_PROXY/)
    expect(loadConfig({ WM_TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ WM_TRUST_PROXY: 'off' }).trustProxy).toBe(false)
  })
})
