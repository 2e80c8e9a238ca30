import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify'
import {
  integrationAdminRoutes,
  ospWebhookRoutes,
  owncastWebhookRoutes,
} from '../contracts/integrations.js'
import { splitRouteKey, type RouteKey, type RouteSchema } from '../contracts/route.js'
import { registerRoutes, type RouteExtras, type RouteHandlerFor } from '../http/routes.js'
import { IntegrationError, IntegrationErrorCode } from './errors.js'
import type { IntegrationsService } from './integrationsService.js'
import { OSP_TOKEN_HEADER } from './osp/events.js'
import { acceptOspWebhook, hasValidOspToken, ospTokenInvalid, ospTokenOf } from './osp/webhook.js'
import { acceptOwncastWebhook, hasValidUrlKey } from './owncast/webhook.js'
import {
  keepRawBodies,
  rawBodyOf,
  WEBHOOK_BODY_LIMIT,
  WEBHOOK_UNKEYED_PER_MINUTE,
} from './webhookBodies.js'

/** The admin API of the Integrations page (local listener, under /api). */
export function registerIntegrationAdminRoutes(
  app: FastifyInstance,
  integrations: IntegrationsService,
): void {
  const { owncast, osp } = integrations
  registerRoutes(app, integrationAdminRoutes, {
    'GET /integrations': async () => integrations.overview(),
    'PATCH /integrations/owncast': async (request) => {
      integrations.config.updateOwncast(request.body)
      return owncast.settingsView()
    },
    'PUT /integrations/owncast/access-token': async (request) =>
      owncast.setSecret('accessToken', request.body.value),
    'DELETE /integrations/owncast/access-token': async () => owncast.clearSecret('accessToken'),
    'PUT /integrations/owncast/signing-secret': async (request) =>
      owncast.setSecret('signingSecret', request.body.value),
    'DELETE /integrations/owncast/signing-secret': async () => owncast.clearSecret('signingSecret'),
    'POST /integrations/owncast/rotate-webhook-key': async () => ({
      webhookUrl: owncast.rotateWebhookKey(),
    }),
    'POST /integrations/owncast/test-connection': async () => owncast.testConnection(),
    'POST /integrations/owncast/test-event': async () => owncast.sendTestEvent(),
    'POST /integrations/owncast/test-message': async () => integrations.chatBot.sendTestMessage(),
    'GET /integrations/owncast/external-action': async () => owncast.externalAction(),
    'GET /integrations/osp/templates': async () => osp.templates(),
    'POST /integrations/osp/rotate-token': async () => osp.rotateToken(),
    'GET /integrations/events': async (request) => ({
      events: integrations.platformEvents.list({
        platform: request.query.platform,
        limit: request.query.limit ?? 50,
        beforeId: request.query.beforeId,
      }),
    }),
    'GET /integrations/streams': async (request) => ({
      live: integrations.sessions.live(integrations.now()),
      streams: integrations.sessions.list(request.query.limit ?? 50),
    }),
    'GET /integrations/outbox': async (request) => ({
      ...integrations.outbox.counts(),
      messages: integrations.outbox.list(request.query.limit ?? 50),
    }),
    'POST /integrations/outbox/retry': async () => ({
      requeued: integrations.outbox.retryAll(),
    }),
    'POST /integrations/outbox/:id/retry': async (request) => {
      const message = integrations.outbox.retry(request.params.id)
      if (!message) {
        throw new IntegrationError(
          IntegrationErrorCode.NotFound,
          `No chat message ${request.params.id}.`,
          'params.id',
        )
      }
      return message
    },
  })
}

/**
 * Registers the entries of a route table that differ only by their method as one route, so they share
 * its hooks and its rate limit (the rate limiter keeps one counter per route).
 */
function registerForEveryMethod<S extends RouteSchema>(
  app: FastifyInstance,
  table: { readonly [key: RouteKey]: S },
  implementation: { handler: RouteHandlerFor<S> } & RouteExtras,
): void {
  const keys = Object.keys(table) as RouteKey[]
  const first = keys[0]
  if (first === undefined) throw new Error('registerForEveryMethod needs a route')
  const schema = table[first] as S
  const [, url] = splitRouteKey(first)
  if (keys.some((key) => splitRouteKey(key)[1] !== url || table[key] !== schema)) {
    throw new Error('registerForEveryMethod needs one path and one schema')
  }
  const { handler, ...extras } = implementation
  app.route({
    method: keys.map((key) => splitRouteKey(key)[0]),
    url,
    schema,
    handler: handler as RouteHandlerMethod,
    ...extras,
  })
}

/** Requests whose URL key was already checked (by the rate limiter's allow list). */
const keyChecked = new WeakSet<FastifyRequest>()
const NO_BODY = Buffer.alloc(0)

/**
 * The Owncast and OSP webhooks on the public listener. Their bodies are kept raw, in this scope only:
 * signatures are computed over the exact bytes received.
 */
export function registerIntegrationWebhookRoutes(
  app: FastifyInstance,
  integrations: IntegrationsService,
): void {
  keepRawBodies(app)
  const { config } = integrations
  const deps = {
    config,
    platformEvents: integrations.platformEvents,
    attribute: integrations.processor.attribute,
    now: integrations.now,
  }

  registerRoutes(app, owncastWebhookRoutes, {
    'POST /webhooks/owncast': {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      config: {
        rateLimit: {
          max: WEBHOOK_UNKEYED_PER_MINUTE,
          timeWindow: 60_000,
          allowList: (request: FastifyRequest) => {
            const valid = hasValidUrlKey(
              (request.query as { key?: unknown } | undefined)?.key,
              config,
            )
            if (valid) keyChecked.add(request)
            return valid
          },
        },
      },
      handler: async (request, reply) => {
        const accepted = await acceptOwncastWebhook(deps, {
          raw: Buffer.isBuffer(request.body) ? request.body : NO_BODY,
          key: request.query.key,
          keyChecked: keyChecked.has(request),
          signature: request.headers['owncast-signature'],
        })
        return reply.code(202).send(accepted)
      },
    },
  })

  const ospHeader = OSP_TOKEN_HEADER.toLowerCase()
  const ospToken = (request: FastifyRequest) =>
    ospTokenOf(request.headers[ospHeader], (request.query as { key?: string } | undefined)?.key)
  registerForEveryMethod(app, ospWebhookRoutes, {
    bodyLimit: WEBHOOK_BODY_LIMIT,
    config: {
      rateLimit: {
        max: WEBHOOK_UNKEYED_PER_MINUTE,
        timeWindow: 60_000,
        allowList: (request: FastifyRequest) => hasValidOspToken(ospToken(request), config),
      },
    },
    handler: async (request, reply) => {
      if (!hasValidOspToken(ospToken(request), config)) throw ospTokenInvalid()
      const raw = await rawBodyOf(request, WEBHOOK_BODY_LIMIT)
      const accepted = await acceptOspWebhook(deps, { raw, urlEvent: request.query.event })
      return reply.code(202).send(accepted)
    },
  })
}
