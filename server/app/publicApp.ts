import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import type { HealthResponse } from '../contracts/api.js'
import { registerErrorHandling, strictValidation } from '../http/errors.js'
import { quietRequests } from '../http/logging.js'
import type { Feature } from './feature.js'
import type { Infrastructure } from './infrastructure.js'
import { BODY_LIMIT_BYTES } from './localApp.js'
import { registerFavicon } from '../http/favicon.js'

export interface PublicAppOptions {
  ctx: Infrastructure
  features: readonly Feature[]
  /** Requests per minute per client IP across the public listener; routes may set their own. */
  rateLimitPerMinute?: number
}

/**
 * The public listener (DESIGN §2): only what the internet needs. No admin route exists here at all.
 * A tunnel forwards from loopback, so X-Forwarded-For is trusted from loopback only, to rate-limit the
 * real client rather than the tunnel.
 */
export async function buildPublicApp({
  ctx,
  features,
  rateLimitPerMinute = 600,
}: PublicAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ajv: strictValidation,
    loggerInstance: ctx.log.child({ name: 'public' }),
    logController: quietRequests(),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: ['127.0.0.1', '::1'],
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  })
  registerErrorHandling(app)
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
