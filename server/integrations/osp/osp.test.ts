import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OspTemplate } from '../../contracts/integrations.js'
import { rawRequest, startTestServer, type TestServer } from '../../testing/harness.js'
import {
  adminGet,
  allProcessed,
  events,
  fixture,
  fixtureFiles,
  streams,
} from '../../testing/integrations.js'
import { OSP_EVENTS } from './events.js'

interface Templates {
  header: string
  templates: OspTemplate[]
}

/**
 * OSP's own substitution (functions/webhookFunc.py processWebhookVariables): plain string replacement,
 * no escaping; empty or missing values become the literal NA; variables a call site does not pass stay.
 */
function ospRender(template: string, values: Record<string, string | null>): string {
  let out = template
  for (const [name, value] of Object.entries(values)) {
    out = out.split(`%${name}%`).join(value === null || value === '' ? 'NA' : value)
  }
  return out
}

describe('/webhooks/osp', () => {
  let t: TestServer
  let templates: Templates
  let token: string

  beforeAll(async () => {
    t = await startTestServer()
    templates = await adminGet<Templates>(t, '/api/integrations/osp/templates')
    token = (JSON.parse(templates.header) as Record<string, string>)['X-Companion-Token'] as string
  })
  afterAll(async () => {
    await t?.close()
  })

  function send(
    event: string | null,
    body: Buffer | string,
    { method = 'POST', headers = {} as Record<string, string> } = {},
  ) {
    const query = event ? `?event=${event}` : ''
    // python-requests always sends Content-Length (Node would send a GET body unframed otherwise).
    const length = String(Buffer.byteLength(body))
    return rawRequest({
      method,
      url: t.public(`/webhooks/osp${query}`),
      headers: {
        'content-type': 'application/json',
        'x-companion-token': token,
        'user-agent': 'python-requests/2.28.2',
        'content-length': length,
        ...headers,
      },
      body,
    })
  }

  async function lastEvent() {
    const [event] = await events(t, 'platform=osp&limit=1')
    return event
  }

  it('generates one template per trigger, with the URL, secret header and payload to paste', () => {
    expect(templates.templates.map((tpl) => tpl.trigger)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20,
    ])
    for (const tpl of templates.templates) {
      expect(tpl.endpointUrl).toBe(t.public(`/webhooks/osp?event=${tpl.event}`))
      expect(tpl.header).toBe(templates.header)
      expect(tpl.requestType).toBe(0)
      // Same shape as the fixture templates: valid JSON before substitution.
      expect(JSON.parse(tpl.payload)).toEqual(
        JSON.parse(
          fixture(
            `osp/templates/${String(tpl.trigger).padStart(2, '0')}_${tpl.event}.json`,
          ).toString('utf8'),
        ),
      )
    }
    expect(templates.templates.filter((tpl) => !tpl.firedByOsp).map((tpl) => tpl.event)).toEqual([
      'stream_upvote',
      'chat_message',
      'video_upvote',
    ])
  })

  it('replays every rendered fixture and stores what it means', async () => {
    const expected: Record<string, Record<string, unknown>> = {
      'osp/rendered/00_stream_start.json': { type: 'stream.started' },
      'osp/rendered/01_stream_end.json': { type: 'stream.stopped' },
      'osp/rendered/02_stream_viewer_join.json': {
        type: 'viewer.joined',
        user: {
          id: null,
          displayName: 'Guest',
          displayColor: null,
          authenticated: false,
          isBot: false,
          anonymous: true,
        },
      },
      'osp/rendered/04_stream_name_change.json': { type: 'stream.title_changed' },
    }
    expect(fixtureFiles('osp/rendered')).toEqual(Object.keys(expected))
    for (const file of Object.keys(expected)) {
      const body = fixture(file)
      const eventName = (JSON.parse(body.toString('utf8')) as { event: string }).event
      const response = await send(eventName, body)
      expect(response.status, response.body).toBe(202)
      const event = await lastEvent()
      expect(event?.normalized, file).toMatchObject({
        platform: 'osp',
        format: 'osp',
        sourceType: eventName,
        eventId: null,
        stream: {
          title: 'Ep. 4 Neon Rain',
          name: "Mika's Night Shift",
          summary: 'Synthwave & chill, weeknights',
          url: 'https://osp.example.net/view/6f1c2a9e-3b1d-4c0e-9e55-0c2d8b7f1a42',
          topic: 'Music',
          channelName: "Mika's Night Shift",
          streamer: 'mika',
        },
        ...expected[file],
      })
    }
    await allProcessed(t)
    // stream_start then stream_end: one OSP session, closed.
    const osp = (await streams(t)).streams.filter((s) => s.platform === 'osp')
    expect(osp).toHaveLength(1)
    expect(osp[0]?.endedAt).not.toBeNull()
  })

  it('recovers a quote that broke the JSON, because the URL names the event', async () => {
    const response = await send('stream_start', fixture('osp/bad/quote_breaks_json.json'))
    expect(response.status, response.body).toBe(202)
    expect((await lastEvent())?.normalized?.stream).toMatchObject({
      title: 'The "Neon Rain" premiere',
      channelName: "Mika's Night Shift",
    })
  })

  it('refuses broken JSON with a clear 400 when the URL names no event', async () => {
    const before = (await events(t)).length
    const response = await send(null, fixture('osp/bad/quote_breaks_json.json'))
    expect(response.status).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_json', field: 'body' })
    expect(response.json<{ message: string }>().message).toContain('?event=')
    const unknownEvent = await send('not_an_event', fixture('osp/bad/quote_breaks_json.json'))
    expect(unknownEvent.status).toBe(400)
    expect((await events(t)).length).toBe(before)
  })

  it('reads Latin-1 bodies', async () => {
    const response = await send('stream_start', fixture('osp/bad/latin1_encoded_body.bin'))
    expect(response.status, response.body).toBe(202)
    expect((await lastEvent())?.normalized?.stream?.channelName).toBe('Café Ünïcode')
  })

  it('turns NA and unreplaced %variables% into empty values, and recovers \\ and newlines', async () => {
    const viewerJoin = templates.templates.find((tpl) => tpl.event === 'stream_viewer_join')
    const rendered = ospRender(viewerJoin?.payload as string, {
      channelname: 'Back\\slash "quoted"\nsecond line',
      channelurl: 'https://osp.example.net/channel/7',
      channeltopic: '3',
      channelimage: null,
      streamer: 'mika',
      channeldescription: '',
      streamname: 'Ep. 5 <b>bold</b>',
      streamurl: 'https://osp.example.net/view/abc',
      streamtopic: 'Music',
      streamimage: 'https://osp.example.net/stream-thumb/abc.png',
      user: 'zoë',
      // userpicture: not passed by this call site, stays %userpicture%
    })
    expect(() => JSON.parse(rendered)).toThrow()
    const response = await send('stream_viewer_join', Buffer.from(rendered, 'latin1'))
    expect(response.status, response.body).toBe(202)
    const event = (await lastEvent())?.normalized
    expect(event).toMatchObject({
      type: 'viewer.joined',
      user: { displayName: 'zoë', anonymous: false },
      stream: {
        // Recovered verbatim, then a name is one line under the text rule.
        channelName: 'Back\\slash "quoted" second line',
        summary: null,
        title: 'Ep. 5 <b>bold</b>',
      },
    })
    const stored = (await events(t, 'platform=osp&limit=1'))[0]
    expect(stored?.normalized?.stream?.summary).toBeNull()
  })

  it('accepts GET, PUT and DELETE with the same body (OSP request types 1-3)', async () => {
    const body = fixture('osp/rendered/02_stream_viewer_join.json')
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await send('stream_viewer_join', body, { method })
      expect(response.status, `${method}: ${response.body}`).toBe(202)
    }
    // Two identical joins are two viewers: OSP events are never deduplicated.
    const joins = (await events(t, 'platform=osp')).filter((e) => e.type === 'viewer.joined')
    expect(joins.length).toBeGreaterThanOrEqual(4)
  })

  it('refuses requests without the secret header, and events the body contradicts', async () => {
    const before = (await events(t)).length
    const body = fixture('osp/rendered/00_stream_start.json')
    const missing = await send('stream_start', body, { headers: { 'x-companion-token': '' } })
    expect(missing.status).toBe(401)
    expect(missing.json()).toMatchObject({ error: 'osp_token_invalid' })
    const mismatch = await send('stream_end', body)
    expect(mismatch.status).toBe(400)
    expect(mismatch.json()).toMatchObject({ error: 'osp_event_mismatch', field: 'query.event' })
    const empty = await send('stream_start', '', { method: 'GET' })
    expect(empty.status).toBe(400)
    const huge = await send('stream_start', Buffer.alloc(200 * 1024, 'a'))
    expect(huge.status).toBe(413)
    expect((await events(t)).length).toBe(before)
  })

  it('stores a well-formed body of an event it does not know as unknown', async () => {
    const response = await send(null, JSON.stringify({ osp: 1, event: 'stream_clip', trigger: 42 }))
    expect(response.status).toBe(202)
    expect(response.json()).toMatchObject({ type: 'unknown' })
  })

  it('answers every truncation of a payload with 2xx or a clear 4xx, never 5xx', async () => {
    const body = fixture('osp/rendered/02_stream_viewer_join.json')
    for (let end = 0; end < body.length; end += 7) {
      const response = await send('stream_viewer_join', body.subarray(0, end))
      expect(response.status, `cut at ${end}: ${response.body}`).toBeLessThan(500)
      if (response.status >= 400) expect(response.json()).toHaveProperty('message')
    }
  })

  it('knows every trigger the fixtures index lists', () => {
    const index = JSON.parse(fixture('osp/webhooks_index.json').toString('utf8')) as Record<
      string,
      { requestTrigger: number; firedByOSP_0_9_12: boolean; variables: string[] }
    >
    for (const [name, entry] of Object.entries(index)) {
      const definition = OSP_EVENTS.find((item) => item.event === name)
      expect(definition, name).toBeDefined()
      expect(definition?.trigger).toBe(entry.requestTrigger)
      expect(definition?.firedByOsp).toBe(entry.firedByOSP_0_9_12)
      expect([...(definition?.variables ?? [])].sort()).toEqual([...entry.variables].sort())
    }
  })
})
