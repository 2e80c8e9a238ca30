import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPublicApp } from '../../app/publicApp.js'
import type { NormalizedPlatformEvent } from '../../contracts/integrations.js'
import { rawRequest, startTestServer, type TestServer } from '../../testing/harness.js'
import {
  adminSend,
  allProcessed,
  events,
  fixture,
  fixtureFiles,
  integrationsFor,
  owncastWebhookUrl,
  postJson,
} from '../../testing/integrations.js'

type Expected = Partial<NormalizedPlatformEvent> & Record<string, unknown>

const LIVE_STATUS = {
  online: true,
  viewerCount: 14,
  streamTitle: 'Late-night synthwave & chill 🌙',
  lastConnectTime: '2026-07-18T21:02:11.000Z',
  lastDisconnectTime: null,
  versionNumber: '0.2.5',
}

/** What each fixture must mean once normalized (current format). */
const CURRENT: Record<string, Expected> = {
  'owncast/chat.json': {
    type: 'chat.message',
    sourceType: 'CHAT',
    format: 'owncast',
    eventId: 'q7mWf2LNg',
    occurredAt: '2026-07-18T21:16:02.554Z',
    serverUrl: 'https://live.example.org',
    status: LIVE_STATUS,
    user: {
      id: 'tHK3o1wNg',
      displayName: 'みか🎧',
      displayColor: 3,
      authenticated: false,
      isBot: false,
      anonymous: false,
    },
    chat: {
      messageId: 'q7mWf2LNg',
      text: 'こんばんは！ Tip jar is at https://tips.example.org/mika **thanks** for the vibes :bananadance: 🎉',
      html: expect.stringContaining('<strong>thanks</strong>') as unknown as string,
      visible: true,
    },
  },
  'owncast/chat_html_injection_attempt.json': {
    type: 'chat.message',
    eventId: 'Kd9vXc1mg',
    user: expect.objectContaining({ displayName: 'curious-heron' }) as never,
    chat: {
      messageId: 'Kd9vXc1mg',
      // Kept as data, exactly as typed; the dashboard renders it as text, never as HTML.
      text: 'hi <script>alert(1)</script><img src=x onerror=alert(2)> [click](https://evil.example) <iframe src="https://evil.example"></iframe>',
      html: '<p>hi alert(1) <a href="https://evil.example" rel="nofollow noreferrer noopener" target="_blank">click</a></p>',
      visible: true,
    },
  },
  'owncast/fediverse_engagement_follow.json': {
    type: 'fediverse.followed',
    sourceType: 'FEDIVERSE_ENGAGEMENT_FOLLOW',
    format: 'owncast',
    eventId: 'AqilY4hDR',
    occurredAt: '2026-07-18T21:25:12.528Z',
    status: null,
    serverUrl: 'https://live.example.org',
    follow: {
      name: 'Ana Łukasiewicz ✨',
      username: 'ana@mastodon.example',
      image: 'https://mastodon.example/system/accounts/avatars/ana.png',
    },
  },
  'owncast/name_change.json': {
    type: 'chat.name_changed',
    sourceType: 'NAME_CHANGE',
    eventId: 'Gsx7eK6MI',
    occurredAt: '2026-07-18T21:20:02.771Z',
    user: expect.objectContaining({ id: '8cFqPzWvR' }) as never,
    nameChange: { previousName: 'quiet-lynx', newName: 'Zoë "zed" Ångström' },
  },
  'owncast/stream_started.json': {
    type: 'stream.started',
    eventId: 'WtokptnVR',
    occurredAt: '2026-07-18T21:02:11.907Z',
    status: { ...LIVE_STATUS, viewerCount: 0 },
    stream: {
      title: 'Late-night synthwave & chill 🌙',
      name: "Mika's Night Shift",
      summary: 'Cozy synthwave streams, every weeknight. <3 Be nice in chat.',
      url: 'https://live.example.org',
      topic: null,
      channelName: "Mika's Night Shift",
      streamer: null,
    },
  },
  'owncast/stream_stopped.json': {
    type: 'stream.stopped',
    eventId: 'YP-apt4ng',
    occurredAt: '2026-07-18T23:58:40.205Z',
    status: {
      online: false,
      viewerCount: 3,
      streamTitle: 'Late-night synthwave & chill 🌙',
      lastConnectTime: '2026-07-18T21:02:11.000Z',
      lastDisconnectTime: '2026-07-18T23:58:40.000Z',
      versionNumber: '0.2.5',
    },
  },
  'owncast/user_joined.json': {
    type: 'viewer.joined',
    sourceType: 'USER_JOINED',
    eventId: 'wAgc7eM7g',
    user: expect.objectContaining({ id: '1h2bK5sNR', displayName: 'curious-heron' }) as never,
  },
  'owncast/visibility_update.json': {
    type: 'chat.visibility_changed',
    sourceType: 'VISIBILITY-UPDATE',
    eventId: 'zqGup7tVR',
    user: null,
    visibility: { messageIds: ['Kd9vXc1mg', 'rvd2ppn4g'], visible: false },
  },
}

