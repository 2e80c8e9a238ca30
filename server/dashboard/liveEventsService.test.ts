import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventBus, type EventBus } from '../events/bus.js'
import { createLiveEventsService, type LiveEventsService } from './liveEventsService.js'

let app: FastifyInstance
let bus: EventBus
let live: LiveEventsService
afterEach(async () => {
  live.closeAll()
  await app.close()
})

async function serve(): Promise<string> {
  bus = createEventBus()
  live = createLiveEventsService({ bus, bufferSize: 3, heartbeatMs: 20 })
  app = Fastify()
  app.get('/events', (request, reply) => live.stream(request, reply))
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/events`
}

/** Reads a stream until `until` says stop. */
function read(url: string, headers: Record<string, string>, until: (text: string) => boolean) {
  return new Promise<string>((resolve, reject) => {
    let text = ''
    const request = http.get(url, { headers, agent: false }, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
        if (until(text)) {
          request.destroy()
          resolve(text)
        }
      })
    })
    request.on('error', reject)
  })
}

const ids = (text: string) => [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1] as string)

describe('the dashboard live events', () => {
  it('streams bus events with run-scoped ids, and heartbeats as comments', async () => {
    const url = await serve()
    const reading = read(url, {}, (text) => text.includes(': heartbeat'))
    while (live.clientCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    bus.emit('alerts.paused', { paused: true })
    const text = await reading
    expect(text.startsWith('retry: 2000\n: connected\n\n')).toBe(true)
    expect(text).toMatch(/id: .+-1\nevent: alerts\.paused\ndata: \{"paused":true\}\n\n/)
  })

  it('resumes after the last id of this run, from what the buffer still holds', async () => {
    const url = await serve()
    const reading = read(url, {}, (text) => ids(text).length === 1)
    while (live.clientCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    bus.emit('alerts.paused', { paused: true })
    const firstId = ids(await reading)[0] as string
    const run = firstId.slice(0, firstId.lastIndexOf('-'))
    for (let i = 2; i <= 5; i += 1) bus.emit('alerts.paused', { paused: i % 2 === 0 })

    // The buffer holds the last three (3 to 5): a client that saw 3 gets 4 and 5, one that saw 1
    // gets what is left.
    const after3 = await read(url, { 'last-event-id': `${run}-3` }, (t) => ids(t).length === 2)
    expect(ids(after3)).toEqual([`${run}-4`, `${run}-5`])
    const after1 = await read(url, { 'last-event-id': `${run}-1` }, (t) => ids(t).length === 3)
    expect(ids(after1)).toEqual([`${run}-3`, `${run}-4`, `${run}-5`])

    // An id from another run of the process resumes nothing rather than the wrong events.
    const other = await read(url, { 'last-event-id': 'an-earlier-run-3' }, (t) =>
      t.includes(': heartbeat'),
    )
    expect(ids(other)).toEqual([])
  })
})
