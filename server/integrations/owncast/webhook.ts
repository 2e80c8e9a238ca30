import crypto from 'node:crypto'
import { isUtf8 } from 'node:buffer'
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
  WEBHOOK_BODY_LIMIT,
  WEBHOOK_UNKEYED_PER_MINUTE,
  WebhookAccepted,
} from '../http.js'
import { normalizeOwncastEvent, parseOwncastTime } from './normalize.js'
import { verifyOwncastSignature } from './signature.js'

export const OWNCAST_WEBHOOK_PATH = '/webhooks/owncast'

const Query = Type.Object({ key: Type.Optional(Type.String({ maxLength: 256 })) })

export interface OwncastWebhookDeps {
  config: IntegrationConfig
  store: PlatformEventStore
  /** The stream an arriving event certainly belongs to, else null (see EventProcessor.attribute). */
  attribute(event: NormalizedPlatformEvent, receivedAt: number): string | null
  /** Milliseconds since the epoch; injected so tests can freeze the clock for signatures. */
  now(): number
}

const SIGNATURE_ERRORS = {
  missing: IntegrationErrorCode.SignatureRequired,
  malformed: IntegrationErrorCode.SignatureMalformed,
  mismatch: IntegrationErrorCode.SignatureMismatch,
  expired: IntegrationErrorCode.SignatureExpired,
} as const

/**
 * The webhook authentication policy, explicit: with a signing secret configured (Owncast 0.3.0+),
 * every request must carry a valid `Owncast-Signature`; without one, the secret `?key=` of the webhook
 * URL is required. An unauthenticated request is never accepted, and a wrong key is refused either way.
 */
export function authenticateOwncast(
  request: FastifyRequest<{ Querystring: Static<typeof Query> }>,
  raw: Buffer,
  deps: OwncastWebhookDeps,
): void {
  const key = request.query.key
  if (
    key !== undefined &&
    !keyChecked.has(request) &&
    !safeEqual(key, deps.config.generatedSecret('webhookUrlKey'))
  ) {
    throw new IntegrationError(
      IntegrationErrorCode.WebhookKeyInvalid,
      'The key in the webhook URL is wrong: copy the Owncast webhook URL again from WM Companion.',
      'query.key',
    )
  }
  const signingSecret = deps.config.secret('signingSecret')
  if (signingSecret) {
    const verdict = verifyOwncastSignature(
      request.headers['owncast-signature'],
      raw,
      signingSecret,
      Math.floor(deps.now() / 1000),
    )
    if (!verdict.ok) {
      throw new IntegrationError(
        SIGNATURE_ERRORS[verdict.reason],
        verdict.reason === 'missing'
          ? 'This webhook requires a signed request (a signing secret is configured), but Owncast-Signature is missing. Owncast before 0.3.0 cannot sign: clear the signing secret in WM Companion to use the URL key instead.'
          : verdict.detail,
        'headers.owncast-signature',
      )
    }
    return
  }
  if (key === undefined) {
    throw new IntegrationError(
      IntegrationErrorCode.WebhookKeyRequired,
      'This webhook URL needs its secret ?key=: copy the Owncast webhook URL from WM Companion.',
      'query.key',
    )
  }
}

/** Requests whose URL key was already checked (by the rate limiter's allow list). */
const keyChecked = new WeakSet<FastifyRequest>()

export function hasValidUrlKey(request: FastifyRequest, config: IntegrationConfig): boolean {
  const key = (request.query as { key?: unknown } | undefined)?.key
  const valid = typeof key === 'string' && safeEqual(key, config.generatedSecret('webhookUrlKey'))
  if (valid) keyChecked.add(request)
  return valid
}

/** Decodes a body as strict UTF-8; a clear 400 otherwise. */
export function decodeUtf8(raw: Buffer): string {
  if (!isUtf8(raw)) {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidEncoding,
      'The body is not valid UTF-8.',
      'body',
    )
  }
  return raw.toString('utf8')
}

/** Parses JSON text; a clear 400 otherwise. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidJson,
      `The body is not valid JSON: ${(error as Error).message}`,
      'body',
    )
  }
}

/**
 * POST /webhooks/owncast on the public listener. Answers 202 once the raw event is durably stored
 * (Owncast neither retries nor times out, so a slow answer stalls its chat); processing comes after.
 */
export function registerOwncastWebhook(app: FastifyInstance, deps: OwncastWebhookDeps): void {
  app.post<{ Querystring: Static<typeof Query> }>(
    OWNCAST_WEBHOOK_PATH,
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      config: {
        rateLimit: {
          max: WEBHOOK_UNKEYED_PER_MINUTE,
          timeWindow: 60_000,
          allowList: (request: FastifyRequest) => hasValidUrlKey(request, deps.config),
        },
      },
      schema: {
        querystring: Query,
        response: {
          202: WebhookAccepted,
          400: ErrorBody,
          401: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const raw = request.body
      if (!Buffer.isBuffer(raw) || raw.length === 0) throw emptyBody()
      authenticateOwncast(request, raw, deps)
      const text = decodeUtf8(raw)
      const normalized = normalizeOwncastEvent(parseJsonText(text))
      const receivedAt = deps.now()
      const result = await deps.store.store({
        platform: 'owncast',
        // No id (0.1.x NAME_CHANGE): the same bytes twice are the same delivery.
        eventId:
          normalized.eventId ??
          `sha256:${crypto.createHash('sha256').update(raw).digest('base64url')}`,
        sourceType: normalized.sourceType,
        normalized,
        payload: raw,
        receivedAt,
        occurredAt: parseOwncastTime(normalized.occurredAt),
        streamId: deps.attribute(normalized, receivedAt),
      })
      return reply.code(202).send({
        status: result.inserted ? 'stored' : 'duplicate',
        type: normalized.type,
        eventId: normalized.eventId,
      })
    },
  )
}
