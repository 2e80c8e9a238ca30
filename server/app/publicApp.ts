import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import type { HealthResponse } from '../contracts/api.js'
import { registerErrorHandling, strictValidation } from '../http/errors.js'
import { logRequestsAtDebug, quietRequests } from '../http/logging.js'
import type { Feature } from './feature.js'
import type { Infrastructure } from './infrastructure.js'
import {
  capConnectionsPerClient,
  fastifyLimitOptions,
  PUBLIC_LISTENER_LIMITS,
  type ListenerLimits,
} from './listenerLimits.js'
import { BODY_LIMIT_BYTES } from './localApp.js'
import { registerFavicon } from '../http/favicon.js'

/** Fastify's form of WM_TRUST_PROXY: a hop count trusts that many proxies nearest to us. */
function trustedProxies(
  trust: Infrastructure['config']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return trust
}

export interface PublicAppOptions {
  ctx: Infrastructure
  features: readonly Feature[]
  /** Requests per minute per client IP across the public listener; routes may set their own. */
  rateLimitPerMinute?: number
  limits?: ListenerLimits
}

/**
 * The public listener (DESIGN §2): only what the internet needs. No admin route exists here at all.
 * X-Forwarded-For is believed only as WM_TRUST_PROXY says (off by default: any local process, or a
 * tunnel that passes the client's own header through, could otherwise pick its rate-limit key); the
 * client is then the right-most address no trusted proxy added.
 */
export async function buildPublicApp({
  ctx,
  features,
  rateLimitPerMinute = 600,
  limits = PUBLIC_LISTENER_LIMITS,
}: PublicAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ajv: strictValidation,
    loggerInstance: ctx.log.child({ name: 'public' }),
    logController: quietRequests(),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustedProxies(ctx.config.trustProxy),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ...fastifyLimitOptions(limits),
  })
  if (ctx.config.trustProxy === false)
    capConnectionsPerClient(app.server, limits.maxConnectionsPerClient, app.log)
  registerErrorHandling(app)
  logRequestsAtDebug(app)
  await app.register(rateLimit, {
    max: rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => ({
      statusCode: context.statusCode,
      error: 'rate_limited',
      message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`,
    }),
  })
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
    done()
  })

  registerFavicon(app)
  app.get('/healthz', async (): Promise<HealthResponse> => ({
    status: 'ok',
    listener: 'public',
    version: ctx.version,
  }))

  for (const feature of features)
    if (feature.publicRoutes) await app.register(async (scope) => feature.publicRoutes?.(scope))
  return app
}