/** Owncast 0.1.x: no status or serverURL, clientId, empty ids, zero times, capitalised keys. */
const V01: Record<string, Expected> = {
  'owncast/v0.1/chat.json': {
    type: 'chat.message',
    format: 'owncast-0.1',
    eventId: 'q7mWf2LNg',
    status: null,
    serverUrl: null,
    user: expect.objectContaining({ id: 'tHK3o1wNg', displayName: 'みか🎧' }) as never,
    chat: expect.objectContaining({ text: expect.stringContaining('**thanks**') }) as never,
  },
  'owncast/v0.1/name_change.json': {
    type: 'chat.name_changed',
    format: 'owncast-0.1',
    eventId: null,
    // Go's zero time 0001-01-01T00:00:00Z means "unknown".
    occurredAt: null,
    nameChange: { previousName: 'quiet-lynx', newName: 'Zoë "zed" Ångström' },
  },
  'owncast/v0.1/stream_started.json': {
    type: 'stream.started',
    format: 'owncast-0.1',
    eventId: 'WtokptnVR',
    status: expect.objectContaining({ versionNumber: '0.1.3', online: true }) as never,
    stream: expect.objectContaining({ title: 'Late-night synthwave & chill 🌙' }) as never,
  },
  'owncast/v0.1/visibility_update.json': {
    type: 'chat.visibility_changed',
    format: 'owncast-0.1',
    eventId: 'zqGup7tVR',
    occurredAt: '2026-07-18T19:19:30.225Z',
    visibility: { messageIds: ['Kd9vXc1mg', 'rvd2ppn4g'], visible: false },
  },
}

function countRows(t: TestServer): number {
  return (t.server.db.prepare('SELECT COUNT(*) AS n FROM platform_events').get() as { n: number }).n
}

