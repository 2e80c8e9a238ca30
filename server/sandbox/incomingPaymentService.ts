/** Incoming payments of the sandbox's wallets: create, read (public and full), complete, list. */
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomToken } from '../security/tokens.js'
import { amountJson, assetOf, parseAmount, sameAsset, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import {
  invalid,
  notFound,
  paginate,
  parseMetadata,
  type ResourceAccess,
} from './resourceAccess.js'
import type { IncomingPaymentRow, WalletRow } from './sandboxRepository.js'

export function createIncomingPaymentService(ctx: SandboxContext, access: ResourceAccess) {
  const { repository } = ctx
  const { localWallet, authorize, incomingJson } = access

  /** Rafiki deletes an incoming payment that expired unpaid; reads then fail as below. */
  function vanished(row: IncomingPaymentRow): boolean {
    return !row.completed && BigInt(row.received_amount) === 0n && ctx.now() >= row.expires_at
  }
  const vanishedError = () =>
    new SandboxError(
      SandboxErrorCode.Unauthorized,
      'Failed to get wallet address from incoming payment',
    )

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
    repository.insertIncoming(row)
    return reply.code(201).send(incomingJson(row, true))
  }

  async function getIncoming(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ) {
    const row = repository.incoming(request.params.id)
    if (!row) throw notFound('Incoming payment')
    if (vanished(row)) throw vanishedError()
    if (request.headers.authorization === undefined) {
      // Public view: enough for a payer (or a Web Monetization check) to see what arrived.
      const wallet = repository.wallet(row.wallet_name) as WalletRow
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
    const row = repository.incoming(request.params.id)
    if (!row) throw notFound('Incoming payment')
    if (vanished(row)) throw vanishedError()
    await authorize(request, reply, 'incoming-payment', ['complete'], row.wallet_name)
    if (!row.completed && ctx.now() >= row.expires_at) {
      throw invalid('The incoming payment expired and cannot be completed')
    }
    repository.completeIncoming(row.id)
    return reply.send(incomingJson(repository.incoming(row.id) as IncomingPaymentRow, false))
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
    const rows = repository
      .incomingOfWallet(wallet.name)
      .filter((row) => all || row.client === grant.client)
    const { page, pagination } = paginate(rows, query)
    return reply.send({ pagination, result: page.map((row) => incomingJson(row, false)) })
  }

  return { createIncoming, getIncoming, completeIncoming, listIncoming }
}
