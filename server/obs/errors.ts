import { HttpError } from '../http/errors.js'

/** Every error the OBS feature answers with (STYLE rule 5). */
export enum ObsErrorCode {
  InvalidAddress = 'invalid_obs_address',
  InvalidRule = 'invalid_obs_rule',
}

const statusByCode: { [K in ObsErrorCode]: number } = {
  [ObsErrorCode.InvalidAddress]: 400,
  [ObsErrorCode.InvalidRule]: 400,
}

export class ObsError extends HttpError {
  constructor(
    readonly obsCode: ObsErrorCode,
    message: string,
    field?: string,
  ) {
    super(statusByCode[obsCode], obsCode, message, field)
    this.name = 'ObsError'
  }
}

export function isObsError(error: unknown): error is ObsError {
  return error instanceof ObsError
}
