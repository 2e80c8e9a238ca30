import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../http/errors.js'
import type { AdminSessions } from './adminSessions.js'
import { SESSION_COOKIE } from './adminSessions.js'
import type { OverlayKeys } from './overlayKey.js'

/** The Host values the local listener answers to: anything else is a DNS-rebinding attempt. */
export function allowedLocalHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

export function allowedLocalOrigins(port: number): string[] {
  return allowedLocalHosts(port).map((host) => `http://${host}`)
}

export function checkHost(hostHeader: string | undefined, port: number): void {
  const host = (hostHeader ?? '').toLowerCase()
  if (!allowedLocalHosts(port).includes(host)) {
    throw new HttpError(
      403,
      'host_not_allowed',
      `This listener only answers to 127.0.0.1:${port} or localhost:${port}; open the dashboard with one of those addresses.`,
    )
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Same-origin check for mutations: the session cookie alone is not enough (a page elsewhere can make
 * the browser send it). Browsers send Origin on every cross-origin and same-origin POST from fetch.
 */
export function checkSameOrigin(request: FastifyRequest, port: number): void {
  if (!MUTATING.has(request.method)) return
  const origin = request.headers.origin
  if (origin !== undefined) {
    if (allowedLocalOrigins(port).includes(origin.toLowerCase())) return
    throw new HttpError(
      403,
      'cross_origin',
      `Requests from ${origin} may not change anything here.`,
    )
  }
  if (request.headers['sec-fetch-site'] === 'same-origin') return
  throw new HttpError(
    403,
    'cross_origin',
    'A change needs a same-origin request (Origin header missing).',
  )
}

export function requireAdmin(sessions: AdminSessions) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const sessionId = request.cookies[SESSION_COOKIE]
    if (!sessions.isValidSession(sessionId)) {
      throw new HttpError(
        401,
        'unauthorized',
        'Not signed in: open the dashboard through the URL with the token that WM Companion printed at start-up.',
      )
    }
  }
}

/**
 * Overlay pages and their data: OBS cannot send headers, so the key rides in the URL. The signed-in
 * dashboard may read the same GET data (previews, the seed's analytics summary) with its session.
 */
export function requireOverlayKey(
  keys: OverlayKeys,
  sessions: AdminSessions,
  /**
   * The page OBS would show for an overlay page URL with a bad key (null for the pages' files,
   * streams and data, which answer the JSON error): a 401 with its own content policy.
   */
  deniedPage: (request: FastifyRequest) => { html: string; csp: string } | null = () => null,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = (request.query as Record<string, unknown> | undefined)?.key
    if (keys.verify(key)) return
    if (request.method === 'GET' && sessions.isValidSession(request.cookies[SESSION_COOKIE])) return
    const page = request.method === 'GET' ? deniedPage(request) : null
    if (page) {
      await reply
        .code(401)
        .header('content-security-policy', page.csp)
        .type('text/html; charset=utf-8')
        .send(page.html)
      return
    }
    throw new HttpError(
      403,
      'bad_overlay_key',
      'This overlay URL has a missing or outdated key; copy it again from the Overlays page.',
    )
  }
}
