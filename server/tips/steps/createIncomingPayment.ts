import { makeAmount } from '../../contracts/money.js'
import { describeOpError, INCOMING_PAYMENT_ACCESS } from '../../wallet/openPayments.js'
import { TipErrorCode } from '../errors.js'
import { TipFailureCode, tipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { saveFlow, type StreamerSide, type TipStepDeps } from './context.js'
import { failStart } from './end.js'

/**
 * What the streamer's wallet provider keeps with the payment and shows the streamer: the tier and the
 * message, the viewer's name only when the streamer chose it (Settings), and the flow's id, a random
 * token that ties the payment to this app's record and says nothing about the viewer.
 */
export function paymentMetadata(flow: TipFlowRecord): Record<string, string> {
  return {
    description: flow.data.tierName ? `Tip: ${flow.data.tierName}` : 'Tip',
    flowId: flow.id,
    ...(flow.tierId ? { tierId: flow.tierId } : {}),
    ...(flow.data.shareNameWithWallet && flow.viewerName ? { name: flow.viewerName } : {}),
    ...(flow.message ? { message: flow.message } : {}),
  }
}

/**
 * DESIGN §5 step 2: the incoming payment on the streamer's side, for the tip's amount, with an expiry
 * and the tip's metadata, under the reusable incoming-payment grant (requested once, then rotated).
 * Its URL becomes the flow's key in the ledger: a tip is counted once whatever happens.
 */
export async function createIncomingPayment(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  streamer: StreamerSide,
): Promise<void> {
  const { gateway, doc, op } = streamer
  let incoming
  try {
    incoming = await gateway.withGrant(
      'incoming-payment',
      doc.authServer,
      INCOMING_PAYMENT_ACCESS,
      (accessToken) =>
        op.incomingPayment.create(
          { url: doc.resourceServer, accessToken },
          {
            walletAddress: doc.id,
            incomingAmount: makeAmount(flow.amountValue, doc.assetCode, doc.assetScale),
            expiresAt: new Date(flow.createdAt + deps.options.incomingPaymentTtlMs).toISOString(),
            metadata: paymentMetadata(flow),
          },
        ),
    )
  } catch (error) {
    const reason = describeOpError(error)
    deps.log.warn({ flowId: flow.id, err: reason }, 'incoming payment could not be created')
    throw failStart(
      deps,
      flow,
      tipFailure(TipFailureCode.StreamerWalletUnavailable, { reason }),
      TipErrorCode.StreamerWalletUnavailable,
    )
  }
  flow.data.incomingPayment = { id: incoming.id, expiresAt: incoming.expiresAt ?? '' }
  flow.incomingPaymentUrl = incoming.id
  saveFlow(deps, flow, { incomingPaymentUrl: incoming.id })
}
