import { HttpError } from '../http/errors.js'

/** Every error the integrations feature answers with (STYLE rule 5). */
export enum IntegrationErrorCode {
  InvalidEncoding = 'invalid_encoding',
  InvalidJson = 'invalid_json',
  DuplicateKey = 'duplicate_key',
  InvalidEvent = 'invalid_event',
  EmptyBody = 'empty_body',
  BodyTooLarge = 'body_too_large',
  WebhookKeyRequired = 'webhook_key_required',
  WebhookKeyInvalid = 'webhook_key_invalid',
  SignatureRequired = 'signature_required',
  SignatureMalformed = 'signature_malformed',
  SignatureMismatch = 'signature_mismatch',
  SignatureExpired = 'signature_expired',
  OspTokenInvalid = 'osp_token_invalid',
  OspEventUnknown = 'osp_event_unknown',
  OspEventMismatch = 'osp_event_mismatch',
  InvalidSetting = 'invalid_setting',
  NotFound = 'not_found',
  NotConfigured = 'not_configured',
}

const statusByCode: { [K in IntegrationErrorCode]: number } = {
  [IntegrationErrorCode.InvalidEncoding]: 400,
  [IntegrationErrorCode.InvalidJson]: 400,
  [IntegrationErrorCode.DuplicateKey]: 400,
  [IntegrationErrorCode.InvalidEvent]: 400,
  [IntegrationErrorCode.EmptyBody]: 400,
  [IntegrationErrorCode.BodyTooLarge]: 413,
  [IntegrationErrorCode.WebhookKeyRequired]: 401,
  [IntegrationErrorCode.WebhookKeyInvalid]: 401,
  [IntegrationErrorCode.SignatureRequired]: 401,
  [IntegrationErrorCode.SignatureMalformed]: 401,
  [IntegrationErrorCode.SignatureMismatch]: 401,
  [IntegrationErrorCode.SignatureExpired]: 401,
  [IntegrationErrorCode.OspTokenInvalid]: 401,
  [IntegrationErrorCode.OspEventUnknown]: 400,
  [IntegrationErrorCode.OspEventMismatch]: 400,
  [IntegrationErrorCode.InvalidSetting]: 400,
  [IntegrationErrorCode.NotFound]: 404,
  [IntegrationErrorCode.NotConfigured]: 409,
}

export class IntegrationError extends HttpError {
  constructor(
    readonly integrationCode: IntegrationErrorCode,
    message: string,
    field?: string,
  ) {
    super(statusByCode[integrationCode], integrationCode, message, field)
    this.name = 'IntegrationError'
  }
}

export function isIntegrationError(error: unknown): error is IntegrationError {
  return error instanceof IntegrationError
}
