import type { TipCallbackQuery } from '../../contracts/tips.js'
import { callbackResultFailure, TipFailureCode, tipFailure } from '../failures.js'
import { verifyFinishHash } from '../finishHash.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import type { TipStepDeps } from './context.js'
import { endFlow } from './end.js'

/**
 * DESIGN §5 step 5: the wallet's finish redirect. Only a flow awaiting consent listens (a replayed or
 * late callback changes nothing). A `?result=` ends the flow; otherwise the finish hash over the stored
 * nonces and grant endpoint must verify, and the flow moves to `authorized` with the `interact_ref`.
 * Returns true when this callback authorized the flow (the runner then continues it).
 */
export function acceptCallback(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  query: TipCallbackQuery,
): boolean {
  if (flow.state !== 'awaiting_consent') return false
  if (flow.expiresAt !== null && flow.expiresAt <= deps.now()) {
    endFlow(deps, flow, ['awaiting_consent'], tipFailure(TipFailureCode.ConsentExpired))
    return false
  }
  if (query.result) {
    endFlow(deps, flow, ['awaiting_consent'], callbackResultFailure(query.result.slice(0, 64)))
    return false
  }
  const data = flow.data
  const valid = verifyFinishHash(query.hash, {
    clientNonce: data.clientNonce ?? '',
    finishNonce: data.finishNonce ?? '',
    interactRef: query.interact_ref ?? '',
    grantEndpoint: data.grantEndpoint ?? '',
  })
  if (!valid) {
    deps.log.warn({ flowId: flow.id }, 'tip callback with a missing or wrong finish hash')
    endFlow(deps, flow, ['awaiting_consent'], tipFailure(TipFailureCode.InvalidFinishHash))
    return false
  }
  return deps.flows.transition(
    flow.id,
    ['awaiting_consent'],
    'authorized',
    { data: { ...data, interactRef: query.interact_ref }, nextCheckAt: deps.now() },
    deps.now(),
  )
}
