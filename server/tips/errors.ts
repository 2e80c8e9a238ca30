import { HttpError } from '../http/errors.js'

export enum TipErrorCode {
  InvalidAmount = 'invalid_amount',
  InvalidTier = 'invalid_tier',
  InvalidName = 'invalid_name',
  InvalidMessage = 'invalid_message',
  InvalidWallet = 'invalid_wallet_address',
  InvalidChatUser = 'invalid_chat_user',
  UnknownWallet = 'unknown_wallet',
  WalletNotConfigured = 'wallet_not_configured',
  StreamerWalletUnavailable = 'streamer_wallet_unavailable',
  ViewerWalletRefused = 'viewer_wallet_refused',
  FlowNotFound = 'tip_not_found',
  RateLimited = 'rate_limited',
}

export const tipErrorStatus: { [code in TipErrorCode]: number } = {
  [TipErrorCode.InvalidAmount]: 400,
  [TipErrorCode.InvalidTier]: 400,
  [TipErrorCode.InvalidName]: 400,
  [TipErrorCode.InvalidMessage]: 400,
  [TipErrorCode.InvalidWallet]: 400,
  [TipErrorCode.InvalidChatUser]: 400,
  [TipErrorCode.UnknownWallet]: 400,
  [TipErrorCode.WalletNotConfigured]: 409,
  [TipErrorCode.StreamerWalletUnavailable]: 502,
  [TipErrorCode.ViewerWalletRefused]: 422,
  [TipErrorCode.FlowNotFound]: 404,
  [TipErrorCode.RateLimited]: 429,
}

export class TipError extends HttpError {
  constructor(
    readonly tipCode: TipErrorCode,
    message: string,
    field?: string,
  ) {
    super(tipErrorStatus[tipCode], tipCode, message, field)
    this.name = 'TipError'
  }
}

export function isTipError(error: unknown): error is TipError {
  return error instanceof TipError
}

/** The streamer's wallet is set up but does not answer (before a flow exists, nothing is stored). */
export function streamerWalletUnreachable(reason: string): TipError {
  return new TipError(
    TipErrorCode.StreamerWalletUnavailable,
    `The streamer's wallet cannot be reached right now (${reason}); try again in a minute.`,
  )
}

export function walletNotConfigured(): TipError {
  return new TipError(
    TipErrorCode.WalletNotConfigured,
    'The streamer has not set up a wallet yet, so tips are not available.',
  )
}

export function tipNotFound(): TipError {
  return new TipError(TipErrorCode.FlowNotFound, 'There is no tip with this id.', 'flowId')
}
