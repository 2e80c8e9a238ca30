import crypto from 'node:crypto'
import { isUtf8 } from 'node:buffer'
import { safeEqual } from '../../security/tokens.js'
import type { NormalizedPlatformEvent, WebhookAccepted } from '../../contracts/integrations.js'
import type { IntegrationConfigService } from '../configService.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import type { PlatformEventRepository } from '../platformEventRepository.js'
import { refuseDuplicateKeys } from '../strictJson.js'
import { emptyBody } from '../webhookBodies.js'
import { normalizeOwncastEvent, parseOwncastTime } from './normalize.js'
import { verifyOwncastSignature } from './signature.js'

export interface OwncastWebhookDeps {
  config: IntegrationConfigService
  platformEvents: PlatformEventRepository
  /** The stream an arriving event certainly belongs to, else null (see EventProcessingService.attribute). */
  attribute(event: NormalizedPlatformEvent, receivedAt: number): string | null
  /** Milliseconds since the epoch; injected so tests can freeze the clock for signatures. */
  now(): number
}

/** One delivery of the Owncast webhook, as the route read it. */
export interface OwncastDelivery {
  /** The exact bytes received (signatures cover them). */
  raw: Buffer
  /** `?key=` of the webhook URL. */
  key: string | undefined
  /** The key was already compared with ours (by the rate limiter's allow list). */
  keyChecked: boolean
  /** The `Owncast-Signature` header. */
  signature: string | string[] | undefined
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
export function authenticateOwncast(delivery: OwncastDelivery, deps: OwncastWebhookDeps): void {
  const { key, raw } = delivery
  if (
    key !== undefined &&
    !delivery.keyChecked &&
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
      delivery.signature,
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

/** The URL key is ours (requests carrying it are not rate-limited). */
export function hasValidUrlKey(key: unknown, config: IntegrationConfigService): boolean {
  return typeof key === 'string' && safeEqual(key, config.generatedSecret('webhookUrlKey'))
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

/** Parses JSON text; a clear 400 otherwise, also for a key given twice. */
export function parseJsonText(text: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidJson,
      `The body is not valid JSON: ${(error as Error).message}`,
      'body',
    )
  }
  refuseDuplicateKeys(text)
  return parsed
}

/**
 * POST /webhooks/owncast: authenticates, normalizes and durably stores one delivery. The route answers
 * 202 once this resolves (Owncast neither retries nor times out, so a slow answer stalls its chat);
 * processing comes after.
 */
export async function acceptOwncastWebhook(
  deps: OwncastWebhookDeps,
  delivery: OwncastDelivery,
): Promise<WebhookAccepted> {
  const { raw } = delivery
  if (raw.length === 0) throw emptyBody()
  authenticateOwncast(delivery, deps)
  const text = decodeUtf8(raw)
  const normalized = normalizeOwncastEvent(parseJsonText(text))
  const receivedAt = deps.now()
  const result = await deps.platformEvents.store({
    platform: 'owncast',
    // No id (0.1.x NAME_CHANGE): the same bytes twice are the same delivery.
    eventId:
      normalized.eventId ?? `sha256:${crypto.createHash('sha256').update(raw).digest('base64url')}`,
    sourceType: normalized.sourceType,
    normalized,
    payload: raw,
    receivedAt,
    occurredAt: parseOwncastTime(normalized.occurredAt),
    streamId: deps.attribute(normalized, receivedAt),
  })
  return {
    status: result.inserted ? 'stored' : 'duplicate',
    type: normalized.type,
    eventId: normalized.eventId,
  }
}
