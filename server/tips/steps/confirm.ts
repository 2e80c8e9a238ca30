import type { IncomingPayment } from '@interledger/open-payments'
import {
  describeOpError,
  errorStatus,
  INCOMING_PAYMENT_ACCESS,
  isUnreachable,
} from '../../wallet/openPayments.js'
import { TipFailureCode, TipFlowFailure, tipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { RetryLater, required, type StreamerSide, type TipStepDeps } from './context.js'
import { outgoingToken } from './outgoingGrant.js'
import { resolveStreamerOrRetry } from './resolveWallets.js'

/** Longest part of a confirmation polled quickly (a payment usually settles within it). */
const FAST_POLL_PERIOD_MS = 10_000
/** After the incoming payment's expiry, how long reads that fail may go on before the tip ends. */
export const DEADLINE_GRACE_MS = 60_000
/** Gaps between the sweep's confirmation attempts grow with the payment's age, up to this. */
const RETRY_MAX_MS = 5 * 60_000
const RETRY_MIN_MS = 15_000

export function amountReached(payment: IncomingPayment, target: bigint): boolean {
  return payment.completed || BigInt(payment.receivedAmount.value) >= target
}

/** The flow's incoming payment as the streamer's wallet sees it. */
export async function readIncoming(
  streamer: StreamerSide,
  flow: TipFlowRecord,
): Promise<IncomingPayment> {
  const side = required(flow.data.streamer, 'its incoming payment')
  const url = required(
    flow.incomingPaymentUrl ?? flow.data.incomingPayment?.id,
    'its incoming payment',
  )
  return streamer.gateway.withGrant(
    'incoming-payment',
    side.authServer,
    INCOMING_PAYMENT_ACCESS,
    (accessToken) => streamer.op.incomingPayment.get({ url, accessToken }),
  )
}

/** When the incoming payment stops accepting money (stored when it was created). */
function incomingExpiry(flow: TipFlowRecord, read?: IncomingPayment): number | null {
  const iso = read?.expiresAt ?? flow.data.incomingPayment?.expiresAt
  const at = iso ? Date.parse(iso) : Number.NaN
  return Number.isFinite(at) ? at : null
}

/**
 * The viewer's side: a wallet may accept the outgoing payment and cancel it afterwards (Rafiki's
 * account servicer when funding fails); the incoming payment alone never shows that. Read errors are
 * left to the next poll: the incoming payment stays the proof of payment.
 */
async function outgoingFailure(
  deps: TipStepDeps,
  streamer: StreamerSide,
  flow: TipFlowRecord,
): Promise<TipFlowFailure | null> {
  const sent = flow.data.outgoingPayment
  if (!sent || !flow.data.outgoingGrant) return null
  try {
    const payment = await streamer.op.outgoingPayment.get({
      url: sent.id,
      accessToken: await outgoingToken(deps, flow, streamer),
    })
    if (!payment.failed) return null
    const reason = payment.metadata?.cancellationReason
    return new TipFlowFailure(
      tipFailure(
        TipFailureCode.PaymentFailed,
        typeof reason === 'string' && reason.trim() ? { reason: reason.trim().slice(0, 200) } : {},
      ),
    )
  } catch (error) {
    deps.log.warn(
      { flowId: flow.id, err: describeOpError(error) },
      'the outgoing payment could not be read',
    )
    return null
  }
}

/**
 * DESIGN §5 step 8: confirm on the streamer's side, by reading the incoming payment until it is
 * completed or has received the amount; only then is the tip real. The outgoing payment is read too, so
 * a payment the viewer's wallet cancelled ends the tip at once with the wallet's reason. Polls quickly
 * at first, then backs off; after `confirmWindowMs` the sweep takes over at growing intervals. At the
 * incoming payment's expiry the tip ends as not received, whether or not the wallet still answers (an
 * unpaid incoming payment is deleted then). Returns the incoming payment that confirms it.
 */
export async function confirm(deps: TipStepDeps, flow: TipFlowRecord): Promise<IncomingPayment> {
  const streamer = await resolveStreamerOrRetry(deps)
  const { options, runtime } = deps
  const started = deps.now()
  const windowEnd = started + options.confirmWindowMs
  let delay = options.pollMinMs
  for (;;) {
    if (runtime.stopped()) throw new RetryLater(0, 'stopping')
    let incoming: IncomingPayment | undefined
    let readError: unknown
    try {
      incoming = await readIncoming(streamer, flow)
    } catch (error) {
      readError = error
    }
    if (incoming && amountReached(incoming, flow.amountValue)) return incoming
    const expiresAt = incomingExpiry(flow, incoming)
    const expired = expiresAt !== null && expiresAt <= deps.now()
    if (readError !== undefined) {
      const status = errorStatus(readError)
      // Unreachable or a 5xx: poll again. A 4xx will not get better: after the expiry it means the
      // wallet deleted the unpaid incoming payment.
      if (!isUnreachable(readError) && status !== undefined && status < 500) {
        if (expired) throw new TipFlowFailure(tipFailure(TipFailureCode.PaymentNotReceived))
        throw new TipFlowFailure(
          tipFailure(TipFailureCode.IncomingPaymentUnreadable, {
            reason: describeOpError(readError),
          }),
        )
      }
      if (expiresAt !== null && expiresAt + DEADLINE_GRACE_MS <= deps.now())
        throw new TipFlowFailure(tipFailure(TipFailureCode.PaymentNotReceived))
    } else if (expired) {
      throw new TipFlowFailure(tipFailure(TipFailureCode.PaymentNotReceived))
    }
    const cancelled = await outgoingFailure(deps, streamer, flow)
    if (cancelled) throw cancelled
    if (deps.now() >= windowEnd) {
      // The deadline passed while we read: read once more rather than wait for the sweep.
      if (!expired && expiresAt !== null && expiresAt <= deps.now()) continue
      throw new RetryLater(retryDelay(deps, flow, expiresAt), 'payment not received yet')
    }

    await runtime.sleep(delay)
    const ceiling =
      deps.now() - started < FAST_POLL_PERIOD_MS ? options.pollFastMaxMs : options.pollMaxMs
    delay = Math.min(ceiling, Math.ceil(delay * 1.5))
  }
}

/** The sweep's next attempt: later the older the payment, never past the deadline. */
function retryDelay(deps: TipStepDeps, flow: TipFlowRecord, expiresAt: number | null): number {
  const age = deps.now() - (flow.data.paymentAttemptedAt ?? flow.createdAt)
  const delay = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, Math.floor(age / 4)))
  if (expiresAt === null) return delay
  const deadline = expiresAt > deps.now() ? expiresAt : expiresAt + DEADLINE_GRACE_MS
  return Math.max(1_000, Math.min(delay, deadline - deps.now()))
}
