/**
 * Server-Sent Events, once: the stream itself (headers, hijack, retry, heartbeat, writes, close) and the
 * set of open streams (count, broadcast, close all). What an id means and how a client resumes is the
 * caller's policy: the dashboard's live events (server/dashboard/liveEventsService.ts) use run-scoped
 * ids and a ring buffer; the overlays (server/overlays/overlayHub.ts) use persisted alert ids.
 */
import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** One event in the wire format; `data` is JSON text, written once however many clients get it. */
export function formatSseEvent(event: string, data: string, id?: string | number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`
}

/** The SSE id a client sent back as a positive integer, or 0 (absent, junk, not an integer). */
export function positiveIntegerId(value: unknown): number {
  const number = Number(Array.isArray(value) ? value[0] : value)
  return Number.isSafeInteger(number) && number > 0 ? number : 0
}

export interface SseClient<M> {
  /** What the caller keeps about this stream (an overlay id, an event filter, ...). */
  readonly meta: M
  /** Sends one event to this stream only; `data` is serialized as JSON. */
  send(event: string, data: unknown, id?: string | number): void
  /** Writes text already in the wire format (see formatSseEvent). */
  write(text: string): void
  /** A comment line: keeps proxies and the connection awake, never reaches an event handler. */
  comment(text: string): void
  close(): void
}

export interface SseChannelOptions<M> {
  /** The reconnection delay the client is told (`retry:`). */
  retryMs: number
  heartbeatMs: number
  /** Runs every `heartbeatMs` on each stream: a comment, a ping event, or closing a stale stream. */
  heartbeat(client: SseClient<M>): void
}

export interface SseChannel<M> {
  /**
   * Takes over the request's socket and streams to it until either side closes. `greet` writes what a
   * new stream gets first (resumed events, the current state) before anyone hears it has opened.
   */
  open(
    request: FastifyRequest,
    reply: FastifyReply,
    meta: M,
    greet?: (client: SseClient<M>) => void,
  ): SseClient<M>
  /**
   * Writes one formatted event to every stream whose meta `to` accepts; a function is called once,
   * and only when some stream takes the event.
   */
  broadcast(text: string | (() => string), to?: (meta: M) => boolean): void
  count(which?: (meta: M) => boolean): number
  clients(): SseClient<M>[]
  /** Ends every stream (shutdown, key rotation): clients reconnect and resume. Returns how many. */
  closeAll(): number
  /** Called after a stream opened (once greeted) or closed. */
  onChange(listener: () => void): () => void
}

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // No buffering by a reverse proxy: an event is meant to arrive at once.
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
} as const

export function createSseChannel<M>(options: SseChannelOptions<M>): SseChannel<M> {
  const clients = new Set<SseClient<M>>()
  const listeners = new Set<() => void>()
  const changed = () => {
    for (const listener of listeners) listener()
  }

  function open(
    request: FastifyRequest,
    reply: FastifyReply,
    meta: M,
    greet?: (client: SseClient<M>) => void,
  ): SseClient<M> {
    reply.hijack()
    const res: ServerResponse = reply.raw
    res.writeHead(200, HEADERS)
    // Disable Nagle: an alert is one small write that should leave at once.
    request.raw.socket.setNoDelay(true)
    res.write(`retry: ${options.retryMs}\n`)
    const write = (text: string) => {
      if (!res.writableEnded) res.write(text)
    }
    const client: SseClient<M> = {
      meta,
      send: (event, data, id) => write(formatSseEvent(event, JSON.stringify(data), id)),
      write,
      comment: (text) => write(`: ${text}\n\n`),
      close() {
        clearInterval(heartbeat)
        if (clients.delete(client)) changed()
        if (!res.writableEnded) res.end()
      },
    }
    const heartbeat = setInterval(() => options.heartbeat(client), options.heartbeatMs)
    heartbeat.unref()
    clients.add(client)
    request.raw.on('close', client.close)
    res.on('error', client.close)
    greet?.(client)
    changed()
    return client
  }

  return {
    open,
    broadcast(text, to = () => true) {
      let formatted = typeof text === 'string' ? text : undefined
      for (const client of clients) {
        if (!to(client.meta)) continue
        formatted ??= (text as () => string)()
        client.write(formatted)
      }
    },
    count(which = () => true) {
      let n = 0
      for (const client of clients) if (which(client.meta)) n += 1
      return n
    },
    clients: () => [...clients],
    closeAll() {
      const all = [...clients]
      for (const client of all) client.close()
      return all.length
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
