/**
 * What every resource of the sandbox's resource server shares: token introspection with the signature
 * check, the wallets it serves, and the JSON representations (resource-server.yaml in
 * @interledger/open-payments 7.4.0).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { grantAccess, grantClientKeys, type AccessItem, type AccessType } from './access.js'
import { amountJson, assetOf, isoDate, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import type {
  GrantRow,
  IncomingPaymentRow,
  OutgoingPaymentRow,
  QuoteRow,
  WalletRow,
} from './sandboxRepository.js'
import { verifySignature } from './signatures.js'

export interface Authorized {
  grant: GrantRow
  access: AccessItem
  /** true when the token may read resources other clients created (`read-all`). */
  readAll: boolean
}

export function invalid(message: string): SandboxError {
  return new SandboxError(SandboxErrorCode.InvalidRequest, message)
}

export function notFound(what: string): SandboxError {
  return new SandboxError(SandboxErrorCode.NotFound, `${what} not found`)
}

export function parseMetadata(raw: unknown, field: string): string | null {
  if (raw === undefined || raw === null) return null
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${field} must be an object`)
  const text = JSON.stringify(raw)
  if (text.length > 8192) throw invalid(`${field} is larger than 8 KB`)
  return text
}

/** Cursor pagination as the spec describes it: `first` after `cursor`, or `last` before it. */
export function paginate<T extends { id: string }>(rows: T[], query: Record<string, unknown>) {
  const count = (raw: unknown, field: string): number | null => {
    if (raw === undefined) return null
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > 100) throw invalid(`${field} must be 1 to 100`)
    return n
  }
  const first = count(query.first, 'first')
  const last = count(query.last, 'last')
  const cursor = typeof query.cursor === 'string' ? query.cursor : null
  const at = cursor === null ? -1 : rows.findIndex((row) => row.id === cursor)
  if (cursor !== null && at === -1) throw invalid('cursor is not a known id')
  let start: number
  let end: number
  if (last !== null && first === null) {
    end = cursor === null ? rows.length : at
    start = Math.max(0, end - last)
  } else {
    start = cursor === null ? 0 : at + 1
    end = Math.min(rows.length, start + (first ?? 20))
  }
  const page = rows.slice(start, end)
  return {
    page,
    pagination: {
      ...(page.length > 0
        ? { startCursor: (page[0] as T).id, endCursor: (page[page.length - 1] as T).id }
        : {}),
      hasPreviousPage: start > 0,
      hasNextPage: end < rows.length,
    },
  }
}

export function createResourceAccess(ctx: SandboxContext) {
  const { repository } = ctx

  function localWallet(url: unknown, field: string): WalletRow {
    const name = ctx.walletNameOf(url)
    const wallet = name ? repository.wallet(name) : undefined
    if (!wallet) throw invalid(`${field} is not a wallet address of this wallet provider`)
    return wallet
  }

  /**
   * Token introspection and signature check, as a Rafiki resource server does: the GNAP token must
   * be live, the request signed with a key of the grant's client, and the grant must hold `type` with
   * one of `actions` for this wallet address.
   */
  async function authorize(
    request: FastifyRequest,
    reply: FastifyReply,
    type: AccessType,
    actions: readonly string[],
    walletName: string,
  ): Promise<Authorized> {
    void reply.header('www-authenticate', `GNAP as_uri=${ctx.authServer()}`)
    const header = request.headers.authorization
    const value =
      typeof header === 'string' && header.startsWith('GNAP ') ? header.slice(5).trim() : ''
    if (!value) throw new SandboxError(SandboxErrorCode.InvalidToken, 'Missing GNAP access token')
    const token = repository.tokenByValue(value)
    if (!token || token.revoked) {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'Unknown or revoked access token')
    }
    if (ctx.now() >= token.expires_at) {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'The access token expired')
    }
    const grant = repository.grant(token.grant_id)
    if (!grant || grant.state !== 'finalized') {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'The grant was revoked')
    }
    const { keys } = await grantClientKeys(ctx, grant)
    await verifySignature(request, ctx.rawBody(request), keys, SandboxErrorCode.InvalidSignature)
    const walletUrl = ctx.walletUrl(walletName)
    const access = grantAccess(grant).find(
      (item) =>
        item.type === type &&
        item.actions.some((action) => actions.includes(action)) &&
        (item.identifier === undefined || ctx.walletNameOf(item.identifier) === walletName),
    )
    if (!access) {
      throw new SandboxError(
        SandboxErrorCode.InsufficientGrant,
        `The access token does not allow ${actions.join(' or ')} ${type} for ${walletUrl}`,
      )
    }
    return { grant, access, readAll: access.actions.includes('read-all') }
  }

  function incomingUrl(id: string): string {
    return `${ctx.base()}/incoming-payments/${id}`
  }

  function incomingIsOpen(row: IncomingPaymentRow): boolean {
    return !row.completed && ctx.now() < row.expires_at
  }

  function incomingJson(row: IncomingPaymentRow, withMethods: boolean) {
    const wallet = repository.wallet(row.wallet_name) as WalletRow
    const asset = assetOf(wallet)
    return {
      id: incomingUrl(row.id),
      walletAddress: ctx.walletUrl(row.wallet_name),
      ...(row.incoming_amount !== null
        ? { incomingAmount: amountJson(row.incoming_amount, asset) }
        : {}),
      receivedAmount: amountJson(row.received_amount, asset),
      completed: row.completed === 1,
      expiresAt: isoDate(row.expires_at),
      ...(row.metadata ? { metadata: JSON.parse(row.metadata) as Record<string, unknown> } : {}),
      createdAt: isoDate(row.created_at),
      ...(withMethods
        ? {
            methods: incomingIsOpen(row)
              ? [
                  {
                    type: 'ilp',
                    ilpAddress: `test.wmsandbox.${row.wallet_name}.${row.id}`,
                    sharedSecret: row.shared_secret,
                  },
                ]
              : [],
          }
        : {}),
    }
  }

  function quoteJson(row: QuoteRow) {
    const sender = repository.wallet(row.wallet_name) as WalletRow
    const incoming = repository.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverWallet = repository.wallet(incoming.wallet_name) as WalletRow
    return {
      id: `${ctx.base()}/quotes/${row.id}`,
      walletAddress: ctx.walletUrl(row.wallet_name),
      receiver: row.receiver,
      receiveAmount: amountJson(row.receive_amount, assetOf(receiverWallet)),
      debitAmount: amountJson(row.debit_amount, assetOf(sender)),
      method: 'ilp' as const,
      createdAt: isoDate(row.created_at),
      expiresAt: isoDate(row.expires_at),
    }
  }

  function outgoingJson(row: OutgoingPaymentRow) {
    const sender = repository.wallet(row.wallet_name) as WalletRow
    const incoming = repository.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverWallet = repository.wallet(incoming.wallet_name) as WalletRow
    return {
      id: `${ctx.base()}/outgoing-payments/${row.id}`,
      walletAddress: ctx.walletUrl(row.wallet_name),
      ...(row.quote_id ? { quoteId: `${ctx.base()}/quotes/${row.quote_id}` } : {}),
      failed: row.state === 'failed',
      receiver: row.receiver,
      receiveAmount: amountJson(row.receive_amount, assetOf(receiverWallet)),
      debitAmount: amountJson(row.debit_amount, assetOf(sender)),
      sentAmount: amountJson(row.sent_amount, assetOf(sender)),
      ...(row.metadata ? { metadata: JSON.parse(row.metadata) as Record<string, unknown> } : {}),
      createdAt: isoDate(row.created_at),
    }
  }

  function grantSpent(grantId: string): { debit: bigint; receive: bigint } {
    let debit = 0n
    let receive = 0n
    for (const payment of repository.outgoingOfGrant(grantId)) {
      debit += BigInt(payment.debit_amount)
      receive += BigInt(payment.receive_amount)
    }
    return { debit, receive }
  }

  function openReceiver(receiver: unknown, field: string): IncomingPaymentRow {
    const id = ctx.resourceIdOf(receiver, 'incoming-payments')
    const incoming = id ? repository.incoming(id) : undefined
    if (!incoming) {
      throw new SandboxError(
        SandboxErrorCode.InvalidReceiver,
        `${field} is not an incoming payment of this wallet provider (the sandbox pays only its own wallets)`,
      )
    }
    if (incoming.completed) {
      throw new SandboxError(SandboxErrorCode.InvalidReceiver, `${field} is already completed`)
    }
    if (ctx.now() >= incoming.expires_at) {
      throw new SandboxError(SandboxErrorCode.InvalidReceiver, `${field} has expired`)
    }
    return incoming
  }

  return {
    localWallet,
    authorize,
    incomingIsOpen,
    incomingJson,
    quoteJson,
    outgoingJson,
    grantSpent,
    openReceiver,
  }
}

export type ResourceAccess = ReturnType<typeof createResourceAccess>
