import { describeOpError } from '../../wallet/openPayments.js'
import { TipFailureCode, tipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import type { TipStepDeps } from './context.js'
import { cancelGrant, completeIncoming } from './end.js'

/**
 * The viewer closed the wallet window without deciding and chose "start over": a flow still waiting
 * for consent ends (rejected, `abandoned`) and its pending grant is cancelled at the viewer's wallet,
 * so a consent page left open elsewhere can no longer approve it. A flow the wallet already answered
 * goes on as it was. Returns true when this call ended the flow.
 */
export async function abandonFlow(
  deps: Pick<TipStepDeps, 'flows' | 'wallets' | 'log' | 'now'>,
  flow: TipFlowRecord,
): Promise<boolean> {
  const failure = tipFailure(TipFailureCode.Abandoned)
  const ended = deps.flows.transition(
    flow.id,
    ['awaiting_consent'],
    failure.state,
    { errorCode: failure.code, errorMessage: failure.message, nextCheckAt: null },
    deps.now(),
  )
  if (!ended) return false
  deps.log.info({ flowId: flow.id }, 'tip flow abandoned by the viewer before consent')
  // The streamer's payment request would stay open at the wallet until it expires.
  void completeIncoming(deps, flow).catch(() => undefined)
  try {
    await cancelGrant(deps, flow)
  } catch (error) {
    // The flow has ended either way; the grant then lapses with its interaction (10 minutes).
    deps.log.warn(
      { flowId: flow.id, err: describeOpError(error) },
      'could not cancel the abandoned grant',
    )
  }
  return true
}
