import { HttpError } from '../http/errors.js'

/** Why a wallet setup or an Open Payments call about a wallet address failed: one clear message each. */
export enum WalletErrorCode {
  InvalidWalletAddress = 'invalid_wallet_address',
  InvalidKeyId = 'invalid_key_id',
  InvalidPrivateKey = 'invalid_private_key',
  WalletUnreachable = 'wallet_unreachable',
  NotAWalletAddress = 'not_a_wallet_address',
  KeyNotRegistered = 'key_not_registered',
  GrantRefused = 'grant_refused',
  SandboxNotRunning = 'sandbox_not_running',
  WalletNotConfigured = 'wallet_not_configured',
}

export const walletErrorStatus: { [code in WalletErrorCode]: number } = {
  [WalletErrorCode.InvalidWalletAddress]: 400,
  [WalletErrorCode.InvalidKeyId]: 400,
  [WalletErrorCode.InvalidPrivateKey]: 400,
  [WalletErrorCode.WalletUnreachable]: 422,
  [WalletErrorCode.NotAWalletAddress]: 422,
  [WalletErrorCode.KeyNotRegistered]: 422,
  [WalletErrorCode.GrantRefused]: 422,
  [WalletErrorCode.SandboxNotRunning]: 409,
  [WalletErrorCode.WalletNotConfigured]: 409,
}

export class WalletError extends HttpError {
  constructor(
    readonly walletCode: WalletErrorCode,
    message: string,
    field?: string,
  ) {
    super(walletErrorStatus[walletCode], walletCode, message, field)
    this.name = 'WalletError'
  }
}

export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError
}
