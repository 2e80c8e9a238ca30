import {
  isFinalizedGrantWithAccessToken,
  isPendingGrant,
  type AuthenticatedClient,
  type IncomingPayment,
  type WalletAddress,
} from '@interledger/open-payments'
import { makeAmount } from '../contracts/money.js'
import type { TipFlowState, TipFlowView } from '../contracts/tips.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { EventBus } from '../events/bus.js'
import { randomToken } from '../security/tokens.js'
import type { Db } from '../storage/db.js'
import type { SupportLedger } from '../support/ledgerService.js'
import {
  describeOpError,
  errorCode,
  errorStatus,
  isUnreachable,
  type OpenPaymentsGateway,
} from '../wallet/openPayments.js'
import { INCOMING_PAYMENT_ACCESS, type WalletService } from '../wallet/walletService.js'
import { TipError, TipErrorCode } from './errors.js'
import { verifyFinishHash } from './finishHash.js'
import {
  createTipFlowRepository,
  type TipFlowData,
  type TipFlowRecord,
  type TipFlowRepository,
} from './flowRepository.js'
import type { ValidTip } from './validation.js'

const QUOTE_ACCESS = [{ type: 'quote' as const, actions: ['create' as const, 'read' as const] }]
/** `?result=` values meaning the viewer (or their wallet) said no. */
const REJECTION_RESULTS = new Set(['grant_rejected', 'request_denied'])

export interface TipFlowOptions {
  /** How long the viewer has to approve (Rafiki's interactions last 10 minutes by default). */
  consentTtlMs: number
  /** Lifetime of the incoming payment: consent time plus room for payment and confirmation. */
  incomingPaymentTtlMs: number
  /** How long one confirmation attempt polls the incoming payment before the sweep takes over. */
  confirmWindowMs: number
  pollMinMs: number
  /** Longest gap between polls in the first 10 s of a confirmation. */
  pollFastMaxMs: number
  pollMaxMs: number
  /** Period of the sweep that expires flows and retries stuck ones. */
  sweepIntervalMs: number
  /** A flow stuck in `created` longer than this (a crash mid-request) is failed by the sweep. */
  createdTimeoutMs: number
}

export const DEFAULT_TIP_FLOW_OPTIONS: TipFlowOptions = {
  consentTtlMs: 10 * 60_000,
  incomingPaymentTtlMs: 30 * 60_000,
  confirmWindowMs: 60_000,
  pollMinMs: 25,
  pollFastMaxMs: 150,
  pollMaxMs: 1_000,
  sweepIntervalMs: 5_000,
  createdTimeoutMs: 2 * 60_000,
}

export interface TipFlowLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Where a crash test can stop a flow: after consent, after the payment request is answered (before
 * the app has stored its result), after the outgoing payment is stored. */
export type FaultStep = 'authorized' | 'payment-sent' | 'outgoing-payment'

export interface TipFlowServiceDeps {
  db: Db
  wallets: WalletService
  ledger: SupportLedger
  bus: EventBus
  tiers(streamId: string | null): TipTierSet
  liveStreamId(at: number): string | null
  callbackUrl(flowId: string): string
  log: TipFlowLogger
  now?: () => number
  options?: Partial<TipFlowOptions>
  /** Fault injection for crash tests: called right after a step's result is persisted. */
  faults?: { afterStep?(flowId: string, step: FaultStep): void }
}

export interface StartTipInput extends ValidTip {
  viewerSessionId: string | null
}

export interface CallbackQuery {
  hash?: string
  interact_ref?: string
  result?: string
}

export interface TipFlowService {
  startTip(input: StartTipInput): Promise<{ flowId: string; consentUrl: string; flow: TipFlowView }>
  /** The finish redirect: verifies it, then continues the flow in the background. */
  handleCallback(flowId: string, query: CallbackQuery): TipFlowView
  view(flowId: string): TipFlowView | undefined
  record(flowId: string): TipFlowRecord | undefined
  /** The newest flows, for the dashboard. */
  recent(limit: number): TipFlowView[]
  /** Resumes flows left in progress by a restart (issue 3 item 3); also run by the sweep. */
  recover(): Promise<void>
  /** Expires flows whose consent window passed and retries stuck ones. */
  sweep(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
  /** Resolves when the background work on this flow is idle (tests, bench). */
  settled(flowId: string): Promise<TipFlowView | undefined>
}

class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message)
  }
}

