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
import { resolveStreamerOrRetry } from './resolveWallets.js'

/** Longest part of a confirmation polled quickly (a payment usually settles within it). */
const FAST_POLL_PERIOD_MS = 10_000

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

/**
 * DESIGN §5 step 8: confirm on the streamer's side, by reading the incoming payment until it is
 * completed or has received the amount; only then is the tip real. Polls quickly at first, then backs
 * off; after `confirmWindowMs` the sweep takes over. Returns the incoming payment that confirms it.
 */
export async function confirm(deps: TipStepDeps, flow: TipFlowRecord): Promise<IncomingPayment> {
  const streamer = await resolveStreamerOrRetry(deps)
  const { options, runtime } = deps
  const started = deps.now()
  const deadline = started + options.confirmWindowMs
  let delay = options.pollMinMs
  for (;;) {
    if (runtime.stopped()) throw new RetryLater(0, 'stopping')
    let incoming: IncomingPayment | undefined
    try {
      incoming = await readIncoming(streamer, flow)
    } catch (error) {
      const status = errorStatus(error)
      // Unreachable or a 5xx: poll again. A 4xx will not get better.
      if (!isUnreachable(error) && status !== undefined && status < 500) {
        throw new TipFlowFailure(
          tipFailure(TipFailureCode.IncomingPaymentUnreadable, { reason: describeOpError(error) }),
        )
      }
    }
    if (incoming && amountReached(incoming, flow.amountValue)) return incoming
    const expiresAt = incoming?.expiresAt ? Date.parse(incoming.expiresAt) : null
    if (expiresAt !== null && expiresAt <= deps.now())
      throw new TipFlowFailure(tipFailure(TipFailureCode.PaymentNotReceived))
    if (deps.now() >= deadline) throw new RetryLater(15_000, 'payment not received yet')
    await runtime.sleep(delay)
    const ceiling =
      deps.now() - started < FAST_POLL_PERIOD_MS ? options.pollFastMaxMs : options.pollMaxMs
    delay = Math.min(ceiling, Math.ceil(delay * 1.5))
  }
}
