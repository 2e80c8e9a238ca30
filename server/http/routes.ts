import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify'
import {
  splitRouteKey,
  type RouteKey,
  type RouteSchema,
  type RouteTable,
} from '../contracts/route.js'

/** A handler typed by its route's schemas through the TypeBox type provider: request in, answer out. */
export type RouteHandlerFor<S extends RouteSchema> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  S,
  TypeBoxTypeProvider,
  FastifyBaseLogger
>

/** Route options beside the schema (rate limits, body limits); the schema always comes from the table. */
export type RouteExtras = Pick<RouteShorthandOptions, 'config' | 'bodyLimit' | 'logLevel'>

export type RouteImplementation<S extends RouteSchema> =
  RouteHandlerFor<S> | ({ handler: RouteHandlerFor<S> } & RouteExtras)

/** One implementation per entry of the table, no more, no less: the compiler checks both ways. */
export type RouteHandlers<T extends RouteTable> = {
  [K in keyof T]: T[K] extends RouteSchema ? RouteImplementation<T[K]> : never
}

/**
 * Registers every route of a table on `app` (an encapsulated scope that already enforces its
 * listener's security), with the table's schemas for validation and serialization.
 */
export function registerRoutes<T extends RouteTable>(
  app: FastifyInstance,
  table: T,
  handlers: RouteHandlers<T>,
): void {
  for (const key of Object.keys(table) as (keyof T & RouteKey)[]) {
    const [method, url] = splitRouteKey(key)
    const implementation = handlers[key] as RouteImplementation<RouteSchema>
    const { handler, ...extras } =
      typeof implementation === 'function' ? { handler: implementation } : implementation
    const schema = table[key] as RouteSchema
    app.route({
      method,
      url,
      // A streaming route declares no answers: nothing for Fastify to serialize.
      schema:
        Object.keys(schema.response).length === 0 ? { ...schema, response: undefined } : schema,
      handler: handler as RouteHandlerMethod,
      ...extras,
    })
  }
}
