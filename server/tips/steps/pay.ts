import type { IncomingPayment, OutgoingPayment } from '@interledger/open-payments'
import { describeOpError, errorStatus, isUnreachable } from '../../wallet/openPayments.js'
import { TipFailureCode, TipFlowFailure, tipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { RetryLater, required, saveFlow, type StreamerSide, type TipStepDeps } from './context.js'
import { amountReached, readIncoming } from './confirm.js'
import { outgoingToken } from './outgoingGrant.js'
import { resolveStreamerOrRetry } from './resolveWallets.js'

type PaymentForm = 'quote' | 'debitAmount'

/** The wallet refused a payment because one for this tip is already arriving. */
class PaymentUnderWay extends Error {}

/**
 * DESIGN §5 step 7: the outgoing payment from the viewer's wallet, once. It pays the quote while the
 * quote is usable, else (consent took longer than the quote lives, or the wallet refuses it)
 * `{incomingPayment, debitAmount}`. The attempt is stored before the request is sent, so a restart
 * knows a payment may exist: it then asks the incoming payment first, and a refusal of a second
 * payment means the first is on its way.
 *
 * Returns the incoming payment when it already shows the tip paid (a restart after the payment was
 * sent), or null when the payment is sent or arriving and step 8 should confirm it.
 */
export async function pay(deps: TipStepDeps, flow: TipFlowRecord): Promise<IncomingPayment | null> {
  const streamer = await resolveStreamerOrRetry(deps)
  const viewer = required(flow.data.viewer, 'its payment data')
  const incomingPayment = required(flow.incomingPaymentUrl, 'its payment data')
  const quote = required(flow.data.quote, 'its payment data')
  if (flow.data.outgoingPayment) return null

  const retrying = flow.data.paymentAttemptedAt !== undefined
  if (retrying) {
    const incoming = await readIncoming(streamer, flow).catch(() => null)
    if (incoming && amountReached(incoming, flow.amountValue)) return incoming
  }
  flow.data = { ...flow.data, paymentAttemptedAt: deps.now() }
  saveFlow(deps, flow)

  const create = async (form: PaymentForm, accessToken: string): Promise<OutgoingPayment> =>
    streamer.op.outgoingPayment.create(
      { url: viewer.resourceServer, accessToken },
      form === 'quote'
        ? {
            walletAddress: viewer.walletAddress,
            quoteId: quote.id,
            metadata: { description: 'Tip' },
          }
        : {
            walletAddress: viewer.walletAddress,
            incomingPayment,
            debitAmount: quote.debitAmount,
            metadata: { description: 'Tip' },
          },
    )
  const quoteExpiresAt = quote.expiresAt ? Date.parse(quote.expiresAt) : Number.POSITIVE_INFINITY
  let form: PaymentForm = quoteExpiresAt - 1_000 > deps.now() ? 'quote' : 'debitAmount'
  let payment: OutgoingPayment
  try {
    try {
      payment = await create(form, await outgoingToken(deps, flow, streamer))
    } catch (error) {
      const status = errorStatus(error)
      if (status === 401) {
        // The token expired early or was revoked: rotate it and try once more.
        payment = await create(form, await outgoingToken(deps, flow, streamer, true)).catch(
          (second: unknown) => {
            throw paymentFailure(second)
          },
        )
      } else if (form === 'quote' && status !== undefined && status < 500) {
        // The quote expired or was used between our check and the wallet's (DESIGN §5 step 7).
        form = 'debitAmount'
        payment = await create(form, await outgoingToken(deps, flow, streamer)).catch(
          async (second: unknown) => {
            throw await reconcileOrFail(streamer, flow, second)
          },
        )
      } else {
        throw await reconcileOrFail(streamer, flow, error)
      }
    }
  } catch (error) {
    // After a restart, a payment sent before the crash may still be settling, and the wallet then
    // refuses a second one (grant limit, used quote): watch the incoming payment until it expires.
    if (error instanceof PaymentUnderWay || (retrying && error instanceof TipFlowFailure))
      return null
    throw error
  }
  deps.runtime.fault(flow.id, 'payment-sent')
  flow.data = { ...flow.data, outgoingPayment: { id: payment.id, form } }
  saveFlow(deps, flow)
  deps.runtime.fault(flow.id, 'outgoing-payment')
  if (payment.failed) throw new TipFlowFailure(tipFailure(TipFailureCode.PaymentFailed, {}))
  return null
}

function paymentFailure(error: unknown): TipFlowFailure | RetryLater {
  if (isUnreachable(error))
    return new RetryLater(5_000, `viewer wallet unreachable: ${describeOpError(error)}`)
  return new TipFlowFailure(
    tipFailure(TipFailureCode.PaymentFailed, { reason: describeOpError(error) }),
  )
}

/** A refused payment may still have gone through earlier (a retry after a crash): check before failing. */
async function reconcileOrFail(
  streamer: StreamerSide,
  flow: TipFlowRecord,
  error: unknown,
): Promise<Error> {
  const incoming = await readIncoming(streamer, flow).catch(() => null)
  if (incoming && BigInt(incoming.receivedAmount.value) > 0n) {
    return new PaymentUnderWay('payment already under way')
  }
  return paymentFailure(error)
}