class FlowFailure extends Error {
  constructor(
    readonly state: 'failed' | 'rejected' | 'expired',
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The wallet refused a payment because one for this tip is already arriving. */
class PaymentUnderWay extends Error {}

/** Thrown by a fault hook: the flow stops where it is, as if the process had died. */
class SimulatedCrash extends Error {}

export function toFlowView(flow: TipFlowRecord): TipFlowView {
  const quote = flow.data.quote
  return {
    flowId: flow.id,
    state: flow.state,
    amount: makeAmount(flow.amountValue, flow.assetCode, flow.assetScale),
    debitAmount: quote ? { ...quote.debitAmount } : null,
    tierId: flow.tierId,
    name: flow.viewerName,
    message: flow.message,
    consentUrl: flow.state === 'awaiting_consent' ? (flow.data.consentUrl ?? null) : null,
    error: flow.errorCode
      ? { code: flow.errorCode, message: flow.errorMessage ?? flow.errorCode }
      : null,
    createdAt: new Date(flow.createdAt).toISOString(),
    updatedAt: new Date(flow.updatedAt).toISOString(),
    expiresAt: flow.expiresAt === null ? null : new Date(flow.expiresAt).toISOString(),
  }
}

function amountReached(payment: IncomingPayment, target: bigint): boolean {
  return payment.completed || BigInt(payment.receivedAmount.value) >= target
}

/**
 * The tip flow of DESIGN §5, steps 1-8, as a persisted state machine:
 * created → awaiting_consent → authorized → paying → completed | rejected | expired | failed.
 * Every transition is a compare-and-set in SQLite, so a replayed callback, a racing sweep or a restart
 * never advances a flow twice; the support event is keyed by the incoming payment URL, so it is counted
 * once whatever happens.
 */
export function createTipFlowService(deps: TipFlowServiceDeps): TipFlowService {
  const now = deps.now ?? Date.now
  const options: TipFlowOptions = { ...DEFAULT_TIP_FLOW_OPTIONS, ...deps.options }
  const repo: TipFlowRepository = createTipFlowRepository(deps.db)
  const running = new Map<string, Promise<void>>()
  let sweepTimer: NodeJS.Timeout | undefined
  let stopped = false
  const sleepers = new Set<() => void>()

  /** A wait that stop() cuts short, so shutting down never waits out a continue.wait or a poll. */
  function sleep(ms: number): Promise<void> {
    if (ms <= 0 || stopped) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        sleepers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      sleepers.add(wake)
    })
  }

  function fault(flowId: string, step: FaultStep): void {
    try {
      deps.faults?.afterStep?.(flowId, step)
    } catch {
      throw new SimulatedCrash(step)
    }
  }

  const streamExists = deps.db.prepare('SELECT 1 FROM streams WHERE id = ?')
  /** The live stream, when the streams table knows it (tips reference it). */
  function knownStream(id: string | null): string | null {
    return id !== null && streamExists.get(id) ? id : null
  }

  function mustGet(flowId: string): TipFlowRecord {
    const flow = repo.get(flowId)
    if (!flow)
      throw new TipError(TipErrorCode.FlowNotFound, 'There is no tip with this id.', 'flowId')
    return flow
  }

  function finish(
    flow: TipFlowRecord,
    from: readonly TipFlowState[],
    state: 'failed' | 'rejected' | 'expired',
    code: string,
    message: string,
  ): void {
    if (
      repo.transition(
        flow.id,
        from,
        state,
        { errorCode: code, errorMessage: message, nextCheckAt: null },
        now(),
      )
    ) {
      deps.log.info({ flowId: flow.id, state, code }, 'tip flow ended without payment')
      const cont = flow.data.continue
      // Best effort: tell the viewer's auth server the pending grant is no longer wanted.
      if (
        cont &&
        (flow.state === 'awaiting_consent' || flow.state === 'authorized') &&
        state !== 'rejected'
      ) {
        void cancelGrant(flow).catch(() => undefined)
      }
    }
  }

