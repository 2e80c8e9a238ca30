import { HttpError } from '../http/errors.js'

/** What the overlay settings can refuse, with the HTTP status of each. */
export enum OverlayErrorCode {
  CssTooLarge = 'css_too_large',
  InvalidAmount = 'invalid_amount',
  InvalidStyle = 'invalid_style',
  CssMarkup = 'css_markup',
  InvalidGoal = 'invalid_goal',
}

const statusByCode: { [K in OverlayErrorCode]: number } = {
  [OverlayErrorCode.CssTooLarge]: 413,
  [OverlayErrorCode.InvalidAmount]: 400,
  [OverlayErrorCode.InvalidStyle]: 400,
  [OverlayErrorCode.CssMarkup]: 400,
  [OverlayErrorCode.InvalidGoal]: 400,
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
