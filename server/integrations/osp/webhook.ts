import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { safeEqual } from '../../security/tokens.js'
import type { NormalizedPlatformEvent } from '../../contracts/integrations.js'
import type { IntegrationConfig } from '../config.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import type { PlatformEventStore } from '../eventStore.js'
import {
  emptyBody,
  ErrorBody,
  rawBodyOf,
  WEBHOOK_BODY_LIMIT,
  WEBHOOK_UNKEYED_PER_MINUTE,
  WebhookAccepted,
} from '../http.js'
import { OSP_TOKEN_HEADER } from './events.js'
import { normalizeOspEvent, parseOspBody } from './parse.js'

export const OSP_WEBHOOK_PATH = '/webhooks/osp'

const Query = Type.Object({
  event: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
  key: Type.Optional(Type.String({ maxLength: 256 })),
})

export interface OspWebhookDeps {
  config: IntegrationConfig
  store: PlatformEventStore
  /** The stream an arriving event certainly belongs to, else null (see EventProcessor.attribute). */
  attribute(event: NormalizedPlatformEvent, receivedAt: number): string | null
  now(): number
}

function tokenOf(
  request: FastifyRequest<{ Querystring: Static<typeof Query> }>,
): string | undefined {
  const header = request.headers[OSP_TOKEN_HEADER.toLowerCase()]
  if (typeof header === 'string') return header
  return request.query.key
}

function hasValidToken(request: FastifyRequest, config: IntegrationConfig): boolean {
  const token = tokenOf(request as FastifyRequest<{ Querystring: Static<typeof Query> }>)
  return typeof token === 'string' && safeEqual(token, config.generatedSecret('ospToken'))
}

/**
 * /webhooks/osp: OSP's request types 0..3 are POST, GET, PUT and DELETE with the same body. OSP signs
 * nothing; the template's header JSON carries our shared secret.
 */
export function registerOspWebhook(app: FastifyInstance, deps: OspWebhookDeps): void {
  app.route<{ Querystring: Static<typeof Query> }>({
    method: ['POST', 'PUT', 'GET', 'DELETE'],
    url: OSP_WEBHOOK_PATH,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    config: {
      rateLimit: {
        max: WEBHOOK_UNKEYED_PER_MINUTE,
        timeWindow: 60_000,
        allowList: (request: FastifyRequest) => hasValidToken(request, deps.config),
      },
    },
    schema: {
      querystring: Query,
      response: {
        202: WebhookAccepted,
        400: ErrorBody,
        401: ErrorBody,
        413: ErrorBody,
        429: ErrorBody,
      },
    },
    handler: async (request, reply) => {
      if (!hasValidToken(request, deps.config)) {
        throw new IntegrationError(
          IntegrationErrorCode.OspTokenInvalid,
          `The ${OSP_TOKEN_HEADER} header is missing or wrong: paste the header JSON from WM Companion into the OSP webhook.`,
          `headers.${OSP_TOKEN_HEADER.toLowerCase()}`,
        )
      }
      const raw = await rawBodyOf(request, WEBHOOK_BODY_LIMIT)
      if (raw.length === 0) throw emptyBody()
      const parsed = parseOspBody(raw, request.query.event)
      const normalized = normalizeOspEvent(parsed)
      const receivedAt = deps.now()
      // OSP sends no event id and identical bodies are legitimate (two guests joining): no dedupe.
      await deps.store.store({
        platform: 'osp',
        eventId: null,
        sourceType: parsed.eventName,
        normalized,
        payload: parsed.text,
        receivedAt,
        occurredAt: null,
        streamId: deps.attribute(normalized, receivedAt),
      })
      return reply.code(202).send({ status: 'stored', type: normalized.type, eventId: null })
    },
  })
}
