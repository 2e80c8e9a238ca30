/**
 * What every step of the tip flow (DESIGN §5) is handed: the flow store, the streamer's wallet, the
 * ledger, the clock, the options, and the runner's waits and crash points. Each step is a top-level
 * function `(deps, flow, ...)` in its own file; the runner (../runner.ts) decides which one runs next.
 */
import type { AuthenticatedClient, WalletAddress } from '@interledger/open-payments'
import type { SupportLedger } from '../../support/ledgerService.js'
import type { OpenPaymentsGateway } from '../../wallet/openPayments.js'
import type { WalletService } from '../../wallet/walletService.js'
import { TipFailureCode, TipFlowFailure, tipFailure } from '../failures.js'
import type { TipFlowRecord, TipFlowRepository } from '../tipFlowRepository.js'

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

/** Where a crash test can stop a flow: after consent, before `grant.continue` is sent, after it is
 * answered (before the app has stored the token), after the token is stored, after the payment request
 * is answered (before the app has stored its result), after the outgoing payment is stored. */
export type FaultStep =
  | 'authorized'
  | 'continue-sent'
  | 'grant-continued'
  | 'paying'
  | 'payment-sent'
  | 'outgoing-payment'

/** The runner's part of a step: waits that stop() cuts short, and the crash points of tests. */
export interface FlowRuntime {
  /** Resolves after `ms`, or at once when the runner stops (shutting down never waits out a poll). */
  sleep(ms: number): Promise<void>
  /** True once the runner is stopping: a step gives up and the flow resumes after the restart. */
  stopped(): boolean
  /** A crash test may stop the flow here, as if the process died (the step then throws). */
  fault(flowId: string, step: FaultStep): void
}

export interface TipStepDeps {
  flows: TipFlowRepository
  /** The streamer's side: the wallet tips go to and the gateway of the app's client identity. */
  wallets: Pick<WalletService, 'streamerWallet' | 'gateway'>
  ledger: Pick<SupportLedger, 'record'>
  /** The public callback URL of a flow (DESIGN §5 step 4, `interact.finish.uri`). */
  callbackUrl(flowId: string): string
  log: TipFlowLogger
  now(): number
  options: TipFlowOptions
  runtime: FlowRuntime
}

/** The streamer's side of a flow, resolved once per step (the wallet address document is cached). */
export interface StreamerSide {
  gateway: OpenPaymentsGateway
  doc: WalletAddress
  op: AuthenticatedClient
}

/** A step cannot go on now but may later: the runner tries again after `delayMs`. */
export class RetryLater extends Error {
  override name = 'RetryLater'
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message)
  }
}

/** A part of the stored flow a step needs; its absence ends the flow (it cannot be rebuilt). */
export function required<T>(value: T | null | undefined, lost: string): T {
  if (value === undefined || value === null)
    throw new TipFlowFailure(tipFailure(TipFailureCode.CorruptFlow, { lost }))
  return value
}

/** Stores the flow's data (and more of the patch) while it stays in its state. */
export function saveFlow(
  deps: Pick<TipStepDeps, 'flows' | 'now'>,
  flow: TipFlowRecord,
  patch: { incomingPaymentUrl?: string } = {},
): boolean {
  return deps.flows.transition(
    flow.id,
    [flow.state],
    null,
    { data: flow.data, ...patch },
    deps.now(),
  )
}
