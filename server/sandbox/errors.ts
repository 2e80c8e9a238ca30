/**
 * Errors the sandbox answers, in the Open Payments shape `{"error": {"code", "description"}}`
 * (auth-server.yaml and resource-server.yaml error schemas), with a complete code -> status map.
 */
export enum SandboxErrorCode {
  InvalidRequest = 'invalid_request',
  InvalidClient = 'invalid_client',
  InvalidContinuation = 'invalid_continuation',
  InvalidRotation = 'invalid_rotation',
  RequestDenied = 'request_denied',
  TooFast = 'too_fast',
  InvalidToken = 'invalid_token',
  InvalidSignature = 'invalid_signature',
  InsufficientGrant = 'insufficient_grant',
  InsufficientBalance = 'insufficient_balance',
  InvalidQuote = 'invalid_quote',
  InvalidReceiver = 'invalid_receiver',
  InvalidAmount = 'invalid_amount',
  UnknownInteraction = 'unknown_interaction',
  NotFound = 'not_found',
  /** What Rafiki answers for a resource it deleted (an incoming payment that expired unpaid). */
  Unauthorized = 'unauthorized',
}

export const sandboxErrorStatus: { [code in SandboxErrorCode]: number } = {
  [SandboxErrorCode.InvalidRequest]: 400,
  [SandboxErrorCode.InvalidClient]: 401,
  [SandboxErrorCode.InvalidContinuation]: 404,
  [SandboxErrorCode.InvalidRotation]: 404,
  [SandboxErrorCode.RequestDenied]: 401,
  [SandboxErrorCode.TooFast]: 400,
  [SandboxErrorCode.InvalidToken]: 401,
  [SandboxErrorCode.InvalidSignature]: 401,
  [SandboxErrorCode.InsufficientGrant]: 403,
  [SandboxErrorCode.InsufficientBalance]: 403,
  [SandboxErrorCode.InvalidQuote]: 400,
  [SandboxErrorCode.InvalidReceiver]: 400,
  [SandboxErrorCode.InvalidAmount]: 400,
  [SandboxErrorCode.UnknownInteraction]: 404,
  [SandboxErrorCode.NotFound]: 404,
  [SandboxErrorCode.Unauthorized]: 401,
}

export class SandboxError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    statusOverride?: number,
  ) {
    super(message)
    this.name = 'SandboxError'
    this.statusCode = statusOverride ?? sandboxErrorStatus[code]
  }
}

export function isSandboxError(error: unknown): error is SandboxError {
  return error instanceof SandboxError
}

export function opErrorBody(code: string, description: string) {
  return { error: { code, description } }
}
