import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.close()
})

describe('local listener security model (DESIGN §2)', () => {
  it('rejects a Host header other than 127.0.0.1:<port> or localhost:<port> (DNS rebinding)', async () => {
    const port = new URL(t.server.localUrl).port
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      '127.0.0.1',
    ]) {
      const res = await rawRequest({
        url: t.local('/api/status'),
        headers: { host, cookie: t.adminCookie },
      })
      expect(res.status, host).toBe(403)
      expect(res.json().error).toBe('host_not_allowed')
    }
    const ok = await rawRequest({
      url: t.local('/api/status'),
      headers: { host: `localhost:${port}`, cookie: t.adminCookie },
    })
    expect(ok.status).toBe(200)
  })

  it('refuses the admin API without a session', async () => {
    const res = await rawRequest({ url: t.local('/api/status') })
    expect(res.status).toBe(401)
    expect(res.json()).toMatchObject({ error: 'unauthorized' })
    expect(res.json<{ message: string }>().message).toMatch(/token/)
    const forged = await rawRequest({
      url: t.local('/api/status'),
      headers: { cookie: 'wm_admin=forged' },
    })
    expect(forged.status).toBe(401)
  })

  it('signs in once per one-time token, with an HttpOnly SameSite=Strict cookie', async () => {
    const loginUrl = t.server.loginUrl()
    const first = await rawRequest({ url: loginUrl })
    expect(first.status).toBe(303)
    const cookie = first.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(/^wm_admin=/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const status = await rawRequest({
      url: t.local('/api/status'),
      headers: { cookie: cookie.split(';')[0] as string },
    })
    expect(status.status).toBe(200)

    // Used again without a session: no cookie, and the signed-out page that explains a new link.
    const replay = await rawRequest({ url: loginUrl })
    expect(replay.status).toBe(303)
    expect(replay.headers.location).toBe('/?signin=used')
    expect(replay.headers['set-cookie']).toBeUndefined()
    // Used again by the browser that is signed in: straight on to the dashboard.
    const signedIn = await rawRequest({
      url: loginUrl,
      headers: { cookie: cookie.split(';')[0] as string },
    })
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.location).toBe('/')
    expect(signedIn.headers['set-cookie']).toBeUndefined()
  })

  it('answers an admin path on the public port with 404: the route does not exist there', async () => {
    for (const path of [
      '/api/status',
      '/api/settings',
      '/auth?token=x',
      '/plugins/wm/admin',
      '/api/events',
    ]) {
      const res = await rawRequest({ url: t.public(path), headers: { cookie: t.adminCookie } })
      expect(res.status, path).toBe(404)
      expect(res.json().error).toBe('not_found')
    }
  })

  it('rejects a cross-origin mutation even with a valid cookie', async () => {
    const body = JSON.stringify({ paused: true })
    const crossOrigin = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/pause'),
      headers: {
        cookie: t.adminCookie,
        origin: 'http://evil.example',
        'content-type': 'application/json',
      },
      body,
    })
    expect(crossOrigin.status).toBe(403)
    expect(crossOrigin.json().error).toBe('cross_origin')

    const noOrigin = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/pause'),
      headers: { cookie: t.adminCookie, 'content-type': 'application/json' },
      body,
    })
    expect(noOrigin.status).toBe(403)
    expect(t.server.context.settings.get('alerts.paused')).toBe(false)

    const sameOrigin = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/pause'),
      headers: t.adminHeaders({ 'content-type': 'application/json' }),
      body,
    })
    expect(sameOrigin.status).toBe(200)
    expect(t.server.context.settings.get('alerts.paused')).toBe(true)
  })

  it('requires the overlay key on overlay URLs', async () => {
    const key = t.server.context.overlayKeys.current()
    const wrong = await rawRequest({
      url: t.local('/plugins/wm/overlay/tip-tiers?streamId=s1&key=wrong'),
    })
    expect(wrong.status).toBe(403)
    expect(wrong.json().error).toBe('bad_overlay_key')
    const missing = await rawRequest({ url: t.local('/plugins/wm/overlay/tip-tiers?streamId=s1') })
    expect(missing.status).toBe(403)
    const right = await rawRequest({
      url: t.local(`/plugins/wm/overlay/tip-tiers?streamId=s1&key=${key}`),
    })
    expect(right.status).toBe(200)
    expect(right.json<{ tiers: unknown[] }>().tiers.length).toBeGreaterThan(0)
    // The signed-in dashboard reads the same GET data with its session (previews, the seed summary URL).
    const summary = '/plugins/wm/analytics/summary?timeframe=all_time'
    const dashboard = await rawRequest({
      url: t.local(summary),
      headers: { cookie: t.adminCookie },
    })
    expect(dashboard.status).toBe(200)
    expect(dashboard.json()).toMatchObject({ timeframe: 'all_time', eventCount: 0 })
    expect((await rawRequest({ url: t.local(summary) })).status).toBe(403)
  })

  it('a rotated overlay key invalidates old overlay URLs', async () => {
    const old = t.server.context.overlayKeys.current()
    const rotated = await rawRequest({
      method: 'POST',
      url: t.local('/api/overlays/rotate-key'),
      headers: t.adminHeaders(),
    })
    expect(rotated.status).toBe(200)
    const res = await rawRequest({ url: t.local(`/plugins/wm/overlay/tip-tiers?key=${old}`) })
    expect(res.status).toBe(403)
  })

  it('serves the dashboard at / and /plugins/wm/admin with a strict CSP', async () => {
    for (const path of ['/', '/plugins/wm/admin']) {
      const res = await rawRequest({ url: t.local(path) })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/)
    }
  })

  it('answers /healthz on both listeners', async () => {
    expect((await rawRequest({ url: t.local('/healthz') })).json()).toMatchObject({
      status: 'ok',
      listener: 'local',
    })
    expect((await rawRequest({ url: t.public('/healthz') })).json()).toMatchObject({
      status: 'ok',
      listener: 'public',
    })
  })
})

