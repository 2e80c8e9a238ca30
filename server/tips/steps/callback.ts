import { isFinalizedGrant } from '@interledger/open-payments'
import type { TipCallbackQuery } from '../../contracts/tips.js'
import { errorCode } from '../../wallet/openPayments.js'
import { callbackResultFailure, TipFailureCode, tipFailure } from '../failures.js'
import { verifyFinishHash } from '../finishHash.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { saveFlow, type TipStepDeps } from './context.js'
import { endFlow } from './end.js'
import { resolveStreamer } from './resolveWallets.js'

/**
 * DESIGN §5 step 5: the wallet's finish redirect. Only a flow awaiting consent listens (a replayed or
 * late callback changes nothing). Anyone who knows a flow id can call it, so nothing it says is taken
 * on its word: a `?result=` ends the flow only once the wallet confirms that the grant itself ended,
 * and a missing or wrong finish hash is ignored (logged) while the flow waits for a valid callback
 * until its consent window closes. A valid hash moves the flow to `authorized` with the `interact_ref`.
 * Returns true when this callback authorized the flow (the runner then continues it).
 */
export async function acceptCallback(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  query: TipCallbackQuery,
): Promise<boolean> {
  if (flow.state !== 'awaiting_consent') return false
  if (flow.expiresAt !== null && flow.expiresAt <= deps.now()) {
    endFlow(deps, flow, ['awaiting_consent'], tipFailure(TipFailureCode.ConsentExpired))
    return false
  }
  if (query.result) {
    const result = query.result.slice(0, 64)
    if (await grantEnded(deps, flow)) {
      endFlow(deps, flow, ['awaiting_consent'], callbackResultFailure(result))
    } else {
      deps.log.warn(
        { flowId: flow.id, result },
        'tip callback result ignored: the wallet says the grant is still open',
      )
    }
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
    deps.log.warn({ flowId: flow.id }, 'tip callback with a missing or wrong finish hash ignored')
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

/**
 * Asks the viewer's auth server about the grant (a continuation without `interact_ref`): a pending
 * grant answers with a new wait, one the viewer refused or that expired answers `request_denied`.
 * Anything else (approved and waiting for its `interact_ref`, unreachable) leaves the flow open.
 */
async function grantEnded(deps: TipStepDeps, flow: TipFlowRecord): Promise<boolean> {
  const cont = flow.data.continue
  if (!cont) return false
  const streamer = await resolveStreamer(deps).catch(() => null)
  if (!streamer) return false
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const answer = await streamer.op.grant.continue({ url: cont.uri, accessToken: cont.token })
      if (!isFinalizedGrant(answer)) {
        const next = answer.continue
        if (next.access_token.value !== cont.token || next.uri !== cont.uri) {
          const fresh = flow.data.continue ?? cont
          flow.data = {
            ...flow.data,
            continue: { ...fresh, uri: next.uri, token: next.access_token.value },
          }
          saveFlow(deps, flow)
        }
      }
      return false
    } catch (error) {
      const code = errorCode(error)
      if (code === 'request_denied' || code === 'user_denied') return true
      if (code !== 'too_fast') return false
      await deps.runtime.sleep(Math.max(cont.wait, 1) * 1000)
    }
  }
  return false
}
