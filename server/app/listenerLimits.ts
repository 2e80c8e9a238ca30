/**
 * Time limits and connection caps of the two listeners. Without them a client that trickles its
 * request (one byte every few seconds) holds a connection, and its memory, for as long as it likes.
 * Node cuts a request whose headers or whole body take longer than the limits (checked every
 * `checkIntervalMs`) with a 408; idle keep-alive connections close after `keepAliveTimeoutMs`.
 * Long-lived responses (SSE) are not limited: only receiving the request is.
 */
import type { Server, Socket } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'

export interface ListenerLimits {
  /** Whole request, headers and body, from the first byte. */
  requestTimeoutMs: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
  /** How often Node checks the two timeouts above (its own default is 30 s). */
  checkIntervalMs: number
  /** Concurrent connections one peer address may hold; 0 for no cap. */
  maxConnectionsPerClient: number
}

/** The internet side: tip requests and webhooks are small and quick. */
export const PUBLIC_LISTENER_LIMITS: ListenerLimits = {
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnectionsPerClient: 32,
}

/** This machine: the dashboard may send larger bodies (imports), from a browser on loopback. */
export const LOCAL_LISTENER_LIMITS: ListenerLimits = {
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnectionsPerClient: 0,
}

/** The Fastify options that carry the limits. */
export function fastifyLimitOptions(limits: ListenerLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
  }
}

/**
 * Refuses a peer's connections beyond the cap (the socket is closed at once). Behind a trusted proxy
 * the peer is the proxy, so the cap is only applied when no proxy is trusted.
 */
const TOO_MANY_BODY = JSON.stringify({
  error: 'too_many_connections',
  message: 'Too many connections from your address at once. Wait a moment and try again.',
})
const TOO_MANY_CONNECTIONS = [
  'HTTP/1.1 429 Too Many Requests',
  'Content-Type: application/json; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(TOO_MANY_BODY)}`,
  'Retry-After: 2',
  'Connection: close',
  '',
  TOO_MANY_BODY,
].join('\r\n')

export function capConnectionsPerClient(
  server: Server,
  max: number,
  log: Pick<FastifyBaseLogger, 'warn'>,
): void {
  if (max <= 0) return
  const open = new Map<string, number>()
  const warned = new Set<string>()
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? 'unknown'
    const count = (open.get(peer) ?? 0) + 1
    if (count > max) {
      if (!warned.has(peer)) {
        warned.add(peer)
        log.warn({ peer, max }, 'too many connections from one client; refusing the extra ones')
      }
      // A plain answer rather than a reset: a browser or script sees why, not a network error.
      // Reading what the client sends meanwhile keeps the close from turning into a reset.
      socket.resume()
      socket.end(TOO_MANY_CONNECTIONS)
      socket.setTimeout(1000, () => socket.destroy())
      return
    }
    open.set(peer, count)
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1
      if (left <= 0) {
        open.delete(peer)
        warned.delete(peer)
      } else open.set(peer, left)
    })
  })
}