describe('public listener input handling', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await rawRequest({ url: t.public('/nope/really') })
    expect(res.status).toBe(404)
    expect(res.json()).toEqual({ error: 'not_found', message: 'No route GET /nope/really' })
  })

  it('answers malformed JSON with a JSON 400 naming the problem', async () => {
    const res = await rawRequest({
      method: 'POST',
      url: t.public('/healthz'),
      headers: { 'content-type': 'application/json' },
      body: '{"type": "CHAT", ',
    })
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({ error: 'invalid_json' })
  })

  it('answers a body over 1 MB with a JSON 413 and stays up', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) })
    const res = await rawRequest({
      method: 'POST',
      url: t.public('/healthz'),
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(413)
    expect(res.json()).toMatchObject({ error: 'body_too_large' })
    expect((await rawRequest({ url: t.public('/healthz') })).status).toBe(200)
  })
})

describe('admin API input handling', () => {
  it('answers an unsupported content type with a JSON 415', async () => {
    const res = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/test'),
      headers: t.adminHeaders({ 'content-type': 'application/xml' }),
      body: '<a/>',
    })
    expect(res.status).toBe(415)
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type' })
  })

  it('validates test alert bodies with a 400 naming the field', async () => {
    const res = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/test'),
      headers: t.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ amount: '1.005' }),
    })
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({ error: 'invalid_amount', field: 'body.amount' })

    const extra = await rawRequest({
      method: 'PATCH',
      url: t.local('/api/settings'),
      headers: t.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ theme: 'neon' }),
    })
    expect(extra.status).toBe(400)
    expect(extra.json<{ message: string }>().message).toMatch(/body\.theme/)

    // A misspelt field is refused by name, not silently dropped (the setting would not change).
    const before = t.server.context.settings.get('alerts.paused')
    const unknown = await rawRequest({
      method: 'PATCH',
      url: t.local('/api/settings'),
      headers: t.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ alertPaused: !before }),
    })
    expect(unknown.status).toBe(400)
    expect(unknown.json()).toMatchObject({
      error: 'invalid_request',
      field: 'body.alertPaused',
      message: 'body.alertPaused is not a known field',
    })
    expect(t.server.context.settings.get('alerts.paused')).toBe(before)
  })

  it('records a test alert as a test support event and announces it on the bus', async () => {
    const seen: unknown[] = []
    const off = t.server.bus.on('alert.test', (event) => seen.push(event))
    const res = await rawRequest({
      method: 'POST',
      url: t.local('/api/alerts/test'),
      headers: t.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: '  Ann\u0007 ', amount: 2.5 }),
    })
    off()
    expect(res.status).toBe(201)
    const event = res.json<{ isTest: boolean; amount: unknown; supporterName: string }>()
    expect(event).toMatchObject({
      isTest: true,
      amount: { value: '250', assetCode: 'EUR', assetScale: 2 },
      supporterName: 'Ann',
    })
    expect(seen).toEqual([event])
  })
})
