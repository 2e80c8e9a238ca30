import { afterEach, describe, expect, it } from 'vitest'
import type { DomainEvents } from '../../contracts/events.js'
import { startTestServer, type TestServer } from '../../testing/harness.js'
import {
  allProcessed,
  fixture,
  owncastWebhookUrl,
  postJson,
  streams,
} from '../../testing/integrations.js'

type Json = Record<string, unknown> & { eventData: Record<string, unknown> }

function load(file: string): Json {
  return JSON.parse(fixture(file).toString('utf8')) as Json
}

/** A fixture with a new event id, time and status fields (a later or earlier delivery). */
function variant(
  file: string,
  id: string,
  timestamp: string,
  status: Record<string, unknown> = {},
): string {
  const event = load(file)
  event.eventData.id = id
  event.eventData.timestamp = timestamp
  if (event.eventData.status) {
    event.eventData.status = { ...(event.eventData.status as object), ...status }
  }
  return JSON.stringify(event)
}

const START = '2026-07-18T21:02:11.000Z'
const STOP = '2026-07-18T23:58:40.000Z'

describe('stream sessions from Owncast events', () => {
  let t: TestServer
  afterEach(async () => {
    await t?.close()
  })

  async function deliver(...bodies: (string | Buffer)[]): Promise<void> {
    const url = await owncastWebhookUrl(t)
    for (const body of bodies) expect((await postJson(url, body)).status).toBe(202)
    await allProcessed(t)
  }

  function busEvents(): { name: string; payload: unknown }[] {
    const seen: { name: string; payload: unknown }[] = []
    t.server.bus.on('stream.started', (payload: DomainEvents['stream.started']) =>
      seen.push({ name: 'stream.started', payload }),
    )
    t.server.bus.on('stream.stopped', (payload: DomainEvents['stream.stopped']) =>
      seen.push({ name: 'stream.stopped', payload }),
    )
    return seen
  }

  it('STREAM_STARTED, chat, STREAM_STOPPED make one session that owns the chat', async () => {
    t = await startTestServer()
    const seen = busEvents()
    await deliver(fixture('owncast/stream_started.json'), fixture('owncast/chat.json'))
    const during = await streams(t)
    expect(during.live).toMatchObject({ platform: 'owncast', startedAt: START, live: true })
    const id = during.live?.id as string
    expect(t.server.services.streams.liveStreamId(Date.parse('2026-07-18T22:00:00Z'))).toBe(id)

    await deliver(fixture('owncast/stream_stopped.json'))
    const after = await streams(t)
    expect(after.live).toBeNull()
    expect(after.streams).toEqual([
      expect.objectContaining({
        id,
        title: 'Late-night synthwave & chill 🌙',
        startedAt: START,
        endedAt: STOP,
        live: false,
      }),
    ])
    const events = await allProcessed(t)
    expect(events.map((event) => [event.type, event.streamId])).toEqual(
      expect.arrayContaining([
        ['stream.started', id],
        ['chat.message', id],
        ['stream.stopped', id],
      ]),
    )
    expect(seen).toEqual([
      {
        name: 'stream.started',
        payload: {
          streamId: id,
          platform: 'owncast',
          title: 'Late-night synthwave & chill 🌙',
          startedAt: START,
        },
      },
      { name: 'stream.stopped', payload: { streamId: id, platform: 'owncast', stoppedAt: STOP } },
    ])
    // A tip at 22:00 belongs to that stream; one after the stop to none.
    expect(t.server.services.streams.liveStreamId(Date.parse('2026-07-18T22:00:00Z'))).toBe(id)
    expect(t.server.services.streams.liveStreamId(Date.parse('2026-07-19T00:30:00Z'))).toBeNull()
  })

  it('STREAM_STOPPED arriving before STREAM_STARTED leaves one closed session', async () => {
    t = await startTestServer()
    const seen = busEvents()
    await deliver(
      fixture('owncast/stream_stopped.json'),
      fixture('owncast/stream_started.json'),
      fixture('owncast/chat.json'),
    )
    const { live, streams: list } = await streams(t)
    expect(live).toBeNull()
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ startedAt: START, endedAt: STOP, live: false })
    const chat = (await allProcessed(t)).find((event) => event.type === 'chat.message')
    expect(chat?.streamId).toBe(list[0]?.id)
    // Nothing claims a stream went live.
    expect(seen.filter((event) => event.name === 'stream.started')).toEqual([])
  })

  it('a chat from a live stream whose STREAM_STARTED was lost opens the session', async () => {
    t = await startTestServer()
    const seen = busEvents()
    await deliver(fixture('owncast/chat.json'), fixture('owncast/user_joined.json'))
    const { live, streams: list } = await streams(t)
    expect(list).toHaveLength(1)
    expect(live).toMatchObject({ startedAt: START, startSource: 'status', live: true })
    expect(seen.map((event) => event.name)).toEqual(['stream.started'])
    // The late STREAM_STARTED joins the same session instead of opening another.
    await deliver(fixture('owncast/stream_started.json'))
    expect((await streams(t)).streams).toHaveLength(1)
    // Owncast 0.1.x sends the same start again under the same id: stored once, same session.
    await deliver(fixture('owncast/v0.1/stream_started.json'))
    expect((await streams(t)).streams).toHaveLength(1)
  })

  it('a new broadcast closes the previous one whose STREAM_STOPPED was lost', async () => {
    t = await startTestServer()
    const seen = busEvents()
    await deliver(fixture('owncast/stream_started.json'))
    const nextStart = '2026-07-19T20:00:05Z'
    await deliver(
      variant('owncast/stream_started.json', 'NextDay01', '2026-07-19T20:00:05.1Z', {
        lastConnectTime: nextStart,
        lastDisconnectTime: STOP,
      }),
    )
    const { live, streams: list } = await streams(t)
    expect(list.map((s) => [s.startedAt, s.endedAt, s.endSource])).toEqual([
      ['2026-07-19T20:00:05.000Z', null, null],
      [START, STOP, 'superseded'],
    ])
    expect(live?.startedAt).toBe('2026-07-19T20:00:05.000Z')
    expect(seen.map((event) => event.name)).toEqual([
      'stream.started',
      'stream.stopped',
      'stream.started',
    ])
  })

  it('a chat sent while offline ends a session that never got its STREAM_STOPPED', async () => {
    t = await startTestServer()
    await deliver(fixture('owncast/stream_started.json'))
    await deliver(
      variant('owncast/chat.json', 'OfflineChat1', '2026-07-19T08:00:00Z', {
        online: false,
        lastDisconnectTime: STOP,
      }),
    )
    const { live, streams: list } = await streams(t)
    expect(live).toBeNull()
    expect(list[0]).toMatchObject({ startedAt: START, endedAt: STOP, endSource: 'status' })
    const offline = (await allProcessed(t)).find((event) => event.eventId === 'OfflineChat1')
    expect(offline?.streamId).toBeNull()
  })

  it('an older broadcast reported late cannot become the live one', async () => {
    t = await startTestServer()
    const nextStart = '2026-07-19T20:00:05Z'
    await deliver(
      variant('owncast/stream_started.json', 'NextDay01', '2026-07-19T20:00:05.1Z', {
        lastConnectTime: nextStart,
      }),
    )
    // Yesterday's chat, delayed by a proxy.
    await deliver(fixture('owncast/chat.json'))
    const { live, streams: list } = await streams(t)
    expect(live?.startedAt).toBe('2026-07-19T20:00:05.000Z')
    expect(list[1]).toMatchObject({ startedAt: START, endedAt: '2026-07-19T20:00:05.000Z' })
  })
})