describe('POST /webhooks/owncast', () => {
  let t: TestServer
  afterEach(async () => {
    await t?.close()
  })

  it('replays every current-format fixture and stores what each means', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    expect(url).toMatch(/\/webhooks\/owncast\?key=[\w-]{20,}$/)
    const files = fixtureFiles('owncast').filter((file) => file.endsWith('.json'))
    expect(files.sort()).toEqual(Object.keys(CURRENT).sort())
    for (const file of files) {
      const response = await postJson(url, fixture(file))
      expect(response.status, `${file}: ${response.body}`).toBe(202)
      expect(response.json()).toMatchObject({ status: 'stored', type: CURRENT[file]?.type })
    }
    const stored = await allProcessed(t)
    expect(stored).toHaveLength(files.length)
    for (const file of files) {
      const expected = CURRENT[file] as Expected
      const event = stored.find((item) => item.eventId === expected.eventId)
      expect(event?.normalized, file).toMatchObject({ platform: 'owncast', ...expected })
      // The raw body is kept as text, byte for byte (non-ASCII names and emoji included).
      const row = t.server.db
        .prepare(
          "SELECT typeof(payload) AS kind, payload FROM platform_events WHERE platform = 'owncast' AND event_id = ?",
        )
        .get(expected.eventId) as { kind: string; payload: string }
      expect(row, file).toEqual({ kind: 'text', payload: fixture(file).toString('utf8') })
    }
  })

  it('accepts the Owncast 0.1.x format of every fixture', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const files = fixtureFiles('owncast/v0.1')
    expect(files.sort()).toEqual(Object.keys(V01).sort())
    for (const file of files) {
      const response = await postJson(url, fixture(file))
      expect(response.status, `${file}: ${response.body}`).toBe(202)
    }
    const stored = await allProcessed(t)
    for (const file of files) {
      const expected = V01[file] as Expected
      const event = stored.find((item) => item.normalized?.type === expected.type)
      expect(event?.normalized, file).toMatchObject({ platform: 'owncast', ...expected })
    }
  })

  it('stores the same event once, even when deliveries race', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const body = fixture('owncast/chat.json')
    const first = await postJson(url, body)
    const second = await postJson(url, body)
    expect(first.json()).toMatchObject({ status: 'stored', eventId: 'q7mWf2LNg' })
    expect(second.status).toBe(202)
    expect(second.json()).toMatchObject({ status: 'duplicate', eventId: 'q7mWf2LNg' })
    // Two copies arriving together land in the same write batch.
    const racing = await Promise.all([
      postJson(url, fixture('owncast/user_joined.json')),
      postJson(url, fixture('owncast/user_joined.json')),
      postJson(url, fixture('owncast/user_joined.json')),
    ])
    expect(racing.map((r) => r.json<{ status: string }>().status).sort()).toEqual([
      'duplicate',
      'duplicate',
      'stored',
    ])
    // 0.1.x NAME_CHANGE has no id: the same bytes twice are one delivery.
    await postJson(url, fixture('owncast/v0.1/name_change.json'))
    const again = await postJson(url, fixture('owncast/v0.1/name_change.json'))
    expect(again.json()).toMatchObject({ status: 'duplicate', eventId: null })
    expect(countRows(t)).toBe(3)
  })

  it('refuses every malformed body with a clear 4xx and stores nothing', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const expectations: Record<string, { status: number; error: string; field?: string }> = {
      'owncast/bad/chat_missing_user.json': {
        status: 400,
        error: 'invalid_event',
        field: 'body.eventData.user',
      },
      'owncast/bad/event_data_is_string.json': {
        status: 400,
        error: 'invalid_event',
        field: 'body.eventData',
      },
      'owncast/bad/huge_body.json': { status: 413, error: 'body_too_large' },
      'owncast/bad/invalid_utf8.bin': { status: 400, error: 'invalid_encoding' },
      'owncast/bad/missing_event_data.json': {
        status: 400,
        error: 'invalid_event',
        field: 'body.eventData',
      },
      'owncast/bad/not_json.txt': { status: 400, error: 'invalid_json' },
      'owncast/bad/truncated.json': { status: 400, error: 'invalid_json' },
    }
    const files = fixtureFiles('owncast/bad')
    expect(files.sort()).toEqual(
      [...Object.keys(expectations), 'owncast/bad/unknown_type.json'].sort(),
    )
    for (const file of Object.keys(expectations)) {
      const expected = expectations[file] as { status: number; error: string; field?: string }
      const response = await postJson(url, fixture(file))
      expect(response.status, `${file}: ${response.body}`).toBe(expected.status)
      const body = response.json<{ error: string; message: string; field?: string }>()
      expect(body.error, file).toBe(expected.error)
      expect(body.message.length, file).toBeGreaterThan(10)
      if (expected.field) expect(body.field, file).toBe(expected.field)
      expect(countRows(t), file).toBe(0)
    }
    // The same bodies as text/plain (not_json.txt as a form would come) get the same answers.
    const plain = await rawRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fixture('owncast/bad/not_json.txt'),
    })
    expect(plain.status).toBe(400)
    const empty = await postJson(url, '')
    expect(empty.status).toBe(400)
    expect(countRows(t)).toBe(0)
  })

  it('accepts a well-formed unknown type with 2xx and stores it as unknown', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const response = await postJson(url, fixture('owncast/bad/unknown_type.json'))
    expect(response.status).toBe(202)
    expect(response.json()).toMatchObject({ status: 'stored', type: 'unknown' })
    const [event] = await allProcessed(t)
    expect(event).toMatchObject({ type: 'unknown', sourceType: 'TIP_RECEIVED', streamId: null })
  })

  it('requires the URL key when no signing secret is configured', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const bare = url.split('?')[0] as string
    const missing = await postJson(bare, fixture('owncast/chat.json'))
    expect(missing.status).toBe(401)
    expect(missing.json()).toMatchObject({ error: 'webhook_key_required', field: 'query.key' })
    const wrong = await postJson(`${bare}?key=not-the-key`, fixture('owncast/chat.json'))
    expect(wrong.status).toBe(401)
    expect(wrong.json()).toMatchObject({ error: 'webhook_key_invalid' })
    expect(countRows(t)).toBe(0)
    // Rotating the key invalidates the old URL.
    const rotated = await adminSend(t, 'POST', '/api/integrations/owncast/rotate-webhook-key')
    const newUrl = rotated.json<{ webhookUrl: string }>().webhookUrl
    expect(newUrl).not.toBe(url)
    expect((await postJson(url, fixture('owncast/chat.json'))).status).toBe(401)
    expect((await postJson(newUrl, fixture('owncast/chat.json'))).status).toBe(202)
  })

  it('is not throttled by the public listener limit for keyed deliveries', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const template = fixture('owncast/chat.json').toString('utf8')
    // More than the listener's default of 600 per minute from one address (a busy chat).
    const statuses: number[] = []
    for (let batch = 0; batch < 13; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          postJson(url, template.replace('q7mWf2LNg', `m${batch}-${i}`)),
        ),
      )
      statuses.push(...responses.map((r) => r.status))
    }
    expect(statuses.filter((status) => status !== 202)).toEqual([])
    expect(countRows(t)).toBe(650)
  })

  it('prints the webhook URLs to paste in the headless banner', async () => {
    t = await startTestServer()
    const url = await owncastWebhookUrl(t)
    const lines = t.server.bannerLines().join('\n')
    expect(lines).toContain(url)
    expect(lines).toMatch(/\/webhooks\/osp\?event=<event>\s+header X-Companion-Token: [\w-]{20,}/)
  })
})

