import { safeEqual } from '../../security/tokens.js'
import type { NormalizedPlatformEvent, WebhookAccepted } from '../../contracts/integrations.js'
import type { IntegrationConfigService } from '../configService.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import type { PlatformEventRepository } from '../platformEventRepository.js'
import { emptyBody } from '../webhookBodies.js'
import { OSP_TOKEN_HEADER } from './events.js'
import { normalizeOspEvent, parseOspBody } from './parse.js'

export interface OspWebhookDeps {
  config: IntegrationConfigService
  platformEvents: PlatformEventRepository
  /** The stream an arriving event certainly belongs to, else null (see EventProcessingService.attribute). */
  attribute(event: NormalizedPlatformEvent, receivedAt: number): string | null
  now(): number
}

/** The shared secret of a request: the template's header, else `?key=`. */
export function ospTokenOf(
  header: string | string[] | undefined,
  key: string | undefined,
): string | undefined {
  if (typeof header === 'string') return header
  return key
}

export function hasValidOspToken(
  token: string | undefined,
  config: IntegrationConfigService,
): boolean {
  return typeof token === 'string' && safeEqual(token, config.generatedSecret('ospToken'))
}

export function ospTokenInvalid(): IntegrationError {
  return new IntegrationError(
    IntegrationErrorCode.OspTokenInvalid,
    `The ${OSP_TOKEN_HEADER} header is missing or wrong: paste the header JSON from WM Companion into the OSP webhook.`,
    `headers.${OSP_TOKEN_HEADER.toLowerCase()}`,
  )
}

/**
 * /webhooks/osp: parses, normalizes and stores one delivery whose token the route has checked. OSP
 * signs nothing; the template's header JSON carries our shared secret.
 */
export async function acceptOspWebhook(
  deps: OspWebhookDeps,
  delivery: { raw: Buffer; urlEvent: string | undefined },
): Promise<WebhookAccepted> {
  if (delivery.raw.length === 0) throw emptyBody()
  const parsed = parseOspBody(delivery.raw, delivery.urlEvent)
  const normalized = normalizeOspEvent(parsed)
  const receivedAt = deps.now()
  // OSP sends no event id and identical bodies are legitimate (two guests joining): no dedupe.
  await deps.platformEvents.store({
    platform: 'osp',
    eventId: null,
    sourceType: parsed.eventName,
    normalized,
    payload: parsed.text,
    receivedAt,
    occurredAt: null,
    streamId: deps.attribute(normalized, receivedAt),
  })
  return { status: 'stored', type: normalized.type, eventId: null }
}