  async function cancelGrant(flow: TipFlowRecord): Promise<void> {
    const gateway = deps.wallets.gateway()
    const cont = flow.data.continue
    if (!gateway || !cont) return
    const op = await gateway.client()
    await op.grant.cancel({ url: cont.uri, accessToken: cont.token })
  }

  async function streamerSide(): Promise<{
    gateway: OpenPaymentsGateway
    doc: WalletAddress
    op: AuthenticatedClient
  }> {
    let streamer
    try {
      streamer = await deps.wallets.streamerWallet()
    } catch (error) {
      throw new TipError(
        TipErrorCode.StreamerWalletUnavailable,
        `The streamer's wallet cannot be reached right now (${describeOpError(error)}); try again in a minute.`,
      )
    }
    if (!streamer) {
      throw new TipError(
        TipErrorCode.WalletNotConfigured,
        'The streamer has not set up a wallet yet, so tips are not available.',
      )
    }
    return { gateway: streamer.gateway, doc: streamer.doc, op: await streamer.gateway.client() }
  }

  async function startTip(input: StartTipInput) {
    const { gateway, doc: streamerDoc, op } = await streamerSide()
    if (streamerDoc.assetCode !== input.tier?.currency && input.tier) {
      throw new TipError(
        TipErrorCode.InvalidTier,
        'The tier is not priced in the streamer\u2019s currency.',
        'tierId',
      )
    }
    const createdAt = now()
    const flowId = randomToken(16)
    const data: TipFlowData = {
      requestedStreamId: input.requestedStreamId,
      tierName: input.tier?.name ?? null,
      perk: input.tier?.perk ?? null,
      streamer: {
        walletAddress: streamerDoc.id,
        authServer: streamerDoc.authServer,
        resourceServer: streamerDoc.resourceServer,
      },
    }
    repo.insert({
      id: flowId,
      state: 'created',
      streamId: knownStream(deps.liveStreamId(createdAt)),
      viewerSessionId: input.viewerSessionId,
      tierId: input.tier?.id ?? null,
      amountValue: input.amountValue,
      assetCode: streamerDoc.assetCode,
      assetScale: streamerDoc.assetScale,
      viewerWallet: input.viewerWallet,
      viewerName: input.name,
      message: input.message,
      data,
      createdAt,
      expiresAt: createdAt + options.consentTtlMs,
    })
    const fail = (code: string, message: string) => {
      const flow = repo.get(flowId)
      if (flow) finish(flow, ['created'], 'failed', code, message)
    }

    // Step 1: the viewer's wallet address (cached).
    let viewerDoc: WalletAddress
    try {
      viewerDoc = await gateway.walletAddress(input.viewerWallet)
    } catch (error) {
      const message = isUnreachable(error)
        ? `${input.viewerWallet} could not be reached. Check the wallet address.`
        : `${input.viewerWallet} is not an Open Payments wallet address. Check it and try again.`
      fail(TipErrorCode.UnknownWallet, message)
      throw new TipError(TipErrorCode.UnknownWallet, message, 'viewerWallet')
    }
    data.viewer = {
      walletAddress: viewerDoc.id,
      authServer: viewerDoc.authServer,
      resourceServer: viewerDoc.resourceServer,
      assetCode: viewerDoc.assetCode,
      assetScale: viewerDoc.assetScale,
    }

    // Step 2: the incoming payment on the streamer's side, with the reusable grant. Meanwhile the
    // viewer-side quote grant is made ready (a no-op when cached), so a new wallet costs no extra wait.
    const quoteGrantReady = gateway.ensureGrant('quote', viewerDoc.authServer, QUOTE_ACCESS).catch(
      () => undefined, // Any error surfaces again, with its message, when the quote is requested.
    )
    let incoming
    try {
      incoming = await gateway.withGrant(
        'incoming-payment',
        streamerDoc.authServer,
        INCOMING_PAYMENT_ACCESS,
        (accessToken) =>
          op.incomingPayment.create(
            { url: streamerDoc.resourceServer, accessToken },
            {
              walletAddress: streamerDoc.id,
              incomingAmount: makeAmount(
                input.amountValue,
                streamerDoc.assetCode,
                streamerDoc.assetScale,
              ),
              expiresAt: new Date(createdAt + options.incomingPaymentTtlMs).toISOString(),
              metadata: {
                description: input.tier ? `Tip: ${input.tier.name}` : 'Tip',
                flowId,
                ...(input.tier ? { tierId: input.tier.id } : {}),
                ...(input.name ? { name: input.name } : {}),
                ...(input.message ? { message: input.message } : {}),
              },
            },
          ),
      )
    } catch (error) {
      deps.log.warn(
        { flowId, err: describeOpError(error) },
        'incoming payment could not be created',
      )
      const message = `The streamer's wallet did not accept the tip (${describeOpError(error)}); try again later.`
      fail(TipErrorCode.StreamerWalletUnavailable, message)
      throw new TipError(TipErrorCode.StreamerWalletUnavailable, message)
    }
    await quoteGrantReady
    data.incomingPayment = { id: incoming.id, expiresAt: incoming.expiresAt ?? '' }
    repo.transition(flowId, ['created'], null, { data, incomingPaymentUrl: incoming.id }, now())

    // Steps 3-4: quote and interactive outgoing-payment grant on the viewer's side.
    const viewerRefused = (what: string, error: unknown): never => {
      deps.log.warn({ flowId, err: describeOpError(error) }, `viewer wallet refused the ${what}`)
      const message = `Your wallet refused the ${what} (${describeOpError(error)}).`
      fail(TipErrorCode.ViewerWalletRefused, message)
      throw new TipError(TipErrorCode.ViewerWalletRefused, message, 'viewerWallet')
    }
    let quote
    try {
      quote = await gateway.withGrant('quote', viewerDoc.authServer, QUOTE_ACCESS, (accessToken) =>
        op.quote.create(
          { url: viewerDoc.resourceServer, accessToken },
          { walletAddress: viewerDoc.id, receiver: incoming.id, method: 'ilp' },
        ),
      )
    } catch (error) {
      return viewerRefused('quote', error)
    }
    data.quote = {
      id: quote.id,
      debitAmount: { ...quote.debitAmount },
      receiveAmount: { ...quote.receiveAmount },
      expiresAt: quote.expiresAt ?? null,
    }
    const clientNonce = randomToken(24)
    let pending
    try {
      pending = await op.grant.request(
        { url: viewerDoc.authServer },
        {
          access_token: {
            access: [
              {
                type: 'outgoing-payment',
                actions: ['create', 'read'],
                identifier: viewerDoc.id,
                limits: { debitAmount: quote.debitAmount, receiver: incoming.id },
              },
            ],
          },
          interact: {
            start: ['redirect'],
            finish: { method: 'redirect', uri: deps.callbackUrl(flowId), nonce: clientNonce },
          },
        },
      )
    } catch (error) {
      return viewerRefused('payment authorization request', error)
    }
    if (!isPendingGrant(pending)) {
      // A wallet that grants an outgoing payment without asking its owner: not something to rely on.
      return viewerRefused(
        'payment authorization request',
        new Error('the wallet did not ask for consent'),
      )
    }
    Object.assign(data, {
      clientNonce,
      finishNonce: pending.interact.finish,
      consentUrl: pending.interact.redirect,
      grantEndpoint: viewerDoc.authServer,
      continue: {
        uri: pending.continue.uri,
        token: pending.continue.access_token.value,
        wait: pending.continue.wait ?? 0,
        receivedAt: now(),
      },
    } satisfies TipFlowData)
    if (!repo.transition(flowId, ['created'], 'awaiting_consent', { data }, now())) {
      throw new TipError(
        TipErrorCode.FlowNotFound,
        'The tip was cancelled while it was being prepared.',
      )
    }
    const flow = mustGet(flowId)
    return { flowId, consentUrl: pending.interact.redirect, flow: toFlowView(flow) }
  }

