import { HttpError } from '../http/errors.js'

export enum AnalyticsErrorCode {
  InvalidQuery = 'invalid_query',
}

const STATUS: { [code in AnalyticsErrorCode]: number } = {
  [AnalyticsErrorCode.InvalidQuery]: 400,
}

export class AnalyticsError extends HttpError {
  constructor(
    readonly analyticsCode: AnalyticsErrorCode,
    message: string,
    field?: string,
  ) {
    super(STATUS[analyticsCode], analyticsCode, message, field)
    this.name = 'AnalyticsError'
  }
}

export function isAnalyticsError(error: unknown): error is AnalyticsError {
  return error instanceof AnalyticsError
}

/** A time filter of the query string: ISO date-time or epoch milliseconds; empty means none. */
export function parseQueryTime(value: string | undefined, field: string): number | null {
  if (value === undefined || value === '') return null
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms))
    throw new AnalyticsError(
      AnalyticsErrorCode.InvalidQuery,
      `querystring.${field}: ${field} must be an ISO date-time or epoch milliseconds`,
      `querystring.${field}`,
    )
  return ms
}
