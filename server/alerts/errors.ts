import { HttpError } from '../http/errors.js'

/** What the alert queue, its settings and its test alerts can refuse, with the HTTP status of each. */
export enum AlertErrorCode {
  AlertNotFound = 'alert_not_found',
  AlertNotHeld = 'alert_not_held',
  AlertAlreadyFinished = 'alert_already_finished',
  NothingShowing = 'nothing_showing',
  AlertNotFinished = 'alert_not_finished',
  VariantNotFound = 'variant_not_found',
  DuplicateVariantId = 'duplicate_variant_id',
  InvalidAmount = 'invalid_amount',
}

const statusByCode: { [K in AlertErrorCode]: number } = {
  [AlertErrorCode.AlertNotFound]: 404,
  [AlertErrorCode.AlertNotHeld]: 409,
  [AlertErrorCode.AlertAlreadyFinished]: 409,
  [AlertErrorCode.NothingShowing]: 409,
  [AlertErrorCode.AlertNotFinished]: 409,
  [AlertErrorCode.VariantNotFound]: 404,
  [AlertErrorCode.DuplicateVariantId]: 400,
  [AlertErrorCode.InvalidAmount]: 400,
}

export class AlertError extends HttpError {
  constructor(
    readonly alertCode: AlertErrorCode,
    message: string,
    field?: string,
  ) {
    super(statusByCode[alertCode], alertCode, message, field)
    this.name = 'AlertError'
  }
}

export function isAlertError(error: unknown): error is AlertError {
  return error instanceof AlertError
}
