import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventsResponse, PlatformEventRowView } from '../contracts/analytics.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import {
  adminGet,
  allProcessed,
  events,
  fixture,
  owncastWebhookUrl,
  postJson,
  streams,
} from '../testing/integrations.js'

const FAMILY = '👨\u200d👩\u200d👧'
const RAINBOW = '🏳\ufe0f\u200d🌈'

function chatWith(id: string, displayName: string, rawBody: string): string {
  const body = JSON.parse(fixture('owncast/chat.json').toString('utf8')) as {
    eventData: Record<string, unknown> & { user: Record<string, unknown> }
  }
  body.eventData.id = id
  body.eventData.user.displayName = displayName
  body.eventData.rawBody = rawBody
  body.eventData.body = `<p>${rawBody}</p>`
  return JSON.stringify(body)
}

describe('webhook text and JSON rules', () => {
  let t: TestServer
  let url: string
  beforeAll(async () => {
    t = await startTestServer()
    url = await owncastWebhookUrl(t)
  })
  afterAll(async () => {
    await t?.close()
  })

  function countRows(): number {
    return (t.server.db.prepare('SELECT COUNT(*) AS n FROM platform_events').get() as { n: number })
      .n
  }

  it('Owncast names and chat go through the one text rule, also on the Events page', async () => {
    const response = await postJson(
      url,
      chatWith('txt1', `\u202emika\u0007${FAMILY}\u2066`, `Proud ${RAINBOW}\u202e tonight\u0000`),
    )
    expect(response.status, response.body).toBe(202)
    const [event] = await events(t, 'limit=1')
    expect(event?.normalized?.user?.displayName).toBe(`mika${FAMILY}`)
    expect(event?.normalized?.chat?.text).toBe(`Proud ${RAINBOW} tonight`)
    // The Events page reads the raw payload: it shows the same cleaned text.
    const page = await adminGet<EventsResponse>(t, '/api/analytics/events?type=platform&limit=1')
    const row = page.events[0] as PlatformEventRowView
    expect(row.userName).toBe(`mika${FAMILY}`)
    expect(row.summary).toBe(`Proud ${RAINBOW} tonight`)
  })

  it('refuses an Owncast body with a key given twice, at any depth, and stores nothing', async () => {
    const before = countRows()
    const nested = chatWith('dup1', 'mika', 'hi').replace('"id":"dup1"', '"id":"dup1","id":"dup2"')
    const response = await postJson(url, nested)
    expect(response.status).toBe(400)
    expect(response.json()).toMatchObject({
      error: 'duplicate_key',
      field: 'body.eventData.id',
      message: expect.stringContaining('"id" twice') as unknown as string,
    })
    expect(countRows()).toBe(before)
  })

  it('a forged second "type" cannot end the live session', async () => {
    expect((await postJson(url, fixture('owncast/stream_started.json'))).status).toBe(202)
    await allProcessed(t)
    expect((await streams(t)).live).not.toBeNull()
    const stopped = fixture('owncast/stream_stopped.json').toString('utf8').trim()
    const forged = `{"type":"CHAT",${stopped.slice(1)}`
    expect(JSON.parse(forged)).toMatchObject({ type: 'STREAM_STOPPED' })
    const response = await postJson(url, forged)
    expect(response.status).toBe(400)
    expect(response.json()).toMatchObject({ error: 'duplicate_key', field: 'body.type' })
    await allProcessed(t)
    expect((await streams(t)).live).not.toBeNull()
  })

  it('a CHAT without text is refused, not stored as a chat message', async () => {
    const before = countRows()
    for (const text of ['', '   ', '\u202e\u0000']) {
      const body = JSON.parse(chatWith('empty1', 'mika', text)) as {
        eventData: Record<string, unknown>
      }
      body.eventData.body = ''
      const response = await postJson(url, JSON.stringify(body))
      expect(response.status, JSON.stringify(text)).toBe(400)
      expect(response.json()).toMatchObject({
        error: 'invalid_event',
        field: 'body.eventData.rawBody',
      })
    }
    expect(countRows()).toBe(before)
  })

  describe('OSP', () => {
    async function sendOsp(event: string, body: string) {
      const templates = await adminGet<{ header: string }>(t, '/api/integrations/osp/templates')
      return rawRequest({
        method: 'POST',
        url: t.public(`/webhooks/osp?event=${event}`),
        headers: {
          'content-type': 'application/json',
          ...(JSON.parse(templates.header) as Record<string, string>),
        },
        body,
      })
    }
    const chat = (user: string, message: string) =>
      JSON.stringify({ osp: 1, event: 'chat_message', trigger: 5, user, message })

    it('OSP chat goes through the same text rule', async () => {
      const response = await sendOsp('chat_message', chat(`zo\u202eë`, `yay ${FAMILY}\u0007`))
      expect(response.status, response.body).toBe(202)
      const [event] = await events(t, 'platform=osp&limit=1')
      expect(event?.normalized?.user?.displayName).toBe('zoë')
      expect(event?.normalized?.chat?.text).toBe(`yay ${FAMILY}`)
    })

    it('refuses duplicate keys and chat without text', async () => {
      const before = countRows()
      const duplicate = await sendOsp(
        'chat_message',
        '{"osp":1,"event":"chat_message","user":"a","message":"hi","user":"b"}',
      )
      expect(duplicate.status).toBe(400)
      expect(duplicate.json()).toMatchObject({ error: 'duplicate_key', field: 'body.user' })
      const empty = await sendOsp('chat_message', chat('a', ' NA '.trim()))
      expect(empty.status).toBe(400)
      expect(empty.json()).toMatchObject({ error: 'invalid_event', field: 'body.message' })
      expect(countRows()).toBe(before)
    })
  })
})
