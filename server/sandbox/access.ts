/**
 * GNAP access rights as Open Payments defines them (auth-server.yaml `access-item`): which resource
 * type, which actions, for which wallet address, and for outgoing payments which limits.
 */
import type { JWK } from '@interledger/http-signature-utils'
import { parseAmount, type AmountJson, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import type { GrantRow } from './sandboxRepository.js'

export type AccessType = 'incoming-payment' | 'outgoing-payment' | 'quote'

export interface OutgoingLimits {
  receiver?: string
  interval?: string
  debitAmount?: AmountJson
  receiveAmount?: AmountJson
}

export interface AccessItem {
  type: AccessType
  actions: string[]
  identifier?: string
  limits?: OutgoingLimits
}

const ACTIONS: Record<AccessType, readonly string[]> = {
  'incoming-payment': ['create', 'complete', 'read', 'read-all', 'list', 'list-all'],
  'outgoing-payment': ['create', 'read', 'read-all', 'list', 'list-all'],
  quote: ['create', 'read', 'read-all'],
}

const RECEIVER_PATTERN = /^(https|http):\/\/(.+)\/incoming-payments\/(.+)$/

function invalid(message: string): SandboxError {
  return new SandboxError(SandboxErrorCode.InvalidRequest, message)
}

/** Validates and normalises `access_token.access` (only the fields the spec allows are kept). */
export function parseAccess(ctx: SandboxContext, raw: unknown): AccessItem[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 3) {
    throw invalid('access_token.access must be an array of 1 to 3 access items')
  }
  return raw.map((item, index): AccessItem => {
    const field = `access_token.access[${index}]`
    if (!item || typeof item !== 'object') throw invalid(`${field} must be an object`)
    const { type, actions, identifier, limits } = item as Record<string, unknown>
    if (type !== 'incoming-payment' && type !== 'outgoing-payment' && type !== 'quote') {
      throw invalid(`${field}.type must be incoming-payment, outgoing-payment or quote`)
    }
    if (
      !Array.isArray(actions) ||
      actions.length === 0 ||
      new Set(actions).size !== actions.length ||
      !actions.every((action) => typeof action === 'string' && ACTIONS[type].includes(action))
    ) {
      throw invalid(`${field}.actions must be distinct actions among ${ACTIONS[type].join(', ')}`)
    }
    const access: AccessItem = { type, actions: actions as string[] }
    if (identifier !== undefined) {
      if (typeof identifier !== 'string' || ctx.walletNameOf(identifier) === null) {
        throw invalid(`${field}.identifier must be a wallet address of this wallet provider`)
      }
      access.identifier = identifier
    }
    if (type === 'incoming-payment' && access.actions.includes('list-all') && !access.identifier) {
      throw invalid(`${field}.identifier is required for list-all (the wallet to list)`)
    }
    if (type === 'outgoing-payment') {
      if (!access.identifier) throw invalid(`${field}.identifier is required for outgoing-payment`)
      if (limits !== undefined) access.limits = parseLimits(ctx, limits, `${field}.limits`, access)
    } else if (limits !== undefined) {
      throw invalid(`${field}.limits is only allowed for outgoing-payment`)
    }
    return access
  })
}

function parseLimits(
  ctx: SandboxContext,
  raw: unknown,
  field: string,
  access: AccessItem,
): OutgoingLimits {
  if (!raw || typeof raw !== 'object') throw invalid(`${field} must be an object`)
  const { receiver, interval, debitAmount, receiveAmount } = raw as Record<string, unknown>
  const limits: OutgoingLimits = {}
  if (receiver !== undefined) {
    if (typeof receiver !== 'string' || !RECEIVER_PATTERN.test(receiver)) {
      throw invalid(`${field}.receiver must be an incoming payment URL`)
    }
    limits.receiver = receiver
  }
  if (interval !== undefined) {
    if (typeof interval !== 'string' || !interval.startsWith('R')) {
      throw invalid(`${field}.interval must be an ISO 8601 repeating interval`)
    }
    limits.interval = interval
  }
  if (debitAmount !== undefined && receiveAmount !== undefined) {
    throw invalid(`${field} may set debitAmount or receiveAmount, not both`)
  }
  if (debitAmount !== undefined) {
    const amount = parseAmount(debitAmount, `${field}.debitAmount`)
    const wallet = ctx.repository.wallet(ctx.walletNameOf(access.identifier) ?? '')
    if (
      wallet &&
      (wallet.asset_code !== amount.assetCode || wallet.asset_scale !== amount.assetScale)
    ) {
      throw invalid(
        `${field}.debitAmount must be in the wallet's asset (${wallet.asset_code}, scale ${wallet.asset_scale})`,
      )
    }
    limits.debitAmount = { ...amount, value: amount.value.toString() }
  }
  if (receiveAmount !== undefined) {
    const amount = parseAmount(receiveAmount, `${field}.receiveAmount`)
    limits.receiveAmount = { ...amount, value: amount.value.toString() }
  }
  return limits
}

export function grantAccess(grant: GrantRow): AccessItem[] {
  return JSON.parse(grant.access) as AccessItem[]
}

/** How a grant names its client: a wallet address, or `jwk:<json>` for directed identity. */
export function encodeJwkClient(jwk: JWK): string {
  return `jwk:${JSON.stringify(jwk)}`
}

export async function grantClientKeys(
  ctx: SandboxContext,
  grant: GrantRow,
): Promise<{ keys: JWK[]; publicName: string | null }> {
  if (grant.client.startsWith('jwk:')) {
    return { keys: [JSON.parse(grant.client.slice(4)) as JWK], publicName: null }
  }
  const info = await ctx.clients.lookup(grant.client)
  return { keys: info?.keys ?? [], publicName: info?.publicName ?? null }
}
