import { HttpError } from '../http/errors.js'

export enum GamificationErrorCode {
  InvalidAmount = 'invalid_amount',
  InvalidGifterPath = 'invalid_gifter_path',
  SupporterNotFound = 'supporter_not_found',
  GoalNotFound = 'goal_not_found',
  InvalidGoal = 'invalid_goal',
}

const STATUS: { [code in GamificationErrorCode]: number } = {
  [GamificationErrorCode.InvalidAmount]: 400,
  [GamificationErrorCode.InvalidGifterPath]: 400,
  [GamificationErrorCode.SupporterNotFound]: 404,
  [GamificationErrorCode.GoalNotFound]: 404,
  [GamificationErrorCode.InvalidGoal]: 400,
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
