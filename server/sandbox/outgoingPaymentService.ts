/**
 * Outgoing payments with play money: the sender is debited at once, and after `settlementDelayMs` the
 * receiver's incoming payment receives the amount (or the payment fails and is refunded).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { grantAccess } from './access.js'
import { amountJson, assetOf, sameAsset, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import {
  invalid,
  notFound,
  paginate,
  parseMetadata,
  type ResourceAccess,
} from './resourceAccess.js'
import type { QuoteService } from './quoteService.js'
import {
  FUNDING_REFUSED_REASON,
  fundingRefused,
  type IncomingPaymentRow,
  type OutgoingPaymentRow,
  type QuoteRow,
  type WalletRow,
} from './sandboxRepository.js'

export function createOutgoingPaymentService(
  ctx: SandboxContext,
  access: ResourceAccess,
  quotes: Pick<QuoteService, 'price'>,
) {
  const { repository } = ctx
  const { localWallet, authorize, incomingIsOpen, outgoingJson, grantSpent, openReceiver } = access
  const { price } = quotes

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
    const row = repository.transaction((): OutgoingPaymentRow => {
      let quote: QuoteRow
      if (hasQuote) {
        const quoteId = ctx.resourceIdOf(body.quoteId, 'quotes')
        const found = quoteId ? repository.quote(quoteId) : undefined
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
        repository.insertQuote(quote)
      }
      const incoming = repository.incoming(quote.incoming_payment_id) as IncomingPaymentRow
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
      const current = repository.wallet(sender.name) as WalletRow
      const balance = BigInt(current.balance)
      // Like Rafiki: the payment is accepted while FUNDING; the account servicer cancels it later.
      const unfunded = fundingRefused(sender.name)
      if (!unfunded && balance < debit) {
        throw new SandboxError(
          SandboxErrorCode.InsufficientBalance,
          'The sending wallet does not hold enough play money',
        )
      }
      if (!repository.useQuote(quote.id)) {
        throw new SandboxError(SandboxErrorCode.InvalidQuote, 'The quote was already used')
      }
      if (!unfunded) repository.setBalance(sender.name, balance - debit)
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
      repository.insertOutgoing(payment)
      return payment
    })
    ctx.scheduleSettlement(row.id, ctx.settings.settlementDelayMs)
    const spent = grantSpent(grant.id)
    const senderAsset = assetOf(sender)
    const incoming = repository.incoming(row.incoming_payment_id) as IncomingPaymentRow
    const receiverAsset = assetOf(repository.wallet(incoming.wallet_name) as WalletRow)
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
    const row = repository.outgoing(request.params.id)
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
    const rows = repository
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
    const token = value ? repository.tokenByValue(value) : undefined
    const grant = token ? repository.grant(token.grant_id) : undefined
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
    const payments = repository.outgoingOfGrant(authorized.grant.id)
    if (payments.length === 0) {
      return reply.send({ spentReceiveAmount: null, spentDebitAmount: null })
    }
    const spent = grantSpent(authorized.grant.id)
    const sender = assetOf(repository.wallet(walletName) as WalletRow)
    const first = repository.incoming((payments[0] as OutgoingPaymentRow).incoming_payment_id)
    const receiverAsset = assetOf(repository.wallet(first?.wallet_name ?? walletName) as WalletRow)
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
    repository.transaction(() => {
      const payment = repository.outgoing(outgoingPaymentId)
      if (!payment || payment.state !== 'sending') return
      if (fundingRefused(payment.wallet_name)) {
        // Nothing was debited; the wallet reports why in the payment's metadata, as Rafiki does.
        const metadata = {
          ...(payment.metadata ? (JSON.parse(payment.metadata) as Record<string, unknown>) : {}),
          cancellationReason: FUNDING_REFUSED_REASON,
        }
        repository.setOutgoingMetadata(payment.id, JSON.stringify(metadata))
        repository.finishOutgoing(payment.id, 'failed', 0n)
        return
      }
      const incoming = repository.incoming(payment.incoming_payment_id) as IncomingPaymentRow
      const receive = BigInt(payment.receive_amount)
      const received = BigInt(incoming.received_amount) + receive
      const over = incoming.incoming_amount !== null && received > BigInt(incoming.incoming_amount)
      if (!incomingIsOpen(incoming) || over) {
        const sender = repository.wallet(payment.wallet_name) as WalletRow
        repository.setBalance(sender.name, BigInt(sender.balance) + BigInt(payment.debit_amount))
        repository.finishOutgoing(payment.id, 'failed', 0n)
        return
      }
      const receiver = repository.wallet(incoming.wallet_name) as WalletRow
      repository.setBalance(receiver.name, BigInt(receiver.balance) + receive)
      const completed =
        incoming.incoming_amount !== null && received >= BigInt(incoming.incoming_amount)
      repository.creditIncoming(incoming.id, received, completed)
      repository.finishOutgoing(
        payment.id,
        'completed',
        BigInt(payment.debit_amount) - BigInt(payment.fee),
      )
    })
  }

  return { createOutgoing, getOutgoing, listOutgoing, grantSpentAmounts, settle }
}
