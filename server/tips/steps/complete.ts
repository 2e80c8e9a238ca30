import type { IncomingPayment } from '@interledger/open-payments'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import type { TipStepDeps } from './context.js'
import { cancelGrant } from './end.js'

/**
 * The tip is real (step 8 confirmed it): the support event is recorded once, keyed by the incoming
 * payment URL, in the same transaction as the flow's move to `completed`; the ledger then announces
 * `support.recorded` with the tip's details. A second completion of the same flow records nothing.
 * The viewer's outgoing-payment grant is then cancelled (as the reference clients do): it was for this
 * one payment. It stays open until the payment is confirmed, because confirming reads the payment.
 */
export function complete(deps: TipStepDeps, flow: TipFlowRecord, incoming: IncomingPayment): void {
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
      occurredAt: deps.now(),
    },
    {
      tip: {
        flowId: flow.id,
        tierName: flow.data.tierName ?? null,
        perk: flow.data.perk ?? null,
        chatUserId: flow.data.chatUser?.id ?? null,
      },
      alongside: () =>
        deps.flows.transition(
          flow.id,
          ['paying'],
          'completed',
          {
            data: { ...flow.data, completedAt: deps.now() },
            nextCheckAt: null,
            errorCode: null,
            errorMessage: null,
          },
          deps.now(),
        ),
    },
  )
  if (recorded?.inserted)
    deps.log.info({ flowId: flow.id, supportEventId: recorded.event.id }, 'tip completed')
  void cancelGrant(deps, flow).catch(() => undefined)
}
