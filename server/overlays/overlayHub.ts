import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { OVERLAY_IDS, type OverlayConnections, type OverlayId } from '../contracts/overlays.js'

export interface OverlayHubOptions {
  /** A `ping` event this often, so an overlay notices a dead connection (it gives up after 2.5×). */
  heartbeatMs?: number
  /** Checked on every heartbeat: a page whose key was rotated away is disconnected. */
  isKeyValid?: (key: unknown) => boolean
}

export interface OverlaySender {
  /** Sends one event to this connection only. */
  send(event: string, data: unknown, id?: number): void
}

export interface OverlayHub {
  /**
   * Streams to one overlay page. `lastEventId` is the larger of the Last-Event-ID header and `?since=`
   * (a reloaded page has no header but remembers its last id). `onOpen` sends the initial state.
   */
  connect(
    request: FastifyRequest,
    reply: FastifyReply,
    overlay: OverlayId,
    onOpen: (sender: OverlaySender, lastEventId: number) => void,
  ): void
  /** Sends an event to every page of the given overlays; `id` (an alert id) becomes the SSE id. */
  broadcast(
    overlays: OverlayId | readonly OverlayId[],
    event: string,
    data: unknown,
    id?: number,
  ): void
  count(overlay: OverlayId): number
  connections(): OverlayConnections
  /** Ends every stream; pages reconnect by themselves (and resume). Returns how many were open. */
  disconnectAll(): number
  /** Called after a page connects or goes away. */
  onChange(listener: (connections: OverlayConnections) => void): () => void
  heartbeatMs: number
}

interface Client {
  overlay: OverlayId
  res: ServerResponse
  end(): void
}

function format(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

function parseId(value: unknown): number {
  const number = Number(Array.isArray(value) ? value[0] : value)
  return Number.isSafeInteger(number) && number > 0 ? number : 0
}

/**
 * The overlay pages' own Server-Sent Events (DESIGN §8). Alert events carry the alert id as the SSE id,
 * so `Last-Event-ID` means "the last alert this page has"; data events (goal, leaderboard, ...) carry
 * no id and so leave it alone.
 */
export function createOverlayHub({
  heartbeatMs = 10_000,
  isKeyValid = () => true,
}: OverlayHubOptions = {}): OverlayHub {
  const clients = new Set<Client>()
  const listeners = new Set<(connections: OverlayConnections) => void>()

  function connections(): OverlayConnections {
    const byOverlay = Object.fromEntries(OVERLAY_IDS.map((id) => [id, 0])) as Record<
      OverlayId,
      number
    >
    for (const client of clients) byOverlay[client.overlay] += 1
    return { total: clients.size, byOverlay }
  }
  function changed(): void {
    const snapshot = connections()
    for (const listener of listeners) listener(snapshot)
  }

  return {
    heartbeatMs,
    connect(request, reply, overlay, onOpen) {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      })
      // Disable Nagle: an alert is one small write that should leave at once.
      request.raw.socket.setNoDelay(true)
      const lastEventId = Math.max(
        parseId(request.headers['last-event-id']),
        parseId((request.query as Record<string, unknown>).since),
      )
      res.write(`retry: 3000\n`)
      res.write(format('hello', { overlay, heartbeatMs }))
      const key = (request.query as Record<string, unknown>).key
      const heartbeat = setInterval(() => {
        if (isKeyValid(key)) res.write(format('ping', Date.now()))
        else client.end()
      }, heartbeatMs)
      heartbeat.unref()
      const client: Client = {
        overlay,
        res,
        end() {
          clearInterval(heartbeat)
          if (clients.delete(client)) changed()
          if (!res.writableEnded) res.end()
        },
      }
      clients.add(client)
      request.raw.on('close', client.end)
      res.on('error', client.end)
      onOpen({ send: (event, data, id) => res.write(format(event, data, id)) }, lastEventId)
      changed()
    },
    broadcast(overlays, event, data, id) {
      const targets = typeof overlays === 'string' ? [overlays] : overlays
      let text: string | undefined
      for (const client of clients) {
        if (!targets.includes(client.overlay)) continue
        text ??= format(event, data, id)
        client.res.write(text)
      }
    },
    count(overlay) {
      let n = 0
      for (const client of clients) if (client.overlay === overlay) n += 1
      return n
    },
    connections,
    disconnectAll() {
      const all = [...clients]
      for (const client of all) client.end()
      return all.length
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
