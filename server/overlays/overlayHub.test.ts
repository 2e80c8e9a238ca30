import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createOverlayHub, type OverlayHub } from './overlayHub.js'

let app: FastifyInstance
let hub: OverlayHub
let keyValid = true
afterEach(async () => {
  hub.disconnectAll()
  await app.close()
})

async function serve(heartbeatMs: number): Promise<string> {
  keyValid = true
  hub = createOverlayHub({ heartbeatMs, isKeyValid: () => keyValid })
  app = Fastify()
  app.get('/events', (request, reply) =>
    hub.connect(request, reply, 'alerts', (sender, lastEventId) =>
      sender.send('resumed', { lastEventId }),
    ),
  )
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/** Reads a stream until `until` says stop or the server ends it. */
function read(url: string, headers: Record<string, string>, until: (text: string) => boolean) {
  return new Promise<{ text: string; ended: boolean }>((resolve, reject) => {
    let text = ''
    const request = http.get(url, { headers, agent: false }, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
        if (until(text)) {
          request.destroy()
          resolve({ text, ended: false })
        }
      })
      response.on('end', () => resolve({ text, ended: true }))
    })
    request.on('error', reject)
  })
}

describe('overlay hub', () => {
  it('sends heartbeats a page can see (ping events), so a dead stream is noticed', async () => {
    const base = await serve(30)
    const { text } = await read(`${base}/events`, {}, (t) => t.split('event: ping').length > 3)
    expect(text).toContain('event: hello\ndata: {"overlay":"alerts","heartbeatMs":30}')
    expect(text.split('event: ping').length).toBeGreaterThan(3)
  })

  it('resumes from the larger of Last-Event-ID and ?since=', async () => {
    const base = await serve(10_000)
    const header = await read(`${base}/events?since=4`, { 'last-event-id': '7' }, (t) =>
      t.includes('resumed'),
    )
    expect(header.text).toContain('data: {"lastEventId":7}')
    const query = await read(`${base}/events?since=12`, { 'last-event-id': 'junk' }, (t) =>
      t.includes('resumed'),
    )
    expect(query.text).toContain('data: {"lastEventId":12}')
  })

  it('ends the stream of a page whose key was rotated away', async () => {
    const base = await serve(30)
    const reading = read(`${base}/events`, {}, () => false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(hub.count('alerts')).toBe(1)
    keyValid = false
    const { ended } = await reading
    expect(ended).toBe(true)
    expect(hub.connections().total).toBe(0)
  })

  it('gives broadcast alerts their id and leaves data events without one', async () => {
    const base = await serve(10_000)
    const reading = read(`${base}/events`, {}, (t) => t.includes('event: data'))
    while (hub.count('alerts') === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    hub.broadcast('alerts', 'alert', { id: 41 }, 41)
    hub.broadcast(['goal', 'alerts'], 'data', { x: 1 })
    const { text } = await reading
    expect(text).toContain('id: 41\nevent: alert\ndata: {"id":41}\n\n')
    expect(text).toContain('\nevent: data\ndata: {"x":1}\n\n')
    expect(text).not.toMatch(/id: \d+\nevent: data/)
  })
})
