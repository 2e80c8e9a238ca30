import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DomainEventName, DomainEvents } from '../contracts/events.js'
import type { EventBus } from '../events/bus.js'
import { createSseChannel, formatSseEvent } from '../http/sse.js'
import { randomToken } from '../security/tokens.js'

export interface LiveEventsServiceDeps {
  bus: EventBus
  /** How many past events a reconnecting client can resume from. */
  bufferSize?: number
  heartbeatMs?: number
}

interface BufferedEvent {
  seq: number
  name: DomainEventName
  /** The event in the wire format, formatted once for every client. */
  text: string
}

type EventFilter = (name: DomainEventName) => boolean

export interface LiveEventsService {
  /** Streams bus events to one client, resuming after Last-Event-ID when it is from this run. */
  stream(request: FastifyRequest, reply: FastifyReply, filter?: EventFilter): void
  clientCount(): number
  /** Ends every stream (server shutdown: in-flight requests must be able to finish). */
  closeAll(): void
}

/**
 * The dashboard's live stream of bus events (Server-Sent Events, server/http/sse.ts). Its resume
 * policy: ids are `<run id>-<sequence>` and the last `bufferSize` events are kept, so a client that
 * reconnects gets what it missed, and an id from an earlier run of the process resumes nothing rather
 * than the wrong events.
 */
export function createLiveEventsService({
  bus,
  bufferSize = 500,
  heartbeatMs = 15_000,
}: LiveEventsServiceDeps): LiveEventsService {
  const runId = randomToken(6)
  const buffer: BufferedEvent[] = []
  let seq = 0
  const channel = createSseChannel<{ filter: EventFilter }>({
    retryMs: 2000,
    heartbeatMs,
    heartbeat: (client) => client.comment(`heartbeat ${Date.now()}`),
  })

  bus.onAny(<K extends DomainEventName>(name: K, payload: DomainEvents[K]) => {
    seq += 1
    const event = {
      seq,
      name,
      text: formatSseEvent(name, JSON.stringify(payload), `${runId}-${seq}`),
    }
    buffer.push(event)
    if (buffer.length > bufferSize) buffer.shift()
    channel.broadcast(event.text, (meta) => meta.filter(name))
  })

  return {
    stream(request, reply, filter = () => true) {
      channel.open(request, reply, { filter }, (client) => {
        client.comment('connected')
        // The run id is base64url and may itself hold a '-': the sequence is after the last one.
        const lastId = String(request.headers['last-event-id'] ?? '')
        const dash = lastId.lastIndexOf('-')
        if (dash < 0 || lastId.slice(0, dash) !== runId) return
        const after = Number(lastId.slice(dash + 1))
        for (const event of buffer)
          if (event.seq > after && filter(event.name)) client.write(event.text)
      })
    },
    clientCount: () => channel.count(),
    closeAll: () => void channel.closeAll(),
  }
}
