/**
 * A strict stand-in for an Owncast server's integrations API (DESIGN §7), for tests: Bearer tokens with
 * scopes, 401 "unauthorized" for a missing token, a wrong one or a missing scope (Owncast answers all
 * three alike), POST only, `{"success": true, "message": "sent"}` on success, `{"error": "..."}` with
 * 400 (empty message), 500 (undecodable JSON) or even 200 (a server-side failure).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OwncastScope } from '../contracts/integrations.js'

export interface ReceivedMessage {
  endpoint: 'chat/send' | 'chat/system' | 'chat/action' | 'chat/system/client'
  body: string
  token: string
  /** chat/system/client: the one chat connection that was shown the message. */
  clientId?: number
}

export interface OwncastTestServer {
  url: string
  /** Messages Owncast accepted and would show in chat, in order. */
  received: ReceivedMessage[]
  /** Every request, including refused ones. */
  requests: { method: string; path: string; status: number }[]
  /** When set, chat endpoints answer 200 with this error (Owncast does that). */
  failWith200: string | null
  /** Chat connections open now: client id → chat user id. */
  connected: Map<number, string>
  /** Stops listening: connections are refused, as when Owncast is down. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

export interface OwncastTestServerOptions {
  tokens: Record<string, OwncastScope[]>
  status?: Record<string, unknown>
  /** Chat connections open at start: client id → chat user id. */
  connected?: Record<number, string>
}

/** Owncast's route for a system message to one connection; the id is an unsigned 32-bit number. */
const CLIENT_ROUTE = /^\/api\/integrations\/chat\/system\/client\/([^/]+)$/

const SCOPE_OF: Record<string, OwncastScope> = {
  '/api/integrations/chat/send': 'CAN_SEND_MESSAGES',
  '/api/integrations/chat/system': 'CAN_SEND_SYSTEM_MESSAGES',
  '/api/integrations/chat/action': 'CAN_SEND_SYSTEM_MESSAGES',
  '/api/integrations/clients': 'HAS_ADMIN_ACCESS',
}

export async function startOwncastTestServer(
  options: OwncastTestServerOptions,
): Promise<OwncastTestServer> {
  const state: OwncastTestServer = {
    url: '',
    received: [],
    requests: [],
    failWith200: null,
    connected: new Map(
      Object.entries(options.connected ?? {}).map(([id, user]) => [Number(id), user]),
    ),
    down,
    up,
    close,
  }
  const status = options.status ?? {
    lastConnectTime: null,
    lastDisconnectTime: '2026-07-18T23:58:40Z',
    versionNumber: '0.2.5',
    streamTitle: 'Late-night synthwave & chill 🌙',
    viewerCount: 0,
    online: false,
  }

  function json(res: http.ServerResponse, code: number, body: unknown): number {
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
    return code
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): number {
    const path = (req.url ?? '/').split('?')[0] as string
    if (path === '/api/status' && req.method === 'GET') {
      return json(res, 200, { ...status, serverTime: new Date().toISOString() })
    }
    const client = CLIENT_ROUTE.exec(path)
    const scope = client ? 'CAN_SEND_SYSTEM_MESSAGES' : SCOPE_OF[path]
    if (!scope) return json(res, 404, { error: 'not found' })
    const header = req.headers.authorization ?? ''
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7) : ''
    if (!token || !options.tokens[token]?.includes(scope)) {
      res.writeHead(401)
      res.end('unauthorized')
      return 401
    }
    if (path === '/api/integrations/clients') {
      if (req.method !== 'GET') return json(res, 400, { error: 'GET only' })
      return json(res, 200, [])
    }
    if (req.method !== 'POST') return json(res, 400, { error: 'post only' })
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch (error) {
      return json(res, 500, { error: (error as Error).message })
    }
    const text = (body as { body?: unknown } | null)?.body
    if (typeof text !== 'string' || text.trim() === '') {
      return json(res, 400, { error: 'invalid message' })
    }
    if (state.failWith200) return json(res, 200, { error: state.failWith200 })
    if (client) {
      const id = /^\d{1,10}$/.test(client[1] as string) ? Number(client[1]) : NaN
      if (!Number.isInteger(id) || id > 0xffffffff) {
        return json(res, 400, {
          error: `strconv.ParseUint: parsing "${client[1]}": invalid syntax`,
        })
      }
      // Stricter than Owncast 0.2.x, which answers "sent" and drops the message when the
      // connection is gone: a 404 is what the companion must treat as "the viewer left".
      if (!state.connected.has(id)) return json(res, 404, { error: 'client not found' })
      state.received.push({ endpoint: 'chat/system/client', body: text, token, clientId: id })
      return json(res, 200, { success: true, message: 'sent' })
    }
    state.received.push({
      endpoint: path.slice('/api/integrations/'.length) as ReceivedMessage['endpoint'],
      body: text,
      token,
    })
    return json(res, 200, { success: true, message: 'sent' })
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const code = handle(req, res, Buffer.concat(chunks).toString('utf8'))
      state.requests.push({ method: req.method ?? '', path: req.url ?? '', status: code })
    })
  })
  let port = 0

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        port = (server.address() as AddressInfo).port
        state.url = `http://127.0.0.1:${port}`
        resolve()
      })
    })
  }
  function down(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
  function up(): Promise<void> {
    return listen()
  }
  function close(): Promise<void> {
    return server.listening ? down() : Promise.resolve()
  }
  await listen()
  return state
}
