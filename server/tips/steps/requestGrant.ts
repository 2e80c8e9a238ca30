import { isPendingGrant } from '@interledger/open-payments'
import { randomToken } from '../../security/tokens.js'
import { TipError, TipErrorCode } from '../errors.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { required, type StreamerSide, type TipStepDeps } from './context.js'
import { viewerRefused } from './end.js'

/**
 * DESIGN §5 step 4: the interactive outgoing-payment grant on the viewer's auth server, limited to the
 * quote's debit amount and this tip's incoming payment, finishing by redirect to this flow's callback.
 * The nonces, `continue` and the grant endpoint are stored before the viewer is sent to the consent
 * URL (the flow moves to `awaiting_consent`), so a restart can still verify and continue the grant.
 * Returns the consent URL.
 */
export async function requestGrant(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  streamer: StreamerSide,
): Promise<string> {
  const viewer = required(flow.data.viewer, 'its viewer wallet')
  const quote = required(flow.data.quote, 'its quote')
  const receiver = required(flow.incomingPaymentUrl, 'its incoming payment')
  const clientNonce = randomToken(24)
  let pending
  try {
    pending = await streamer.op.grant.request(
      { url: viewer.authServer },
      {
        access_token: {
          access: [
            {
              type: 'outgoing-payment',
              actions: ['create', 'read'],
              identifier: viewer.walletAddress,
              limits: { debitAmount: quote.debitAmount, receiver },
            },
          ],
        },
        interact: {
          start: ['redirect'],
          finish: { method: 'redirect', uri: deps.callbackUrl(flow.id), nonce: clientNonce },
        },
      },
    )
  } catch (error) {
    throw viewerRefused(deps, flow, 'payment authorization request', error)
  }
  if (!isPendingGrant(pending)) {
    // A wallet that grants an outgoing payment without asking its owner: not something to rely on.
    throw viewerRefused(
      deps,
      flow,
      'payment authorization request',
      new Error('the wallet did not ask for consent'),
    )
  }
  flow.data = {
    ...flow.data,
    clientNonce,
    finishNonce: pending.interact.finish,
    consentUrl: pending.interact.redirect,
    grantEndpoint: viewer.authServer,
    continue: {
      uri: pending.continue.uri,
      token: pending.continue.access_token.value,
      wait: pending.continue.wait ?? 0,
      receivedAt: deps.now(),
    },
  }
  if (
    !deps.flows.transition(
      flow.id,
      ['created'],
      'awaiting_consent',
      { data: flow.data },
      deps.now(),
    )
  ) {
    throw new TipError(
      TipErrorCode.FlowNotFound,
      'The tip was cancelled while it was being prepared.',
    )
  }
  return pending.interact.redirect
}
