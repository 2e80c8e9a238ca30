import { HttpError } from '../http/errors.js'

export enum GamificationErrorCode {
  UnknownTheme = 'unknown_theme',
  UnknownCurrency = 'unknown_currency',
  InvalidAmount = 'invalid_amount',
  EmptyRange = 'empty_range',
  InvalidTiers = 'invalid_tiers',
  TierNotFound = 'tier_not_found',
  InvalidGifterPath = 'invalid_gifter_path',
  SupporterNotFound = 'supporter_not_found',
  GoalNotFound = 'goal_not_found',
  InvalidGoal = 'invalid_goal',
  InvalidAiSettings = 'invalid_ai_settings',
}

const STATUS: { [code in GamificationErrorCode]: number } = {
  [GamificationErrorCode.UnknownTheme]: 400,
  [GamificationErrorCode.UnknownCurrency]: 400,
  [GamificationErrorCode.InvalidAmount]: 400,
  [GamificationErrorCode.EmptyRange]: 400,
  [GamificationErrorCode.InvalidTiers]: 400,
  [GamificationErrorCode.TierNotFound]: 404,
  [GamificationErrorCode.InvalidGifterPath]: 400,
  [GamificationErrorCode.SupporterNotFound]: 404,
  [GamificationErrorCode.GoalNotFound]: 404,
  [GamificationErrorCode.InvalidGoal]: 400,
  [GamificationErrorCode.InvalidAiSettings]: 400,
}

export class GamificationError extends HttpError {
  constructor(
    readonly gamificationCode: GamificationErrorCode,
    message: string,
    field?: string,
  ) {
    super(STATUS[gamificationCode], gamificationCode, message, field)
    this.name = 'GamificationError'
  }
}

export function isGamificationError(error: unknown): error is GamificationError {
  return error instanceof GamificationError
}
