/** What the sandbox's route sets share: its repository, its URLs, its clock and its settings. */
import type { JWK } from '@interledger/http-signature-utils'
import type { FastifyRequest } from 'fastify'
import type { Asset } from './exchange.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import type { ClientDirectory } from './signatures.js'
import type { SandboxRepository, WalletRow } from './sandboxRepository.js'

export interface SandboxSettings {
  settlementDelayMs: number
  quoteTtlMs: number
  accessTokenTtlSec: number
  continueWaitSec: number
  interactionTtlMs: number
  /** Default lifetime of an incoming payment created without expiresAt. */
  incomingPaymentTtlMs: number
}

export interface SandboxContext {
  repository: SandboxRepository
  clients: ClientDirectory
  settings: SandboxSettings
  now(): number
  /** `http://127.0.0.1:<port>`, no trailing slash; known once listening. */
  base(): string
  /** The grant endpoint, exactly as the wallet address documents publish it. */
  authServer(): string
  walletUrl(name: string): string
  /** The local wallet a URL names, or null when it is not one of ours. */
  walletNameOf(url: unknown): string | null
  /** The id in `<base>/<collection>/<id>`, or null when the URL is not such a local resource. */
  resourceIdOf(
    url: unknown,
    collection: 'incoming-payments' | 'quotes' | 'outgoing-payments',
  ): string | null
  rawBody(request: FastifyRequest): string | undefined
  scheduleSettlement(outgoingPaymentId: string, delayMs: number): void
}

/** The token of `Authorization: GNAP <token>`, or null. */
export function gnapToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !header.startsWith('GNAP ')) return null
  const token = header.slice(5).trim()
  return token.length > 0 ? token : null
}

export function assetOf(wallet: WalletRow): Asset {
  return { assetCode: wallet.asset_code, assetScale: wallet.asset_scale }
}

export interface AmountJson {
  value: string
  assetCode: string
  assetScale: number
}

export function amountJson(value: bigint | string, asset: Asset): AmountJson {
  return { value: value.toString(), assetCode: asset.assetCode, assetScale: asset.assetScale }
}

export interface ParsedAmount extends Asset {
  value: bigint
}

/** An Open Payments amount from a request: value a uint64 string, asset code and scale. */
export function parseAmount(raw: unknown, field: string): ParsedAmount {
  const bad = (why: string) => new SandboxError(SandboxErrorCode.InvalidRequest, `${field} ${why}`)
  if (!raw || typeof raw !== 'object') throw bad('must be an amount object')
  const { value, assetCode, assetScale } = raw as Record<string, unknown>
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) {
    throw bad('.value must be a string of digits (minor units)')
  }
  const parsed = BigInt(value)
  if (parsed > 18_446_744_073_709_551_615n) throw bad('.value exceeds uint64')
  if (typeof assetCode !== 'string' || assetCode.length === 0) {
    throw bad('.assetCode must be a non-empty string')
  }
  if (typeof assetScale !== 'number' || !Number.isInteger(assetScale) || assetScale < 0) {
    throw bad('.assetScale must be an integer from 0 to 255')
  }
  if (assetScale > 255) throw bad('.assetScale must be an integer from 0 to 255')
  return { value: parsed, assetCode, assetScale }
}

export function sameAsset(a: Asset, b: Asset): boolean {
  return a.assetCode === b.assetCode && a.assetScale === b.assetScale
}

export function walletKeys(repository: SandboxRepository, walletName: string): JWK[] {
  return repository.keysOf(walletName).map((row) => JSON.parse(row.public_jwk) as JWK)
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString()
}

export function formatMoney(value: bigint | string, asset: Asset): string {
  const v = BigInt(value)
  const negative = v < 0n
  const abs = negative ? -v : v
  if (asset.assetScale === 0) return `${negative ? '-' : ''}${abs} ${asset.assetCode}`
  const digits = abs.toString().padStart(asset.assetScale + 1, '0')
  const whole = digits.slice(0, digits.length - asset.assetScale)
  const fraction = digits.slice(digits.length - asset.assetScale)
  return `${negative ? '-' : ''}${whole}.${fraction} ${asset.assetCode}`
}
