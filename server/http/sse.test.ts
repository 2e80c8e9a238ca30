import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createSseChannel, formatSseEvent, positiveIntegerId, type SseChannel } from './sse.js'

let app: FastifyInstance
let channel: SseChannel<{ name: string }>
afterEach(async () => {
  channel.closeAll()
  await app.close()
})

async function serve(onChange: () => void = () => undefined): Promise<string> {
  channel = createSseChannel({
    retryMs: 1000,
    heartbeatMs: 10_000,
    heartbeat: (client) => client.comment('beat'),
  })
  channel.onChange(onChange)
  app = Fastify()
  app.get<{ Querystring: { name: string } }>('/sse', (request, reply) => {
    channel.open(request, reply, { name: request.query.name }, (client) =>
      client.send('hello', { name: client.meta.name }),
    )
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sse`
}

function open(url: string) {
  let text = ''
  const waiters: (() => void)[] = []
  let response: http.IncomingMessage | undefined
  const request = http.get(url, { agent: false }, (res) => {
    response = res
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      text += chunk
      for (const waiter of waiters.splice(0)) waiter()
    })
  })
  return {
    headers: () => response?.headers,
    async until(check: (text: string) => boolean): Promise<string> {
      while (!check(text)) await new Promise<void>((resolve) => waiters.push(resolve))
      return text
    },
    close: () => request.destroy(),
  }
}

describe('the SSE stream', () => {
  it('greets a new stream before anyone hears it opened, so nothing sent on open arrives twice', async () => {
    const counts: number[] = []
    const url = await serve(() => counts.push(channel.count()))
    const stream = open(`${url}?name=a`)
    const text = await stream.until((t) => t.includes('hello'))
    expect(text).toBe('retry: 1000\nevent: hello\ndata: {"name":"a"}\n\n')
    expect(counts).toEqual([1])
    expect(stream.headers()).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    stream.close()
    while (channel.count() > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(counts).toEqual([1, 0])
  })

  it('broadcasts to the streams chosen, formatting an event once and only when one takes it', async () => {
    const url = await serve()
    const a = open(`${url}?name=a`)
    const b = open(`${url}?name=b`)
    await Promise.all([a.until((t) => t.includes('hello')), b.until((t) => t.includes('hello'))])
    let formatted = 0
    const event = () => {
      formatted += 1
      return formatSseEvent('note', '{"x":1}', 7)
    }
    channel.broadcast(event, (meta) => meta.name === 'nobody')
    expect(formatted).toBe(0)
    channel.broadcast(event, (meta) => meta.name === 'b')
    channel.broadcast(event)
    expect(formatted).toBe(2)
    expect(await b.until((t) => t.split('event: note').length === 3)).toContain(
      'id: 7\nevent: note\ndata: {"x":1}\n\n',
    )
    const aText = await a.until((t) => t.includes('event: note'))
    expect(aText.split('event: note')).toHaveLength(2)
    expect(channel.closeAll()).toBe(2)
  })

  it('reads a resumed id as a positive integer, or 0', () => {
    expect(positiveIntegerId('12')).toBe(12)
    expect(positiveIntegerId(['5', '9'])).toBe(5)
    for (const junk of [undefined, '', 'abc', '-3', '1.5', '0'])
      expect(positiveIntegerId(junk)).toBe(0)
  })
})
