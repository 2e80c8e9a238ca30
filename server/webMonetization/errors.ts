import { HttpError } from '../http/errors.js'

/** Why a Web Monetization report or setting was refused: one clear message each. */
export enum WmErrorCode {
  NoWallet = 'wm_no_wallet',
  NotThisWallet = 'wm_not_this_wallet',
  NotOnResourceServer = 'wm_not_on_resource_server',
  OriginNotAllowed = 'wm_origin_not_allowed',
  InvalidSetting = 'wm_invalid_setting',
  GrantFailed = 'wm_grant_failed',
}

export const wmErrorStatus: { [code in WmErrorCode]: number } = {
  [WmErrorCode.NoWallet]: 409,
  [WmErrorCode.NotThisWallet]: 422,
  [WmErrorCode.NotOnResourceServer]: 422,
  [WmErrorCode.OriginNotAllowed]: 403,
  [WmErrorCode.InvalidSetting]: 400,
  [WmErrorCode.GrantFailed]: 502,
}

export class WmError extends HttpError {
  constructor(
    readonly wmCode: WmErrorCode,
    message: string,
    field?: string,
  ) {
    super(wmErrorStatus[wmCode], wmCode, message, field)
    this.name = 'WmError'
  }
}

export function isWmError(error: unknown): error is WmError {
  return error instanceof WmError
}
