import type { TipFlowState } from '../../contracts/tips.js'
import { describeOpError, INCOMING_PAYMENT_ACCESS } from '../../wallet/openPayments.js'
import { TipError, TipErrorCode } from '../errors.js'
import { TipFailureCode, tipFailure, type TipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import type { TipStepDeps } from './context.js'

/**
 * Ends a flow without payment, if it is still in one of `from` (a compare-and-set: a racing callback,
 * sweep or restart ends it once). A pending grant the viewer did not refuse is cancelled, best effort,
 * so the viewer's auth server can forget it.
 */
export function endFlow(
  deps: Pick<TipStepDeps, 'flows' | 'wallets' | 'log' | 'now'>,
  flow: TipFlowRecord,
  from: readonly TipFlowState[],
  failure: TipFailure,
): boolean {
  const ended = deps.flows.transition(
    flow.id,
    from,
    failure.state,
    { errorCode: failure.code, errorMessage: failure.message, nextCheckAt: null },
    deps.now(),
  )
  if (!ended) return false
  deps.log.info(
    { flowId: flow.id, state: failure.state, code: failure.code },
    'tip flow ended without payment',
  )
  // A grant the viewer refused is closed already; any other (pending, or finalized and unused) is
  // cancelled so the viewer's auth server can forget it.
  if (
    flow.data.continue &&
    (flow.state === 'awaiting_consent' || flow.state === 'authorized' || flow.state === 'paying') &&
    failure.state !== 'rejected'
  ) {
    void cancelGrant(deps, flow).catch(() => undefined)
  }
  // The streamer's payment request would stay open at the wallet until it expires.
  void completeIncoming(deps, flow).catch(() => undefined)
  return true
}

/** Cancels the flow's outgoing-payment grant at the viewer's auth server (its continue URL). */
export async function cancelGrant(
  deps: Pick<TipStepDeps, 'wallets'>,
  flow: TipFlowRecord,
): Promise<void> {
  const gateway = deps.wallets.gateway()
  const cont = flow.data.continue
  if (!gateway || !cont) return
  const op = await gateway.client()
  await op.grant.cancel({ url: cont.uri, accessToken: cont.token })
}

/** Completes the flow's incoming payment, so the streamer's wallet accepts nothing more for it. */
export async function completeIncoming(
  deps: Pick<TipStepDeps, 'wallets'>,
  flow: TipFlowRecord,
): Promise<void> {
  const gateway = deps.wallets.gateway()
  const url = flow.incomingPaymentUrl ?? flow.data.incomingPayment?.id
  const side = flow.data.streamer
  if (!gateway || !url || !side) return
  const op = await gateway.client()
  await gateway.withGrant('incoming-payment', side.authServer, INCOMING_PAYMENT_ACCESS, (token) =>
    op.incomingPayment.complete({ url, accessToken: token }),
  )
}

/**
 * A step of the tip request (steps 1-4, while the viewer waits for the answer) failed: the flow ends
 * failed, and the viewer gets the same words in the HTTP error. Returns the error to throw.
 */
export function failStart(
  deps: Pick<TipStepDeps, 'flows' | 'wallets' | 'log' | 'now'>,
  flow: TipFlowRecord,
  failure: TipFailure,
  errorCode: TipErrorCode,
  field?: string,
): TipError {
  endFlow(deps, flow, ['created'], failure)
  return new TipError(errorCode, failure.message, field)
}

/** Steps 3-4: the viewer's wallet refused the quote or the interactive grant request. */
export function viewerRefused(
  deps: Pick<TipStepDeps, 'flows' | 'wallets' | 'log' | 'now'>,
  flow: TipFlowRecord,
  what: 'quote' | 'payment authorization request',
  error: unknown,
): TipError {
  const reason = describeOpError(error)
  deps.log.warn({ flowId: flow.id, err: reason }, `viewer wallet refused the ${what}`)
  return failStart(
    deps,
    flow,
    tipFailure(TipFailureCode.ViewerWalletRefused, { what, reason }),
    TipErrorCode.ViewerWalletRefused,
    'viewerWallet',
  )
}