describe('Owncast-Signature (fixtures/owncast/signed/cases.json, clock frozen at now_unix)', () => {
  interface SignedCase {
    body_file?: string
    body_inline?: string
    headers: Record<string, string>
    expect: string
  }
  const cases = JSON.parse(fixture('owncast/signed/cases.json').toString('utf8')) as {
    secret: string
    now_unix: number
    cases: Record<string, SignedCase>
  }
  const expectedAnswer: Record<string, { status: number; error?: string }> = {
    chat: { status: 202 },
    chat_bad_signature: { status: 401, error: 'signature_mismatch' },
    chat_stale_timestamp: { status: 401, error: 'signature_expired' },
    chat_missing_header: { status: 401, error: 'signature_required' },
    chat_reserialized_body: { status: 401, error: 'signature_mismatch' },
    chat_header_swapped_order: { status: 202 },
  }
  let t: TestServer
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    t = await startTestServer()
    const set = await adminSend(t, 'PUT', '/api/integrations/owncast/signing-secret', {
      value: cases.secret,
    })
    expect(set.json()).toMatchObject({ signingSecretConfigured: true, authMode: 'signature' })
    // The same feature on a public listener whose clock is frozen at the fixtures' now_unix.
    const frozen = integrationsFor(t.server.context, { now: () => cases.now_unix * 1000 }).feature
    app = await buildPublicApp({ ctx: t.server.context, features: [frozen] })
    await app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/owncast`
  })
  afterAll(async () => {
    await app?.close()
    await t?.close()
  })

  it('covers every case of the fixture file', () => {
    expect(Object.keys(cases.cases).sort()).toEqual(Object.keys(expectedAnswer).sort())
  })

  for (const [name, expected] of Object.entries(expectedAnswer)) {
    it(`${name}: ${expected.status === 202 ? 'accepted' : expected.error}`, async () => {
      const signedCase = cases.cases[name] as SignedCase
      const body = signedCase.body_file
        ? fixture(`owncast/signed/${signedCase.body_file}`)
        : Buffer.from(signedCase.body_inline as string, 'utf8')
      const before = countRows(t)
      const response = await rawRequest({
        method: 'POST',
        url: base,
        headers: signedCase.headers,
        body,
      })
      expect(response.status, response.body).toBe(expected.status)
      if (expected.error) {
        expect(response.json()).toMatchObject({ error: expected.error })
        expect(countRows(t)).toBe(before)
      } else {
        expect(response.json<{ eventId: string }>().eventId).toBe('q7mWf2LNg')
        expect(
          t.server.db
            .prepare("SELECT COUNT(*) AS n FROM platform_events WHERE event_id = 'q7mWf2LNg'")
            .get(),
        ).toEqual({ n: 1 })
      }
    })
  }

  it('the same signed request is refused once the clock has moved past the window', async () => {
    // The real clock (November 2026) is months after the signature's timestamp.
    const signedCase = cases.cases.chat as SignedCase
    const response = await rawRequest({
      method: 'POST',
      url: t.public('/webhooks/owncast'),
      headers: signedCase.headers,
      body: fixture('owncast/signed/chat.body.json'),
    })
    expect(response.status).toBe(401)
    expect(response.json()).toMatchObject({ error: 'signature_expired' })
  })

  it('an unsigned pre-0.3.0 server is accepted with the URL key once signing is not required', async () => {
    const cleared = await adminSend(t, 'DELETE', '/api/integrations/owncast/signing-secret')
    expect(cleared.json()).toMatchObject({ signingSecretConfigured: false, authMode: 'url-key' })
    const url = await owncastWebhookUrl(t)
    const unsigned = cases.cases.chat_missing_header as SignedCase
    const body = fixture('owncast/chat_html_injection_attempt.json')
    const response = await rawRequest({ method: 'POST', url, headers: unsigned.headers, body })
    expect(response.status).toBe(202)
    const stored = await events(t)
    expect(stored.some((event) => event.eventId === 'Kd9vXc1mg')).toBe(true)
  })
})