  function handleCallback(flowId: string, query: CallbackQuery): TipFlowView {
    const flow = mustGet(flowId)
    // A replayed or late callback changes nothing: only a flow awaiting consent listens.
    if (flow.state !== 'awaiting_consent') return toFlowView(flow)
    if (flow.expiresAt !== null && flow.expiresAt <= now()) {
      finish(
        flow,
        ['awaiting_consent'],
        'expired',
        'consent_expired',
        'The approval took too long; start a new tip.',
      )
      return toFlowView(mustGet(flowId))
    }
    if (query.result) {
      const result = query.result.slice(0, 64)
      if (REJECTION_RESULTS.has(result)) {
        finish(
          flow,
          ['awaiting_consent'],
          'rejected',
          result,
          'You declined the payment in your wallet. Nothing was paid.',
        )
      } else {
        finish(
          flow,
          ['awaiting_consent'],
          'failed',
          result,
          `Your wallet ended the approval (${result}). Nothing was paid.`,
        )
      }
      return toFlowView(mustGet(flowId))
    }
    const data = flow.data
    const valid = verifyFinishHash(query.hash, {
      clientNonce: data.clientNonce ?? '',
      finishNonce: data.finishNonce ?? '',
      interactRef: query.interact_ref ?? '',
      grantEndpoint: data.grantEndpoint ?? '',
    })
    if (!valid) {
      deps.log.warn({ flowId }, 'tip callback with a missing or wrong finish hash')
      finish(
        flow,
        ['awaiting_consent'],
        'failed',
        'invalid_finish_hash',
        'The answer from the wallet could not be verified, so nothing was paid. Start a new tip.',
      )
      return toFlowView(mustGet(flowId))
    }
    const next = { ...data, interactRef: query.interact_ref }
    if (
      repo.transition(
        flowId,
        ['awaiting_consent'],
        'authorized',
        { data: next, nextCheckAt: now() },
        now(),
      )
    ) {
      try {
        fault(flowId, 'authorized')
        void schedule(flowId)
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error
      }
    }
    return toFlowView(mustGet(flowId))
  }

