import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DomainEventName, DomainEvents } from '../contracts/events.js'
import type { EventBus } from '../events/bus.js'
import { randomToken } from '../security/tokens.js'

export interface SseHubOptions {
  bus: EventBus
  /** How many past events a reconnecting client can resume from. */
  bufferSize?: number
  heartbeatMs?: number
}

interface BufferedEvent {
  seq: number
  name: DomainEventName
  data: string
}

export interface SseHub {
  /** Streams bus events to one client, resuming after Last-Event-ID when it is from this run. */
  stream(
    request: FastifyRequest,
    reply: FastifyReply,
    filter?: (name: DomainEventName) => boolean,
  ): void
  clientCount(): number
  /** Ends every stream (server shutdown: in-flight requests must be able to finish). */
  closeAll(): void
}

/**
 * Server-Sent Events for the dashboard. Ids are `<run id>-<sequence>`: an id from an earlier run of the
 * process resumes nothing rather than the wrong events.
 */
export function createSseHub({
  bus,
  bufferSize = 500,
  heartbeatMs = 15_000,
}: SseHubOptions): SseHub {
  const runId = randomToken(6)
  const buffer: BufferedEvent[] = []
  let seq = 0
  const clients = new Set<{ write: (event: BufferedEvent) => void; end: () => void }>()

  bus.onAny(<K extends DomainEventName>(name: K, payload: DomainEvents[K]) => {
    seq += 1
    const event = { seq, name, data: JSON.stringify(payload) }
    buffer.push(event)
    if (buffer.length > bufferSize) buffer.shift()
    for (const client of clients) client.write(event)
  })

  const format = (event: BufferedEvent) =>
    `id: ${runId}-${event.seq}\nevent: ${event.name}\ndata: ${event.data}\n\n`

  return {
    stream(request, reply, filter = () => true) {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(`retry: 2000\n: connected\n\n`)
      const lastId = String(request.headers['last-event-id'] ?? '')
      const [lastRun, lastSeq] = lastId.split('-')
      if (lastRun === runId && lastSeq !== undefined) {
        const after = Number(lastSeq)
        for (const event of buffer)
          if (event.seq > after && filter(event.name)) res.write(format(event))
      }
      const heartbeat = setInterval(() => res.write(`: heartbeat ${Date.now()}\n\n`), heartbeatMs)
      heartbeat.unref()
      const client = {
        write: (event: BufferedEvent) => {
          if (filter(event.name)) res.write(format(event))
        },
        end: () => {
          clearInterval(heartbeat)
          clients.delete(client)
          if (!res.writableEnded) res.end()
        },
      }
      clients.add(client)
      request.raw.on('close', client.end)
    },
    clientCount: () => clients.size,
    closeAll() {
      for (const client of [...clients]) client.end()
    },
  }
}
