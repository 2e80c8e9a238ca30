import { isFinalizedGrantWithAccessToken } from '@interledger/open-payments'
import { describeOpError, errorCode, isUnreachable } from '../../wallet/openPayments.js'
import { TipFailureCode, TipFlowFailure, tipFailure } from '../failures.js'
import type { TipFlowData, TipFlowRecord } from '../tipFlowRepository.js'
import { RetryLater, required, saveFlow, type TipStepDeps } from './context.js'
import { resolveStreamerOrRetry } from './resolveWallets.js'

/** `too_fast` answers tolerated before the continuation counts as failed. */
const TOO_FAST_RETRIES = 5

/**
 * DESIGN §5 step 6: `grant.continue` with the `interact_ref`, after `continue.wait` (Rafiki answers
 * `too_fast` before). A grant still pending (the viewer has not decided) is asked again as told, within
 * the consent window. The finalized grant's token is stored and the flow moves to `paying`.
 */
export async function continueGrant(deps: TipStepDeps, flow: TipFlowRecord): Promise<void> {
  const { runtime } = deps
  const cont = required(flow.data.continue, 'its grant data')
  const interactRef = required(flow.data.interactRef, 'its grant data')
  const streamer = await resolveStreamerOrRetry(deps)
  await runtime.sleep(cont.receivedAt + cont.wait * 1000 - deps.now())
  // A continuation sent before a crash may have finalized the grant, and the wallet then refuses a
  // second one with the same `request_denied` as a decline: remember that one was sent.
  const sentBefore = flow.data.continueSentAt !== undefined
  if (!sentBefore) {
    flow.data = { ...flow.data, continueSentAt: deps.now() }
    saveFlow(deps, flow)
  }
  let grant
  for (let attempt = 0; ; attempt += 1) {
    if (runtime.stopped()) throw new RetryLater(0, 'stopping')
    runtime.fault(flow.id, 'continue-sent')
    try {
      grant = await streamer.op.grant.continue(
        { url: cont.uri, accessToken: cont.token },
        { interact_ref: interactRef },
      )
    } catch (error) {
      const code = errorCode(error)
      if (code === 'too_fast' && attempt < TOO_FAST_RETRIES) {
        await runtime.sleep(Math.max(cont.wait, 1) * 1000)
        continue
      }
      if (isUnreachable(error))
        throw new RetryLater(5_000, `viewer auth server unreachable: ${describeOpError(error)}`)
      if (code === 'request_denied')
        throw new TipFlowFailure(
          tipFailure(sentBefore ? TipFailureCode.AuthorizationLost : TipFailureCode.RequestDenied),
        )
      if (code === 'user_denied') throw new TipFlowFailure(tipFailure(TipFailureCode.UserDenied))
      throw new TipFlowFailure(
        tipFailure(TipFailureCode.GrantContinueFailed, { reason: describeOpError(error) }),
      )
    }
    if (isFinalizedGrantWithAccessToken(grant)) break
    if (flow.expiresAt !== null && flow.expiresAt <= deps.now())
      throw new TipFlowFailure(tipFailure(TipFailureCode.ConsentExpired))
    await runtime.sleep(Math.max(grant.continue.wait ?? 1, 1) * 1000)
  }
  runtime.fault(flow.id, 'grant-continued')
  // Stored in the same tick the answer arrives: nothing runs between receiving the token and keeping it.
  const token = grant.access_token
  const data: TipFlowData = {
    ...flow.data,
    outgoingGrant: {
      token: token.value,
      manage: token.manage,
      expiresAt: token.expires_in === undefined ? null : deps.now() + token.expires_in * 1000,
    },
  }
  if (
    !deps.flows.transition(
      flow.id,
      ['authorized'],
      'paying',
      { data, nextCheckAt: deps.now() },
      deps.now(),
    )
  ) {
    throw new RetryLater(0, 'flow changed while continuing the grant')
  }
  runtime.fault(flow.id, 'paying')
}
