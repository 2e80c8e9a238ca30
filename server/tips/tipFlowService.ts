import { makeAmount } from '../contracts/money.js'
import type { TipCallbackQuery, TipFlowView } from '../contracts/tips.js'
import { randomToken } from '../security/tokens.js'
import type { Db } from '../storage/db.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { WalletService } from '../wallet/walletService.js'
import { TipError, TipErrorCode, tipNotFound } from './errors.js'
import { createTipFlowRunner } from './runner.js'
import { abandonFlow } from './steps/abandon.js'
import { acceptCallback } from './steps/callback.js'
import {
  DEFAULT_TIP_FLOW_OPTIONS,
  type FaultStep,
  type TipFlowLogger,
  type TipFlowOptions,
} from './steps/context.js'
import { createIncomingPayment } from './steps/createIncomingPayment.js'
import { prepareQuoteGrant, requestQuote } from './steps/quote.js'
import { requestGrant } from './steps/requestGrant.js'
import { resolveStreamer, resolveViewerWallet } from './steps/resolveWallets.js'
import {
  createTipFlowRepository,
  type TipFlowRecord,
  type TipFlowRepository,
} from './tipFlowRepository.js'
import type { ValidTip } from './validation.js'

export { DEFAULT_TIP_FLOW_OPTIONS, type FaultStep, type TipFlowLogger, type TipFlowOptions }

export interface TipFlowServiceDeps {
  /** The `tip_flows` table. */
  db: Db
  /** The streamer's wallet and the app's Open Payments identity (the wallet feature's service). */
  wallets: Pick<WalletService, 'streamerWallet' | 'gateway'>
  ledger: Pick<SupportLedger, 'record'>
  /** The stream live at time `at` (ms), to attribute tips (stream sessions). */
  liveStreamId(at: number): string | null
  /** The public callback URL of a flow. */
  callbackUrl(flowId: string): string
  log: TipFlowLogger
  /** The streamer's choice to name the viewer in the incoming payment's metadata (default: no). */
  shareNameWithWallet?: () => boolean
  now?: () => number
  options?: Partial<TipFlowOptions>
  /** Fault injection for crash tests: called right after a step's result is persisted. */
  faults?: { afterStep?(flowId: string, step: FaultStep): void }
}

export interface StartTipInput extends ValidTip {
  viewerSessionId: string | null
}

export interface TipFlowService {
  /** DESIGN §5 steps 1-4, while the viewer waits: the consent URL, or an error naming the field. */
  startTip(input: StartTipInput): Promise<{ flowId: string; consentUrl: string; flow: TipFlowView }>
  /** "Start over" before deciding in the wallet: ends a flow awaiting consent, cancels its grant. */
  abandon(flowId: string): Promise<TipFlowView>
  /** The finish redirect (step 5): verifies it, then continues the flow in the background. */
  handleCallback(flowId: string, query: TipCallbackQuery): Promise<TipFlowView>
  view(flowId: string): TipFlowView | undefined
  record(flowId: string): TipFlowRecord | undefined
  /** The newest flows, for the dashboard. */
  recent(limit: number): TipFlowView[]
  /** Resumes flows left in progress by a restart; also run by the sweep. */
  recover(): Promise<void>
  /** Expires flows whose consent window passed and retries stuck ones. */
  sweep(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
  /** Resolves when the background work on this flow is idle (tests, bench). */
  settled(flowId: string): Promise<TipFlowView | undefined>
}

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
    chatUserId: flow.data.chatUser?.id ?? null,
    consentUrl: flow.state === 'awaiting_consent' ? (flow.data.consentUrl ?? null) : null,
    error: flow.errorCode
      ? { code: flow.errorCode, message: flow.errorMessage ?? flow.errorCode }
      : null,
    createdAt: new Date(flow.createdAt).toISOString(),
    updatedAt: new Date(flow.updatedAt).toISOString(),
    expiresAt: flow.expiresAt === null ? null : new Date(flow.expiresAt).toISOString(),
  }
}

