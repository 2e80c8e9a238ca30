import type { TipFlowRecord } from '../tipFlowRepository.js'
import { required, saveFlow, type StreamerSide, type TipStepDeps } from './context.js'
import { viewerRefused } from './end.js'

export const QUOTE_ACCESS = [
  { type: 'quote' as const, actions: ['create' as const, 'read' as const] },
]

/**
 * Makes the reusable quote grant on the viewer's auth server ready (a no-op when cached) while step 2
 * runs, so a new viewer wallet costs no extra wait. Never rejects: any error surfaces again, with its
 * message, when the quote is requested.
 */
export function prepareQuoteGrant(streamer: StreamerSide, flow: TipFlowRecord): Promise<void> {
  const viewer = required(flow.data.viewer, 'its viewer wallet')
  return streamer.gateway
    .ensureGrant('quote', viewer.authServer, QUOTE_ACCESS)
    .catch(() => undefined)
}

/**
 * DESIGN §5 step 3: a quote on the viewer's side for the incoming payment. Its `debitAmount` is in the
 * viewer's currency, fees included; it bounds the payment grant of step 4.
 */
export async function requestQuote(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  streamer: StreamerSide,
): Promise<void> {
  const viewer = required(flow.data.viewer, 'its viewer wallet')
  const receiver = required(flow.incomingPaymentUrl, 'its incoming payment')
  let quote
  try {
    quote = await streamer.gateway.withGrant(
      'quote',
      viewer.authServer,
      QUOTE_ACCESS,
      (accessToken) =>
        streamer.op.quote.create(
          { url: viewer.resourceServer, accessToken },
          { walletAddress: viewer.walletAddress, receiver, method: 'ilp' },
        ),
    )
  } catch (error) {
    throw viewerRefused(deps, flow, 'quote', error)
  }
  flow.data.quote = {
    id: quote.id,
    debitAmount: { ...quote.debitAmount },
    receiveAmount: { ...quote.receiveAmount },
    expiresAt: quote.expiresAt ?? null,
  }
  saveFlow(deps, flow)
}
