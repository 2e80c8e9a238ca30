/**
 * A route table ties a method and path to its schemas, once. The server registers every entry of a
 * table with a handler map the compiler checks is complete (server/http/routes.ts); the renderer's client
 * calls entries by the same key and gets its input and answer types from the same schemas, so a drift
 * between a schema, a route and its caller is a compile error. Only TypeBox here: type-only safe for the
 * renderer.
 */
import type { Static, TSchema } from '@sinclair/typebox'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type RouteKey = `${HttpMethod} /${string}`

export interface RouteSchema {
  params?: TSchema
  querystring?: TSchema
  body?: TSchema
  headers?: TSchema
  /** Every answer the route gives, by status; a streaming route (SSE) declares none. */
  response: { [status: number]: TSchema }
}

export type RouteTable = { readonly [key: RouteKey]: RouteSchema }

type StaticOf<S, Fallback> = S extends TSchema ? Static<S> : Fallback

export type BodyOf<S extends RouteSchema> = StaticOf<S['body'], undefined>
export type QueryOf<S extends RouteSchema> = StaticOf<S['querystring'], undefined>
export type ParamsOf<S extends RouteSchema> = StaticOf<S['params'], undefined>

type SuccessStatus = 200 | 201 | 202 | 204
/** The body of a successful answer (a union when a route answers several 2xx). */
export type ResponseOf<S extends RouteSchema> = {
  [K in keyof S['response']]: K extends SuccessStatus ? Static<S['response'][K]> : never
}[keyof S['response']]

/** What a caller passes: only the parts the route declares, each required when declared. */
export type RouteInput<S extends RouteSchema> = (S['params'] extends TSchema
  ? { params: ParamsOf<S> }
  : { params?: undefined }) &
  (S['querystring'] extends TSchema ? { query: QueryOf<S> } : { query?: undefined }) &
  (S['body'] extends TSchema ? { body: BodyOf<S> } : { body?: undefined })

/** The method and path of a route key: 'PATCH /settings' -> ['PATCH', '/settings']. */
export function splitRouteKey(key: RouteKey): [HttpMethod, string] {
  const space = key.indexOf(' ')
  return [key.slice(0, space) as HttpMethod, key.slice(space + 1)]
}

/** Fills `:name` segments of a path from params, URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === null) throw new Error(`missing route param ${name}`)
    return encodeURIComponent(String(value))
  })
}