/**
 * The tip flow of DESIGN §5, steps 1-8, as a persisted state machine:
 * created → awaiting_consent → authorized → paying → completed | rejected | expired | failed.
 * Each step is a function in ./steps; the runner (./runner.ts) carries a flow on after consent. Every
 * transition is a compare-and-set in SQLite, so a replayed callback, a racing sweep or a restart never
 * advances a flow twice; the support event is keyed by the incoming payment URL, so it is counted once
 * whatever happens.
 */
export function createTipFlowService(deps: TipFlowServiceDeps): TipFlowService {
  const now = deps.now ?? Date.now
  const flows: TipFlowRepository = createTipFlowRepository(deps.db)
  const runner = createTipFlowRunner({
    flows,
    wallets: deps.wallets,
    ledger: deps.ledger,
    callbackUrl: deps.callbackUrl,
    log: deps.log,
    now,
    options: { ...DEFAULT_TIP_FLOW_OPTIONS, ...deps.options },
    faults: deps.faults,
  })
  const steps = runner.steps

  function mustGet(flowId: string): TipFlowRecord {
    const flow = flows.get(flowId)
    if (!flow) throw tipNotFound()
    return flow
  }

  async function startTip(input: StartTipInput) {
    const streamer = await resolveStreamer(steps)
    if (input.tier && streamer.doc.assetCode !== input.tier.currency) {
      throw new TipError(
        TipErrorCode.InvalidTier,
        'The tier is not priced in the streamer\u2019s currency.',
        'tierId',
      )
    }
    const createdAt = now()
    const flowId = randomToken(16)
    flows.insert({
      id: flowId,
      state: 'created',
      streamId: deps.liveStreamId(createdAt),
      viewerSessionId: input.viewerSessionId,
      tierId: input.tier?.id ?? null,
      amountValue: input.amountValue,
      assetCode: streamer.doc.assetCode,
      assetScale: streamer.doc.assetScale,
      viewerWallet: input.viewerWallet,
      viewerName: input.name,
      message: input.message,
      data: {
        requestedStreamId: input.requestedStreamId,
        shareNameWithWallet: deps.shareNameWithWallet?.() ?? false,
        chatUser: input.chatUser ?? null,
        tierName: input.tier?.name ?? null,
        perk: input.tier?.perk ?? null,
        streamer: {
          walletAddress: streamer.doc.id,
          authServer: streamer.doc.authServer,
          resourceServer: streamer.doc.resourceServer,
        },
      },
      createdAt,
      expiresAt: createdAt + steps.options.consentTtlMs,
    })
    const flow = mustGet(flowId)
    await resolveViewerWallet(steps, flow, streamer)
    const quoteGrantReady = prepareQuoteGrant(streamer, flow)
    await createIncomingPayment(steps, flow, streamer)
    await quoteGrantReady
    await requestQuote(steps, flow, streamer)
    const consentUrl = await requestGrant(steps, flow, streamer)
    return { flowId, consentUrl, flow: toFlowView(mustGet(flowId)) }
  }

  return {
    startTip,
    async abandon(flowId) {
      await abandonFlow(steps, mustGet(flowId))
      return toFlowView(mustGet(flowId))
    },
    async handleCallback(flowId, query) {
      if (await acceptCallback(steps, mustGet(flowId), query)) runner.consented(flowId)
      return toFlowView(mustGet(flowId))
    },
    view(flowId) {
      const flow = flows.get(flowId)
      return flow ? toFlowView(flow) : undefined
    },
    record: (flowId) => flows.get(flowId),
    recent: (limit) => flows.recent(limit).map(toFlowView),
    recover: () => runner.recover(),
    sweep: () => runner.sweep(),
    start: () => runner.start(),
    stop: () => runner.stop(),
    async settled(flowId) {
      await runner.settled(flowId)
      const flow = flows.get(flowId)
      return flow ? toFlowView(flow) : undefined
    },
  }
}
