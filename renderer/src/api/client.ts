import type { ApiError as ApiErrorBody } from '../../../server/contracts/api.js'
import type { AdminApi, AdminRouteKey } from '../../../server/contracts/adminApi.js'
import type { HttpMethod, ResponseOf, RouteInput } from '../../../server/contracts/route.js'

/** An API answer that was not 2xx, with the server's code and plain-words message. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
  /** The feature behind this path is not part of this build (yet). */
  get unavailable(): boolean {
    return this.status === 404
  }
}

type SignedOutListener = () => void
const signedOutListeners = new Set<SignedOutListener>()

/** Called whenever the API answers 401: the shell switches to its signed-out view. */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

export type Query = Record<string, string | number | boolean | null | undefined>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

/**
 * One request to the admin API (`/api/...`). Same-origin fetch sends the session cookie and an Origin
 * header, which mutations need. Errors become `ApiError` with what the server said.
 */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  let response: Response
  try {
    response = await fetch(withQuery(`/api${path}`, query), {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : {
              accept: 'application/json',
              'content-type': 'application/json',
            },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'WM Companion did not answer. Is it still running? Start it again, then reload this page.',
    )
  }
  const text = await response.text()
  let parsed: unknown = undefined
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as Partial<ApiErrorBody>
    if (response.status === 401) for (const listener of signedOutListeners) listener()
    throw new ApiError(
      response.status,
      error.error ?? `http_${response.status}`,
      error.message ??
        (response.status === 404
          ? 'This part of WM Companion is not available in this version.'
          : `The request failed (HTTP ${response.status}).`),
      error.field,
    )
  }
  return parsed as T
}

/** `:name` segments of a path, filled from params (encoded). */
function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) =>
    encodeURIComponent(String(params?.[name] ?? '')),
  )
}

type CallArgs<K extends AdminRouteKey> =
  Record<never, never> extends RouteInput<AdminApi[K]>
    ? [input?: RouteInput<AdminApi[K]>]
    : [input: RouteInput<AdminApi[K]>]

/**
 * Calls one admin route by its key in the route table ('PATCH /settings'): the input (params, query,
 * body) and the answer are typed from the route's schemas, so a caller that drifts from the server does
 * not compile.
 */
export function call<K extends AdminRouteKey>(
  route: K,
  ...[input]: CallArgs<K>
): Promise<ResponseOf<AdminApi[K]>> {
  const space = route.indexOf(' ')
  const method = route.slice(0, space) as HttpMethod
  const path = fillPath(route.slice(space + 1), input?.params as Record<string, unknown>)
  return request<ResponseOf<AdminApi[K]>>(
    method,
    path,
    input?.body,
    input?.query as Query | undefined,
  )
}