  /** Runs the background work of one flow, one run at a time per flow. */
  function schedule(flowId: string): Promise<void> {
    const existing = running.get(flowId)
    if (existing) return existing
    const run = (async () => {
      try {
        await advance(flowId)
      } catch (error) {
        deps.log.error({ flowId, err: error }, 'tip flow step failed unexpectedly')
      } finally {
        running.delete(flowId)
      }
    })()
    running.set(flowId, run)
    return run
  }

  async function advance(flowId: string): Promise<void> {
    let flow = repo.get(flowId)
    if (!flow || stopped) return
    try {
      if (flow.state === 'authorized') {
        await continueGrant(flow)
        flow = repo.get(flowId)
        if (!flow || stopped) return
      }
      if (flow.state === 'paying') await payAndConfirm(flow)
    } catch (error) {
      const current = repo.get(flowId)
      if (!current || error instanceof SimulatedCrash) return
      if (error instanceof RetryLater) {
        repo.transition(
          flowId,
          [current.state],
          null,
          { nextCheckAt: now() + error.delayMs },
          now(),
        )
        deps.log.info(
          { flowId, state: current.state, reason: error.message },
          'tip flow will retry',
        )
      } else if (error instanceof FlowFailure) {
        finish(current, ['authorized', 'paying'], error.state, error.code, error.message)
      } else if (!stopped) {
        finish(
          current,
          ['authorized', 'paying'],
          'failed',
          'internal_error',
          describeOpError(error),
        )
        throw error
      }
    }
  }

