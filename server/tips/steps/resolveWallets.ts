import { describeOpError, isUnreachable } from '../../wallet/openPayments.js'
import { streamerWalletUnreachable, TipErrorCode, walletNotConfigured } from '../errors.js'
import { TipFailureCode, tipFailure } from '../failures.js'
import type { TipFlowRecord } from '../tipFlowRepository.js'
import { RetryLater, saveFlow, type StreamerSide, type TipStepDeps } from './context.js'
import { failStart } from './end.js'

/**
 * DESIGN §5 step 1, the streamer's side: the wallet tips go to, its wallet address document (cached by
 * the gateway) and the authenticated client of the app's identity.
 */
export async function resolveStreamer(deps: Pick<TipStepDeps, 'wallets'>): Promise<StreamerSide> {
  let streamer
  try {
    streamer = await deps.wallets.streamerWallet()
  } catch (error) {
    throw streamerWalletUnreachable(describeOpError(error))
  }
  if (!streamer) throw walletNotConfigured()
  return { gateway: streamer.gateway, doc: streamer.doc, op: await streamer.gateway.client() }
}

/** The streamer's side for a background step: when it cannot be reached, the step is retried later. */
export async function resolveStreamerOrRetry(
  deps: Pick<TipStepDeps, 'wallets'>,
): Promise<StreamerSide> {
  return resolveStreamer(deps).catch((error: unknown) => {
    throw new RetryLater(10_000, describeOpError(error))
  })
}

/**
 * Step 1, the viewer's side: resolves the viewer's wallet address (cached) and keeps what the later
 * steps need. An address that does not resolve is a 400 naming `viewerWallet`.
 */
export async function resolveViewerWallet(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  streamer: StreamerSide,
): Promise<void> {
  let doc
  try {
    doc = await streamer.gateway.walletAddress(flow.viewerWallet)
  } catch (error) {
    const failure = tipFailure(TipFailureCode.UnknownWallet, {
      wallet: flow.viewerWallet,
      reachable: !isUnreachable(error),
    })
    throw failStart(deps, flow, failure, TipErrorCode.UnknownWallet, 'viewerWallet')
  }
  flow.data.viewer = {
    walletAddress: doc.id,
    authServer: doc.authServer,
    resourceServer: doc.resourceServer,
    assetCode: doc.assetCode,
    assetScale: doc.assetScale,
  }
  saveFlow(deps, flow)
}
