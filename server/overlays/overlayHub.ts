import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AlertDelivery } from '../alerts/alertQueueService.js'
import { OVERLAY_IDS, type OverlayConnections, type OverlayId } from '../contracts/overlays.js'
import { createSseChannel, formatSseEvent, positiveIntegerId } from '../http/sse.js'

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

interface OverlayStream {
  overlay: OverlayId
  /** The key the page connected with (`?key=`), checked again on every heartbeat. */
  key: unknown
}

/**
 * The overlay pages' own Server-Sent Events (DESIGN §8) on the shared stream (server/http/sse.ts). Its
 * resume policy: alert events carry the alert id as the SSE id, so `Last-Event-ID` means "the last alert
 * this page has"; data events (goal, leaderboard, ...) carry no id and so leave it alone.
 */
export function createOverlayHub({
  heartbeatMs = 10_000,
  isKeyValid = () => true,
}: OverlayHubOptions = {}): OverlayHub {
  const channel = createSseChannel<OverlayStream>({
    retryMs: 3000,
    heartbeatMs,
    heartbeat(client) {
      if (isKeyValid(client.meta.key)) client.send('ping', Date.now())
      else client.close()
    },
  })

  function connections(): OverlayConnections {
    const byOverlay = Object.fromEntries(OVERLAY_IDS.map((id) => [id, 0])) as Record<
      OverlayId,
      number
    >
    const clients = channel.clients()
    for (const client of clients) byOverlay[client.meta.overlay] += 1
    return { total: clients.length, byOverlay }
  }

  return {
    heartbeatMs,
    connect(request, reply, overlay, onOpen) {
      const query = request.query as Record<string, unknown>
      const lastEventId = Math.max(
        positiveIntegerId(request.headers['last-event-id']),
        positiveIntegerId(query.since),
      )
      channel.open(request, reply, { overlay, key: query.key }, (client) => {
        client.send('hello', { overlay, heartbeatMs })
        onOpen({ send: (event, data, id) => client.send(event, data, id) }, lastEventId)
      })
    },
    broadcast(overlays, event, data, id) {
      const targets: readonly OverlayId[] = typeof overlays === 'string' ? [overlays] : overlays
      channel.broadcast(
        () => formatSseEvent(event, JSON.stringify(data), id),
        (meta) => targets.includes(meta.overlay),
      )
    },
    count: (overlay) => channel.count((meta) => meta.overlay === overlay),
    connections,
    disconnectAll: () => channel.closeAll(),
    onChange(listener) {
      return channel.onChange(() => listener(connections()))
    },
  }
}

/** How the alert queue puts an alert on screen: to every alert box page, the alert id as SSE id. */
export function alertDeliveryTo(hub: OverlayHub): AlertDelivery {
  return {
    show: (alert) => hub.broadcast('alerts', 'alert', alert, alert.id),
    hide: (id) => hub.broadcast('alerts', 'alert.hide', { id }),
    alertOverlayCount: () => hub.count('alerts'),
  }
}