  /** Step 6: continue the grant with interact_ref, after `continue.wait` (Rafiki answers too_fast before). */
  async function continueGrant(flow: TipFlowRecord): Promise<void> {
    const data = flow.data
    const cont = data.continue
    if (!cont || !data.interactRef)
      throw new FlowFailure('failed', 'corrupt_flow', 'The tip lost its grant data.')
    const { gateway } = await streamerSide().catch((error: unknown) => {
      throw new RetryLater(10_000, describeOpError(error))
    })
    const op = await gateway.client()
    await sleep(cont.receivedAt + cont.wait * 1000 - now())
    if (stopped) throw new RetryLater(0, 'stopping')
    let grant
    for (let attempt = 0; ; attempt += 1) {
      if (stopped) throw new RetryLater(0, 'stopping')
      try {
        grant = await op.grant.continue(
          { url: cont.uri, accessToken: cont.token },
          { interact_ref: data.interactRef },
        )
      } catch (error) {
        const code = errorCode(error)
        if (code === 'too_fast' && attempt < 5) {
          await sleep(Math.max(cont.wait, 1) * 1000)
          continue
        }
        if (isUnreachable(error))
          throw new RetryLater(5_000, `viewer auth server unreachable: ${describeOpError(error)}`)
        if (code === 'request_denied' || code === 'user_denied') {
          throw new FlowFailure(
            'rejected',
            code,
            'Your wallet declined the payment. Nothing was paid.',
          )
        }
        throw new FlowFailure(
          'failed',
          code ?? 'grant_continue_failed',
          `Your wallet did not finish the authorization (${describeOpError(error)}).`,
        )
      }
      if (isFinalizedGrantWithAccessToken(grant)) break
      // Still pending (the viewer has not decided): wait as told and ask again, within the consent window.
      if (flow.expiresAt !== null && flow.expiresAt <= now()) {
        throw new FlowFailure(
          'expired',
          'consent_expired',
          'The approval took too long; start a new tip.',
        )
      }
      await sleep(Math.max(grant.continue.wait ?? 1, 1) * 1000)
    }
    const token = grant.access_token
    const next: TipFlowData = {
      ...data,
      outgoingGrant: {
        token: token.value,
        manage: token.manage,
        expiresAt: token.expires_in === undefined ? null : now() + token.expires_in * 1000,
      },
    }
    if (
      !repo.transition(flow.id, ['authorized'], 'paying', { data: next, nextCheckAt: now() }, now())
    ) {
      throw new RetryLater(0, 'flow changed while continuing the grant')
    }
  }

  async function outgoingToken(
    flow: TipFlowRecord,
    gateway: OpenPaymentsGateway,
    force = false,
  ): Promise<string> {
    const grant = flow.data.outgoingGrant
    if (!grant)
      throw new FlowFailure('failed', 'corrupt_flow', 'The tip lost its payment authorization.')
    if (!force && (grant.expiresAt === null || grant.expiresAt - 5_000 > now())) return grant.token
    const rotated = await gateway.rotate(grant.manage, grant.token)
    const data: TipFlowData = {
      ...flow.data,
      outgoingGrant: {
        token: rotated.value,
        manage: rotated.manage,
        expiresAt: rotated.expires_in === undefined ? null : now() + rotated.expires_in * 1000,
      },
    }
    repo.transition(flow.id, ['paying'], null, { data }, now())
    flow.data = data
    return rotated.value
  }

  async function readIncoming(
    gateway: OpenPaymentsGateway,
    op: AuthenticatedClient,
    flow: TipFlowRecord,
  ): Promise<IncomingPayment> {
    const streamer = flow.data.streamer
    const url = flow.incomingPaymentUrl ?? flow.data.incomingPayment?.id
    if (!streamer || !url)
      throw new FlowFailure('failed', 'corrupt_flow', 'The tip lost its incoming payment.')
    return gateway.withGrant(
      'incoming-payment',
      streamer.authServer,
      INCOMING_PAYMENT_ACCESS,
      (accessToken) => op.incomingPayment.get({ url, accessToken }),
    )
  }

