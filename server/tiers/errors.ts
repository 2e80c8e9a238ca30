import { HttpError } from '../http/errors.js'

export enum TierErrorCode {
  UnknownTheme = 'unknown_theme',
  UnknownCurrency = 'unknown_currency',
  InvalidAmount = 'invalid_amount',
  EmptyRange = 'empty_range',
  InvalidTiers = 'invalid_tiers',
  TierNotFound = 'tier_not_found',
  InvalidAiSettings = 'invalid_ai_settings',
}

const STATUS: { [code in TierErrorCode]: number } = {
  [TierErrorCode.UnknownTheme]: 400,
  [TierErrorCode.UnknownCurrency]: 400,
  [TierErrorCode.InvalidAmount]: 400,
  [TierErrorCode.EmptyRange]: 400,
  [TierErrorCode.InvalidTiers]: 400,
  [TierErrorCode.TierNotFound]: 404,
  [TierErrorCode.InvalidAiSettings]: 400,
}

export class TierError extends HttpError {
  constructor(
    readonly tierCode: TierErrorCode,
    message: string,
    field?: string,
  ) {
    super(STATUS[tierCode], tierCode, message, field)
    this.name = 'TierError'
  }
}

export function isTierError(error: unknown): error is TierError {
  return error instanceof TierError
}
