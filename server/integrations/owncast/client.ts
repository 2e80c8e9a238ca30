import type { OwncastScope } from '../../contracts/integrations.js'

/**
 * Owncast integrations API (DESIGN §7): `Authorization: Bearer <token>`; success is
 * `{"success": true, "message": "sent"}`; errors are `{"error": "..."}` with 400 or even 200, so the body
 * decides. A token without the endpoint's scope gets 401 "unauthorized", exactly like a wrong token.
 */
export class OwncastApiError extends Error {
  override name = 'OwncastApiError'
  constructor(
    message: string,
    /** null when the server could not be reached at all. */
    readonly status: number | null,
    /** False when sending the same request again cannot succeed (the message itself was refused). */
    readonly retryable: boolean,
  ) {
    super(message)
  }
}

export interface OwncastStatus {
  online: boolean
  versionNumber: string | null
  streamTitle: string | null
  lastConnectTime: string | null
  lastDisconnectTime: string | null
  viewerCount: number | null
}

export interface OwncastClientOptions {
  baseUrl: string
  accessToken?: string
  timeoutMs?: number
  fetch?: typeof fetch
}

export type ScopeProbe = 'granted' | 'denied'

export interface OwncastClient {
  sendChat(body: string): Promise<void>
  sendSystem(body: string): Promise<void>
  /**
   * A system message only one chat connection sees (scope CAN_SEND_SYSTEM_MESSAGES). Throws an
   * OwncastApiError with status 404 when Owncast says the connection is gone.
   */
  sendSystemToClient(clientId: number, body: string): Promise<void>
  status(): Promise<OwncastStatus>
  /** Asks the server whether the token holds a scope, without posting anything to chat. */
  probeScope(scope: OwncastScope): Promise<ScopeProbe>
}

const SCOPE_PROBES: Record<OwncastScope, { method: string; path: string; body?: string }> = {
  // An empty message is refused with 400 "invalid message" after the scope check: nothing is posted.
  CAN_SEND_MESSAGES: { method: 'POST', path: '/api/integrations/chat/send', body: '{"body":""}' },
  // A body Owncast cannot decode is refused after the scope check: nothing is posted.
  CAN_SEND_SYSTEM_MESSAGES: { method: 'POST', path: '/api/integrations/chat/system', body: '{' },
  HAS_ADMIN_ACCESS: { method: 'GET', path: '/api/integrations/clients' },
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function errorText(body: unknown): string | null {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error
    if (typeof error === 'string' && error !== '') return error
  }
  return null
}

export function createOwncastClient(options: OwncastClientOptions): OwncastClient {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 5000
  const base = options.baseUrl.replace(/\/+$/, '')

  async function request(
    method: string,
    path: string,
    body?: string,
    authenticated = true,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (authenticated) {
      if (!options.accessToken) {
        throw new OwncastApiError('No Owncast access token is configured.', null, true)
      }
      headers.authorization = `Bearer ${options.accessToken}`
    }
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      if (/redirect/i.test(cause?.message ?? '')) {
        throw new OwncastApiError(
          `${base} redirects elsewhere: enter the final address of your Owncast server (usually https://).`,
          null,
          true,
        )
      }
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : (cause?.code ?? (error as Error).message)
      throw new OwncastApiError(`Owncast at ${base} is unreachable (${reason}).`, null, true)
    }
  }

  async function send(path: string, text: string): Promise<void> {
    const response = await request('POST', path, JSON.stringify({ body: text }))
    const body = await readJson(response)
    if (response.status === 401 || response.status === 403) {
      throw new OwncastApiError(
        path.startsWith('/api/integrations/chat/system')
          ? 'Owncast refused the access token for system messages (wrong, deleted, or without "Can send system messages").'
          : 'Owncast refused the access token (wrong, deleted, or missing the scope for chat messages).',
        response.status,
        true,
      )
    }
    const error = errorText(body)
    if (response.ok && !error) return
    const status = response.status
    throw new OwncastApiError(
      `Owncast did not post the message: ${error ?? `HTTP ${status}`}.`,
      status,
      // 400 means this message was refused; a 200 with an error or a 5xx may pass later.
      status !== 400,
    )
  }

  return {
    sendChat: (text) => send('/api/integrations/chat/send', text),
    sendSystem: (text) => send('/api/integrations/chat/system', text),
    sendSystemToClient: (clientId, text) =>
      send(`/api/integrations/chat/system/client/${clientId}`, text),
    async status() {
      const response = await request('GET', '/api/status', undefined, false)
      const body = await readJson(response)
      if (!response.ok || typeof body !== 'object' || body === null) {
        throw new OwncastApiError(
          `${base}/api/status did not answer like Owncast (HTTP ${response.status}).`,
          response.status,
          true,
        )
      }
      const status = body as Record<string, unknown>
      const str = (key: string) =>
        typeof status[key] === 'string' ? (status[key] as string) : null
      return {
        online: status.online === true,
        versionNumber: str('versionNumber'),
        streamTitle: str('streamTitle'),
        lastConnectTime: str('lastConnectTime'),
        lastDisconnectTime: str('lastDisconnectTime'),
        viewerCount: typeof status.viewerCount === 'number' ? status.viewerCount : null,
      }
    },
    async probeScope(scope) {
      const probe = SCOPE_PROBES[scope]
      const response = await request(probe.method, probe.path, probe.body)
      await response.arrayBuffer()
      return response.status === 401 || response.status === 403 ? 'denied' : 'granted'
    },
  }
}