  /** Steps 7-8: pay (once), then confirm on the streamer's side by reading the incoming payment. */
  async function payAndConfirm(flow: TipFlowRecord): Promise<void> {
    const { gateway } = await streamerSide().catch((error: unknown) => {
      throw new RetryLater(10_000, describeOpError(error))
    })
    const op = await gateway.client()
    const data = flow.data
    const viewer = data.viewer
    const incomingId = flow.incomingPaymentUrl
    if (!viewer || !incomingId || !data.quote)
      throw new FlowFailure('failed', 'corrupt_flow', 'The tip lost its payment data.')

    if (!data.outgoingPayment) {
      if (data.paymentAttemptedAt) {
        // A restart after the payment request may have been sent: the incoming payment tells the truth.
        const incoming = await readIncoming(gateway, op, flow).catch(() => null)
        if (incoming && amountReached(incoming, flow.amountValue)) return complete(flow, incoming)
      }
      const retrying = data.paymentAttemptedAt !== undefined
      const attempted: TipFlowData = { ...data, paymentAttemptedAt: now() }
      repo.transition(flow.id, ['paying'], null, { data: attempted }, now())
      flow.data = attempted
      const quoteExpiresAt = data.quote.expiresAt
        ? Date.parse(data.quote.expiresAt)
        : Number.POSITIVE_INFINITY
      const quoteUsable = quoteExpiresAt - 1_000 > now()
      const create = async (form: 'quote' | 'debitAmount', accessToken: string) =>
        op.outgoingPayment.create(
          { url: viewer.resourceServer, accessToken },
          form === 'quote'
            ? {
                walletAddress: viewer.walletAddress,
                quoteId: data.quote!.id,
                metadata: { description: 'Tip' },
              }
            : {
                walletAddress: viewer.walletAddress,
                incomingPayment: incomingId,
                debitAmount: data.quote!.debitAmount,
                metadata: { description: 'Tip' },
              },
        )
      let form: 'quote' | 'debitAmount' = quoteUsable ? 'quote' : 'debitAmount'
      let payment
      try {
        try {
          payment = await create(form, await outgoingToken(flow, gateway))
        } catch (error) {
          const status = errorStatus(error)
          if (status === 401) {
            payment = await create(form, await outgoingToken(flow, gateway, true)).catch(
              (second: unknown) => {
                throw paymentFailure(second)
              },
            )
          } else if (form === 'quote' && status !== undefined && status < 500) {
            // The quote expired or was used between our check and the wallet's (DESIGN §5 step 7).
            form = 'debitAmount'
            payment = await create(form, await outgoingToken(flow, gateway)).catch(
              async (second: unknown) => {
                throw await reconcileOrFail(gateway, op, flow, second)
              },
            )
          } else {
            throw await reconcileOrFail(gateway, op, flow, error)
          }
        }
      } catch (error) {
        // After a restart, a payment sent before the crash may still be settling, and the wallet then
        // refuses a second one (grant limit, used quote): watch the incoming payment until it expires.
        if (error instanceof PaymentUnderWay || (retrying && error instanceof FlowFailure)) {
          return confirm(gateway, op, flow)
        }
        throw error
      }
      fault(flow.id, 'payment-sent')
      const paid: TipFlowData = { ...flow.data, outgoingPayment: { id: payment.id, form } }
      repo.transition(flow.id, ['paying'], null, { data: paid }, now())
      flow.data = paid
      fault(flow.id, 'outgoing-payment')
      if (payment.failed)
        throw new FlowFailure(
          'failed',
          'payment_failed',
          'Your wallet could not send the payment. Nothing was counted.',
        )
    }
    await confirm(gateway, op, flow)
  }

  function paymentFailure(error: unknown): FlowFailure | RetryLater {
    if (isUnreachable(error))
      return new RetryLater(5_000, `viewer wallet unreachable: ${describeOpError(error)}`)
    return new FlowFailure(
      'failed',
      'payment_failed',
      `Your wallet refused the payment (${describeOpError(error)}). Nothing was counted.`,
    )
  }

  /** A refused payment may still have gone through earlier (a retry after a crash): check before failing. */
  async function reconcileOrFail(
    gateway: OpenPaymentsGateway,
    op: AuthenticatedClient,
    flow: TipFlowRecord,
    error: unknown,
  ): Promise<Error> {
    const incoming = await readIncoming(gateway, op, flow).catch(() => null)
    if (incoming && BigInt(incoming.receivedAmount.value) > 0n) {
      return new PaymentUnderWay('payment already under way')
    }
    return paymentFailure(error)
  }

