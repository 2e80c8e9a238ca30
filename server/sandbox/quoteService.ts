/**
 * Quotes with play money: what the receiver gets and what the sender pays, fee included, at the
 * sandbox's fixed rates (exchange.ts).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { assetOf, parseAmount, sameAsset, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import { NoRateError, quoteForDebit, quoteForReceive, type Asset } from './exchange.js'
import { invalid, notFound, type ResourceAccess } from './resourceAccess.js'
import type { IncomingPaymentRow, QuoteRow, WalletRow } from './sandboxRepository.js'

export function createQuoteService(ctx: SandboxContext, access: ResourceAccess) {
  const { repository } = ctx
  const { localWallet, authorize, quoteJson, openReceiver } = access

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
    const receiverWallet = repository.wallet(incoming.wallet_name) as WalletRow
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
    repository.insertQuote(row)
    return reply.code(201).send(quoteJson(row))
  }

  async function getQuote(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = repository.quote(request.params.id)
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

  return { price, createQuote, getQuote }
}

export type QuoteService = ReturnType<typeof createQuoteService>
