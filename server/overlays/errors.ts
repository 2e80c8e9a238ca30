import { HttpError } from '../http/errors.js'

/** What the overlay settings can refuse, with the HTTP status of each. */
export enum OverlayErrorCode {
  CssTooLarge = 'css_too_large',
  InvalidAmount = 'invalid_amount',
}

const statusByCode: { [K in OverlayErrorCode]: number } = {
  [OverlayErrorCode.CssTooLarge]: 413,
  [OverlayErrorCode.InvalidAmount]: 400,
}

export class OverlayError extends HttpError {
  constructor(
    readonly overlayCode: OverlayErrorCode,
    message: string,
    field?: string,
  ) {
    super(statusByCode[overlayCode], overlayCode, message, field)
    this.name = 'OverlayError'
  }
}

export function isOverlayError(error: unknown): error is OverlayError {
  return error instanceof OverlayError
}
