/**
 * The sandbox's Open Payments resource server (resource-server.yaml in @interledger/open-payments
 * 7.4.0): incoming payments, quotes and outgoing payments with play money, plus settlement after a
 * delay (DESIGN §5 steps 2, 3, 7 and 8).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { grantAccess, grantClientKeys, type AccessItem, type AccessType } from './access.js'
import {
  amountJson,
  assetOf,
  isoDate,
  parseAmount,
  sameAsset,
  type SandboxContext,
} from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import { randomToken } from '../security/tokens.js'
import { NoRateError, quoteForDebit, quoteForReceive, type Asset } from './exchange.js'
import { verifySignature } from './signatures.js'
import type {
  GrantRow,
  IncomingPaymentRow,
  OutgoingPaymentRow,
  QuoteRow,
  WalletRow,
} from './store.js'

interface Authorized {
  grant: GrantRow
  access: AccessItem
  /** true when the token may read resources other clients created (`read-all`). */
  readAll: boolean
}

function invalid(message: string): SandboxError {
  return new SandboxError(SandboxErrorCode.InvalidRequest, message)
}

function notFound(what: string): SandboxError {
  return new SandboxError(SandboxErrorCode.NotFound, `${what} not found`)
}

function parseMetadata(raw: unknown, field: string): string | null {
  if (raw === undefined || raw === null) return null
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${field} must be an object`)
  const text = JSON.stringify(raw)
  if (text.length > 8192) throw invalid(`${field} is larger than 8 KB`)
  return text
}

export function createResourceServer(ctx: SandboxContext) {
  const { store } = ctx

  function localWallet(url: unknown, field: string): WalletRow {
    const name = ctx.walletNameOf(url)
    const wallet = name ? store.wallet(name) : undefined
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
    const token = store.tokenByValue(value)
    if (!token || token.revoked) {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'Unknown or revoked access token')
    }
    if (ctx.now() >= token.expires_at) {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'The access token expired')
    }
    const grant = store.grant(token.grant_id)
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

  // ---- representations ----

  function incomingUrl(id: string): string {
    return `${ctx.base()}/incoming-payments/${id}`
  }

  function incomingIsOpen(row: IncomingPaymentRow): boolean {
    return !row.completed && ctx.now() < row.expires_at
  }

  function incomingJson(row: IncomingPaymentRow, withMethods: boolean) {
    const wallet = store.wallet(row.wallet_name) as WalletRow
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
    const sender = store.wallet(row.wallet_name) as WalletRow
    const incoming = store.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverWallet = store.wallet(incoming.wallet_name) as WalletRow
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
    const sender = store.wallet(row.wallet_name) as WalletRow
    const incoming = store.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverWallet = store.wallet(incoming.wallet_name) as WalletRow
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
    for (const payment of store.outgoingOfGrant(grantId)) {
      debit += BigInt(payment.debit_amount)
      receive += BigInt(payment.receive_amount)
    }
    return { debit, receive }
  }

  // ---- incoming payments ----

  async function createIncoming(request: FastifyRequest, reply: FastifyReply) {
    const body = (request.body ?? {}) as Record<string, unknown>
    const wallet = localWallet(body.walletAddress, 'walletAddress')
    const { grant } = await authorize(request, reply, 'incoming-payment', ['create'], wallet.name)
    const asset = assetOf(wallet)
    let incomingAmount: string | null = null
    if (body.incomingAmount !== undefined) {
      const amount = parseAmount(body.incomingAmount, 'incomingAmount')
      if (!sameAsset(amount, asset)) {
        throw new SandboxError(
          SandboxErrorCode.InvalidAmount,
          `incomingAmount must be in the wallet's asset (${asset.assetCode}, scale ${asset.assetScale})`,
        )
      }
      if (amount.value <= 0n) {
        throw new SandboxError(SandboxErrorCode.InvalidAmount, 'incomingAmount must be positive')
      }
      incomingAmount = amount.value.toString()
    }
    const now = ctx.now()
    let expiresAt = now + ctx.settings.incomingPaymentTtlMs
    if (body.expiresAt !== undefined) {
      const parsed = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN
      if (!Number.isFinite(parsed)) throw invalid('expiresAt must be an ISO 8601 date-time')
      if (parsed <= now) throw invalid('expiresAt must be in the future')
      expiresAt = parsed
    }
    const row: IncomingPaymentRow = {
      id: randomUUID(),
      wallet_name: wallet.name,
      client: grant.client,
      incoming_amount: incomingAmount,
      received_amount: '0',
      completed: 0,
      expires_at: expiresAt,
      metadata: parseMetadata(body.metadata, 'metadata'),
      shared_secret: randomToken(32),
      created_at: now,
    }
    store.insertIncoming(row)
    return reply.code(201).send(incomingJson(row, true))
  }

  async function getIncoming(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = store.incoming(request.params.id)
    if (!row) throw notFound('Incoming payment')
    if (request.headers.authorization === undefined) {
      // Public view: enough for a payer (or a Web Monetization check) to see what arrived.
      const wallet = store.wallet(row.wallet_name) as WalletRow
      return reply.send({
        receivedAmount: amountJson(row.received_amount, assetOf(wallet)),
        authServer: ctx.authServer(),
      })
    }
    const { grant, readAll } = await authorize(
      request,
      reply,
      'incoming-payment',
      ['read', 'read-all'],
      row.wallet_name,
    )
    if (!readAll && row.client !== grant.client) throw notFound('Incoming payment')
    return reply.send(incomingJson(row, true))
  }

  async function completeIncoming(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = store.incoming(request.params.id)
    if (!row) throw notFound('Incoming payment')
    await authorize(request, reply, 'incoming-payment', ['complete'], row.wallet_name)
    if (!row.completed && ctx.now() >= row.expires_at) {
      throw invalid('The incoming payment expired and cannot be completed')
    }
    store.completeIncoming(row.id)
    return reply.send(incomingJson(store.incoming(row.id) as IncomingPaymentRow, false))
  }

  /** Cursor pagination as the spec describes it: `first` after `cursor`, or `last` before it. */
  function paginate<T extends { id: string }>(rows: T[], query: Record<string, unknown>) {
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

  async function listIncoming(request: FastifyRequest, reply: FastifyReply) {
    const query = (request.query ?? {}) as Record<string, unknown>
    const wallet = localWallet(query['wallet-address'], 'wallet-address')
    const { grant, access } = await authorize(
      request,
      reply,
      'incoming-payment',
      ['list', 'list-all'],
      wallet.name,
    )
    const all = access.actions.includes('list-all')
    const rows = store
      .incomingOfWallet(wallet.name)
      .filter((row) => all || row.client === grant.client)
    const { page, pagination } = paginate(rows, query)
    return reply.send({ pagination, result: page.map((row) => incomingJson(row, false)) })
  }

  // ---- quotes ----

  function openReceiver(receiver: unknown, field: string): IncomingPaymentRow {
    const id = ctx.resourceIdOf(receiver, 'incoming-payments')
    const incoming = id ? store.incoming(id) : undefined
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

  interface Priced {
    debit: bigint
    receive: bigint
    fee: bigint
  }

  function price(
    sender: Asset,
    incoming: IncomingPaymentRow,
    fixed: { debitAmount?: unknown; receiveAmount?: unknown },
  ): Priced {
    const receiverWallet = store.wallet(incoming.wallet_name) as WalletRow
    const receiverAsset = assetOf(receiverWallet)
    const remaining =
      incoming.incoming_amount === null
        ? null
        : BigInt(incoming.incoming_amount) - BigInt(incoming.received_amount)
    try {
      if (fixed.debitAmount !== undefined && fixed.receiveAmount !== undefined) {
        throw invalid('Set debitAmount or receiveAmount, not both')
      }
      if (fixed.debitAmount !== undefined) {
        const debit = parseAmount(fixed.debitAmount, 'debitAmount')
        if (!sameAsset(debit, sender)) {
          throw new SandboxError(
            SandboxErrorCode.InvalidAmount,
            `debitAmount must be in the sending wallet's asset (${sender.assetCode}, scale ${sender.assetScale})`,
          )
        }
        const { receive, fee } = quoteForDebit(debit.value, sender, receiverAsset)
        if (receive <= 0n) {
          throw new SandboxError(
            SandboxErrorCode.InvalidAmount,
            'debitAmount is too small to pay its fee',
          )
        }
        if (remaining !== null && receive > remaining) {
          throw new SandboxError(
            SandboxErrorCode.InvalidAmount,
            'debitAmount delivers more than the incoming payment still expects',
          )
        }
        return { debit: debit.value, receive, fee }
      }
      let receive: bigint
      if (fixed.receiveAmount !== undefined) {
        const amount = parseAmount(fixed.receiveAmount, 'receiveAmount')
        if (!sameAsset(amount, receiverAsset)) {
          throw new SandboxError(
            SandboxErrorCode.InvalidAmount,
            `receiveAmount must be in the receiver's asset (${receiverAsset.assetCode}, scale ${receiverAsset.assetScale})`,
          )
        }
        receive = amount.value
        if (remaining !== null && receive > remaining) {
          throw new SandboxError(
            SandboxErrorCode.InvalidAmount,
            'receiveAmount exceeds what the incoming payment still expects',
          )
        }
      } else {
        if (remaining === null) {
          throw invalid('The receiver has no incomingAmount: set debitAmount or receiveAmount')
        }
        receive = remaining
      }
      if (receive <= 0n)
        throw new SandboxError(SandboxErrorCode.InvalidAmount, 'Nothing left to pay')
      const { debit, fee } = quoteForReceive(receive, receiverAsset, sender)
      return { debit, receive, fee }
    } catch (error) {
      if (error instanceof NoRateError) {
        throw new SandboxError(SandboxErrorCode.InvalidAmount, error.message)
      }
      throw error
    }
  }

  async function createQuote(request: FastifyRequest, reply: FastifyReply) {
    const body = (request.body ?? {}) as Record<string, unknown>
    const sender = localWallet(body.walletAddress, 'walletAddress')
    const { grant } = await authorize(request, reply, 'quote', ['create'], sender.name)
    if (body.method !== 'ilp') throw invalid('method must be "ilp"')
    if (typeof body.receiver !== 'string') throw invalid('receiver must be an incoming payment URL')
    const incoming = openReceiver(body.receiver, 'receiver')
    const priced = price(assetOf(sender), incoming, body)
    const now = ctx.now()
    const row: QuoteRow = {
      id: randomUUID(),
      wallet_name: sender.name,
      client: grant.client,
      receiver: body.receiver,
      incoming_payment_id: incoming.id,
      debit_amount: priced.debit.toString(),
      receive_amount: priced.receive.toString(),
      fee: priced.fee.toString(),
      used: 0,
      expires_at: Math.min(now + ctx.settings.quoteTtlMs, incoming.expires_at),
      created_at: now,
    }
    store.insertQuote(row)
    return reply.code(201).send(quoteJson(row))
  }

  async function getQuote(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = store.quote(request.params.id)
    if (!row) throw notFound('Quote')
    const { grant, readAll } = await authorize(
      request,
      reply,
      'quote',
      ['read', 'read-all'],
      row.wallet_name,
    )
    if (!readAll && row.client !== grant.client) throw notFound('Quote')
    return reply.send(quoteJson(row))
  }

  // ---- outgoing payments ----

  async function createOutgoing(request: FastifyRequest, reply: FastifyReply) {
    const body = (request.body ?? {}) as Record<string, unknown>
    const sender = localWallet(body.walletAddress, 'walletAddress')
    const { grant, access } = await authorize(
      request,
      reply,
      'outgoing-payment',
      ['create'],
      sender.name,
    )
    const metadata = parseMetadata(body.metadata, 'metadata')
    const hasQuote = body.quoteId !== undefined
    if (hasQuote === (body.incomingPayment !== undefined)) {
      throw invalid('Send either quoteId, or incomingPayment with debitAmount')
    }
    const now = ctx.now()
    const id = randomUUID()
    const settleAt = now + ctx.settings.settlementDelayMs

    // Everything from here to the insert is synchronous: one transaction moves the money.
    const row = store.transaction((): OutgoingPaymentRow => {
      let quote: QuoteRow
      if (hasQuote) {
        const quoteId = ctx.resourceIdOf(body.quoteId, 'quotes')
        const found = quoteId ? store.quote(quoteId) : undefined
        if (!found || found.wallet_name !== sender.name) {
          throw new SandboxError(
            SandboxErrorCode.InvalidQuote,
            'Unknown quote for this wallet address',
          )
        }
        if (found.used) {
          throw new SandboxError(SandboxErrorCode.InvalidQuote, 'The quote was already used')
        }
        if (now >= found.expires_at) {
          throw new SandboxError(SandboxErrorCode.InvalidQuote, 'The quote expired')
        }
        quote = found
      } else {
        if (typeof body.incomingPayment !== 'string') {
          throw invalid('incomingPayment must be an incoming payment URL')
        }
        const incoming = openReceiver(body.incomingPayment, 'incomingPayment')
        if (body.debitAmount === undefined)
          throw invalid('debitAmount is required with incomingPayment')
        const priced = price(assetOf(sender), incoming, { debitAmount: body.debitAmount })
        quote = {
          id: randomUUID(),
          wallet_name: sender.name,
          client: grant.client,
          receiver: body.incomingPayment,
          incoming_payment_id: incoming.id,
          debit_amount: priced.debit.toString(),
          receive_amount: priced.receive.toString(),
          fee: priced.fee.toString(),
          used: 0,
          expires_at: now + ctx.settings.quoteTtlMs,
          created_at: now,
        }
        store.insertQuote(quote)
      }
      const incoming = store.incoming(quote.incoming_payment_id) as IncomingPaymentRow
      if (!incomingIsOpen(incoming)) {
        throw new SandboxError(
          SandboxErrorCode.InvalidReceiver,
          'The receiver no longer accepts payments (completed or expired)',
        )
      }
      const debit = BigInt(quote.debit_amount)
      const receive = BigInt(quote.receive_amount)
      const limits = access.limits
      if (limits?.receiver && limits.receiver !== quote.receiver) {
        throw new SandboxError(
          SandboxErrorCode.InsufficientGrant,
          'The grant only allows paying its limits.receiver',
        )
      }
      const spent = grantSpent(grant.id)
      if (limits?.debitAmount) {
        if (!sameAsset(limits.debitAmount, assetOf(sender))) {
          throw new SandboxError(
            SandboxErrorCode.InsufficientGrant,
            'The grant limit is in another asset',
          )
        }
        if (spent.debit + debit > BigInt(limits.debitAmount.value)) {
          throw new SandboxError(
            SandboxErrorCode.InsufficientGrant,
            `The payment exceeds the grant's debitAmount limit (${limits.debitAmount.value})`,
          )
        }
      }
      if (limits?.receiveAmount && spent.receive + receive > BigInt(limits.receiveAmount.value)) {
        throw new SandboxError(
          SandboxErrorCode.InsufficientGrant,
          `The payment exceeds the grant's receiveAmount limit (${limits.receiveAmount.value})`,
        )
      }
      const current = store.wallet(sender.name) as WalletRow
      const balance = BigInt(current.balance)
      if (balance < debit) {
        throw new SandboxError(
          SandboxErrorCode.InsufficientBalance,
          'The sending wallet does not hold enough play money',
        )
      }
      if (!store.useQuote(quote.id)) {
        throw new SandboxError(SandboxErrorCode.InvalidQuote, 'The quote was already used')
      }
      store.setBalance(sender.name, balance - debit)
      const payment: OutgoingPaymentRow = {
        id,
        wallet_name: sender.name,
        client: grant.client,
        grant_id: grant.id,
        quote_id: hasQuote ? quote.id : null,
        receiver: quote.receiver,
        incoming_payment_id: quote.incoming_payment_id,
        debit_amount: quote.debit_amount,
        receive_amount: quote.receive_amount,
        fee: quote.fee,
        sent_amount: '0',
        state: 'sending',
        metadata,
        settle_at: settleAt,
        created_at: now,
      }
      store.insertOutgoing(payment)
      return payment
    })
    ctx.scheduleSettlement(row.id, ctx.settings.settlementDelayMs)
    const spent = grantSpent(grant.id)
    const senderAsset = assetOf(sender)
    const incoming = store.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverAsset = assetOf(store.wallet(incoming.wallet_name) as WalletRow)
    return reply.code(201).send({
      ...outgoingJson(row),
      grantSpentDebitAmount: amountJson(spent.debit, senderAsset),
      grantSpentReceiveAmount: amountJson(spent.receive, receiverAsset),
    })
  }

  async function getOutgoing(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = store.outgoing(request.params.id)
    if (!row) throw notFound('Outgoing payment')
    const { grant, readAll } = await authorize(
      request,
      reply,
      'outgoing-payment',
      ['read', 'read-all'],
      row.wallet_name,
    )
    if (!readAll && row.client !== grant.client) throw notFound('Outgoing payment')
    return reply.send(outgoingJson(row))
  }

  async function listOutgoing(request: FastifyRequest, reply: FastifyReply) {
    const query = (request.query ?? {}) as Record<string, unknown>
    const wallet = localWallet(query['wallet-address'], 'wallet-address')
    const { grant, access } = await authorize(
      request,
      reply,
      'outgoing-payment',
      ['list', 'list-all'],
      wallet.name,
    )
    const all = access.actions.includes('list-all')
    const rows = store
      .outgoingOfWallet(wallet.name)
      .filter((row) => all || row.client === grant.client)
    const { page, pagination } = paginate(rows, query)
    return reply.send({ pagination, result: page.map(outgoingJson) })
  }

  async function grantSpentAmounts(request: FastifyRequest, reply: FastifyReply) {
    // The token decides the wallet: find it first, then authorize against its identifier.
    const header = request.headers.authorization
    const value =
      typeof header === 'string' && header.startsWith('GNAP ') ? header.slice(5).trim() : ''
    const token = value ? store.tokenByValue(value) : undefined
    const grant = token ? store.grant(token.grant_id) : undefined
    const outgoing = grant
      ? grantAccess(grant).find((a) => a.type === 'outgoing-payment')
      : undefined
    const walletName = outgoing ? ctx.walletNameOf(outgoing.identifier) : null
    if (!walletName) {
      throw new SandboxError(SandboxErrorCode.InvalidToken, 'Not an outgoing-payment access token')
    }
    const authorized = await authorize(
      request,
      reply,
      'outgoing-payment',
      ['create', 'read', 'read-all', 'list', 'list-all'],
      walletName,
    )
    const payments = store.outgoingOfGrant(authorized.grant.id)
    if (payments.length === 0) {
      return reply.send({ spentReceiveAmount: null, spentDebitAmount: null })
    }
    const spent = grantSpent(authorized.grant.id)
    const sender = assetOf(store.wallet(walletName) as WalletRow)
    const first = store.incoming((payments[0] as OutgoingPaymentRow).incoming_payment_id)
    const receiverAsset = assetOf(store.wallet(first?.wallet_name ?? walletName) as WalletRow)
    return reply.send({
      spentReceiveAmount: amountJson(spent.receive, receiverAsset),
      spentDebitAmount: amountJson(spent.debit, sender),
    })
  }

  /**
   * Settlement: the receiver's incoming payment receives the amount and completes when it reaches
   * incomingAmount; if the receiver no longer accepts it, the payment fails and the sender is refunded.
   */
  function settle(outgoingPaymentId: string): void {
    store.transaction(() => {
      const payment = store.outgoing(outgoingPaymentId)
      if (!payment || payment.state !== 'sending') return
      const incoming = store.incoming(payment.incoming_payment_id) as IncomingPaymentRow
      const receive = BigInt(payment.receive_amount)
      const received = BigInt(incoming.received_amount) + receive
      const over = incoming.incoming_amount !== null && received > BigInt(incoming.incoming_amount)
      if (!incomingIsOpen(incoming) || over) {
        const sender = store.wallet(payment.wallet_name) as WalletRow
        store.setBalance(sender.name, BigInt(sender.balance) + BigInt(payment.debit_amount))
        store.finishOutgoing(payment.id, 'failed', 0n)
        return
      }
      const receiver = store.wallet(incoming.wallet_name) as WalletRow
      store.setBalance(receiver.name, BigInt(receiver.balance) + receive)
      const completed =
        incoming.incoming_amount !== null && received >= BigInt(incoming.incoming_amount)
      store.creditIncoming(incoming.id, received, completed)
      store.finishOutgoing(
        payment.id,
        'completed',
        BigInt(payment.debit_amount) - BigInt(payment.fee),
      )
    })
  }

  function routes(app: FastifyInstance): void {
    app.post('/incoming-payments', createIncoming)
    app.get('/incoming-payments', listIncoming)
    app.get('/incoming-payments/:id', getIncoming)
    app.post('/incoming-payments/:id/complete', completeIncoming)
    app.post('/quotes', createQuote)
    app.get('/quotes/:id', getQuote)
    app.post('/outgoing-payments', createOutgoing)
    app.get('/outgoing-payments', listOutgoing)
    app.get('/outgoing-payments/:id', getOutgoing)
    app.get('/outgoing-payment-grant', grantSpentAmounts)
  }

  return { routes, settle }
}