  async function confirm(
    gateway: OpenPaymentsGateway,
    op: AuthenticatedClient,
    flow: TipFlowRecord,
  ): Promise<void> {
    const started = now()
    const deadline = started + options.confirmWindowMs
    let delay = options.pollMinMs
    for (;;) {
      if (stopped) throw new RetryLater(0, 'stopping')
      let incoming: IncomingPayment | undefined
      try {
        incoming = await readIncoming(gateway, op, flow)
      } catch (error) {
        if (
          !isUnreachable(error) &&
          errorStatus(error) !== undefined &&
          errorStatus(error)! < 500
        ) {
          throw new FlowFailure('failed', 'incoming_payment_unreadable', describeOpError(error))
        }
      }
      if (incoming && amountReached(incoming, flow.amountValue)) return complete(flow, incoming)
      const expiresAt = incoming?.expiresAt ? Date.parse(incoming.expiresAt) : null
      if (expiresAt !== null && expiresAt <= now()) {
        throw new FlowFailure(
          'failed',
          'payment_not_received',
          'The payment did not arrive in time. Nothing was counted.',
        )
      }
      if (now() >= deadline) throw new RetryLater(15_000, 'payment not received yet')
      await sleep(delay)
      // Quick polls while a payment usually settles, then backing off to pollMaxMs.
      const ceiling = now() - started < 10_000 ? options.pollFastMaxMs : options.pollMaxMs
      delay = Math.min(ceiling, Math.ceil(delay * 1.5))
    }
  }

  /** Records the support event once (keyed by the incoming payment URL), with the flow's move. */
  function complete(flow: TipFlowRecord, incoming: IncomingPayment): void {
    const recorded = deps.ledger.record(
      {
        sourceKey: flow.incomingPaymentUrl ?? incoming.id,
        kind: 'tip',
        amountValue: flow.amountValue,
        assetCode: flow.assetCode,
        assetScale: flow.assetScale,
        supporterKey: flow.data.viewer?.walletAddress ?? flow.viewerWallet,
        supporterName: flow.viewerName,
        message: flow.message,
        tierId: flow.tierId,
        streamId: flow.streamId,
        occurredAt: now(),
      },
      {
        tip: {
          flowId: flow.id,
          tierName: flow.data.tierName ?? null,
          perk: flow.data.perk ?? null,
        },
        alongside: () =>
          repo.transition(
            flow.id,
            ['paying'],
            'completed',
            {
              data: { ...flow.data, completedAt: now() },
              nextCheckAt: null,
              errorCode: null,
              errorMessage: null,
            },
            now(),
          ),
      },
    )
    if (recorded?.inserted)
      deps.log.info({ flowId: flow.id, supportEventId: recorded.event.id }, 'tip completed')
  }

  async function sweep(): Promise<void> {
    const at = now()
    for (const flow of repo.listInStates(['created', 'awaiting_consent', 'authorized', 'paying'])) {
      if (running.has(flow.id)) continue
      if (flow.state === 'created') {
        if (flow.createdAt + options.createdTimeoutMs <= at) {
          finish(
            flow,
            ['created'],
            'failed',
            'interrupted',
            'The tip was interrupted before the wallet was asked. Nothing was paid.',
          )
        }
      } else if (flow.state === 'awaiting_consent') {
        if (flow.expiresAt !== null && flow.expiresAt <= at) {
          finish(
            flow,
            ['awaiting_consent'],
            'expired',
            'consent_expired',
            'The approval took too long; start a new tip. Nothing was paid.',
          )
        }
      } else if (flow.nextCheckAt === null || flow.nextCheckAt <= at) {
        void schedule(flow.id)
      }
    }
  }

  return {
    startTip,
    handleCallback,
    view(flowId) {
      const flow = repo.get(flowId)
      return flow ? toFlowView(flow) : undefined
    },
    record: (flowId) => repo.get(flowId),
    recent: (limit) => repo.recent(limit).map(toFlowView),
    async recover() {
      // Every flow in progress is due now: paying flows are reconciled, authorized ones continued.
      for (const flow of repo.listInStates(['authorized', 'paying'])) {
        repo.transition(flow.id, [flow.state], null, { nextCheckAt: now() }, now())
      }
      await sweep()
    },
    sweep,
    async start() {
      stopped = false
      await this.recover()
      sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs)
      sweepTimer.unref()
    },
    async stop() {
      stopped = true
      if (sweepTimer) clearInterval(sweepTimer)
      for (const wake of [...sleepers]) wake()
      await Promise.allSettled([...running.values()])
    },
    async settled(flowId) {
      for (;;) {
        const run = running.get(flowId)
        if (!run) break
        await run
      }
      const flow = repo.get(flowId)
      return flow ? toFlowView(flow) : undefined
    },
  }
}
