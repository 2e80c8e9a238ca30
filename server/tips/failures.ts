/**
 * Every way a tip can end without being paid, the state it ends in and what the viewer reads (the tip
 * page and the callback page show `error.message`; the dashboard shows the code). A flow stores the code
 * and the message; the code is also what `GET /api/tips/:flowId` answers in `error.code`.
 */

/** The final states a failure can leave a flow in. */
export type EndState = 'failed' | 'rejected' | 'expired'

export enum TipFailureCode {
  /** Step 1: the viewer's wallet address cannot be resolved. */
  UnknownWallet = 'unknown_wallet',
  /** Step 2: the streamer's wallet refused the incoming payment. */
  StreamerWalletUnavailable = 'streamer_wallet_unavailable',
  /** Steps 3-4: the viewer's wallet refused the quote or the payment authorization request. */
  ViewerWalletRefused = 'viewer_wallet_refused',
  /** A crash between the flow's creation and the consent request (found by the sweep). */
  Interrupted = 'interrupted',
  /** The consent window passed (the interaction lasts 10 minutes). */
  ConsentExpired = 'consent_expired',
  /** Step 5, `?result=grant_rejected`: the viewer said no. */
  GrantRejected = 'grant_rejected',
  /** Step 5 `?result=request_denied`, or step 6: the viewer's wallet declined. */
  RequestDenied = 'request_denied',
  /** Step 6: the auth server answered `user_denied`. */
  UserDenied = 'user_denied',
  /** The viewer closed the wallet window without deciding and started over on the tip page. */
  Abandoned = 'abandoned',
  /** Step 5, `?result=grant_invalid`. */
  GrantInvalid = 'grant_invalid',
  /** Step 5, `?result=invalid_interaction`. */
  InvalidInteraction = 'invalid_interaction',
  /** Step 5, `?result=unknown_interaction`. */
  UnknownInteraction = 'unknown_interaction',
  /** Step 5, any other `?result=`. */
  ApprovalEnded = 'approval_ended',
  /** Step 5: the finish hash is missing or wrong. */
  InvalidFinishHash = 'invalid_finish_hash',
  /** Step 6 after a restart: the wallet finalized the grant but its answer was lost with the process. */
  AuthorizationLost = 'authorization_lost',
  /** Step 6: `grant.continue` failed for another reason. */
  GrantContinueFailed = 'grant_continue_failed',
  /** Step 7: the viewer's wallet refused or failed the outgoing payment. */
  PaymentFailed = 'payment_failed',
  /** Step 8: the incoming payment expired before the amount arrived. */
  PaymentNotReceived = 'payment_not_received',
  /** Step 8: the streamer's wallet refuses to show the incoming payment. */
  IncomingPaymentUnreadable = 'incoming_payment_unreadable',
  /** The stored flow misses what the next step needs. */
  CorruptFlow = 'corrupt_flow',
  /** An error nobody expected (logged with its stack). */
  InternalError = 'internal_error',
}

/** What a message needs to be specific, per code (`undefined`: the message says it all). */
interface FailureDetails {
  [TipFailureCode.UnknownWallet]: { wallet: string; reachable: boolean }
  [TipFailureCode.StreamerWalletUnavailable]: { reason: string }
  [TipFailureCode.ViewerWalletRefused]: {
    what: 'quote' | 'payment authorization request'
    reason: string
  }
  [TipFailureCode.Interrupted]: undefined
  [TipFailureCode.ConsentExpired]: undefined
  [TipFailureCode.GrantRejected]: undefined
  [TipFailureCode.RequestDenied]: undefined
  [TipFailureCode.UserDenied]: undefined
  [TipFailureCode.Abandoned]: undefined
  [TipFailureCode.GrantInvalid]: undefined
  [TipFailureCode.InvalidInteraction]: undefined
  [TipFailureCode.UnknownInteraction]: undefined
  [TipFailureCode.ApprovalEnded]: { result: string }
  [TipFailureCode.InvalidFinishHash]: undefined
  [TipFailureCode.AuthorizationLost]: undefined
  [TipFailureCode.GrantContinueFailed]: { reason: string }
  /** `reason` when the wallet refused; none when it accepted and then reported a failed payment. */
  [TipFailureCode.PaymentFailed]: { reason?: string }
  [TipFailureCode.PaymentNotReceived]: undefined
  [TipFailureCode.IncomingPaymentUnreadable]: { reason: string }
  [TipFailureCode.CorruptFlow]: { lost: string }
  [TipFailureCode.InternalError]: { reason: string }
}

const DECLINED = 'Your wallet declined the payment. Nothing was paid.'
const endedApproval = (result: string) =>
  `Your wallet ended the approval (${result}). Nothing was paid.`

const FAILURES: {
  [C in TipFailureCode]: { state: EndState; message(detail: FailureDetails[C]): string }
} = {
  [TipFailureCode.UnknownWallet]: {
    state: 'failed',
    message: ({ wallet, reachable }) =>
      reachable
        ? `${wallet} is not an Open Payments wallet address. Check it and try again.`
        : `${wallet} could not be reached. Check the wallet address.`,
  },
  [TipFailureCode.StreamerWalletUnavailable]: {
    state: 'failed',
    message: ({ reason }) =>
      `The streamer's wallet did not accept the tip (${reason}); try again later.`,
  },
  [TipFailureCode.ViewerWalletRefused]: {
    state: 'failed',
    message: ({ what, reason }) => `Your wallet refused the ${what} (${reason}).`,
  },
  [TipFailureCode.Interrupted]: {
    state: 'failed',
    message: () => 'The tip was interrupted before the wallet was asked. Nothing was paid.',
  },
  [TipFailureCode.ConsentExpired]: {
    state: 'expired',
    message: () => 'The approval took too long; start a new tip. Nothing was paid.',
  },
  [TipFailureCode.GrantRejected]: {
    state: 'rejected',
    message: () => 'You declined the payment in your wallet. Nothing was paid.',
  },
  [TipFailureCode.RequestDenied]: { state: 'rejected', message: () => DECLINED },
  [TipFailureCode.UserDenied]: { state: 'rejected', message: () => DECLINED },
  [TipFailureCode.Abandoned]: {
    state: 'rejected',
    message: () => 'You started over before deciding in your wallet. Nothing was paid.',
  },
  [TipFailureCode.GrantInvalid]: {
    state: 'failed',
    message: () => endedApproval('grant_invalid'),
  },
  [TipFailureCode.InvalidInteraction]: {
    state: 'failed',
    message: () => endedApproval('invalid_interaction'),
  },
  [TipFailureCode.UnknownInteraction]: {
    state: 'failed',
    message: () => endedApproval('unknown_interaction'),
  },
  [TipFailureCode.ApprovalEnded]: {
    state: 'failed',
    message: ({ result }) => endedApproval(result),
  },
  [TipFailureCode.InvalidFinishHash]: {
    state: 'failed',
    message: () =>
      'The answer from the wallet could not be verified, so nothing was paid. Start a new tip.',
  },
  [TipFailureCode.AuthorizationLost]: {
    state: 'failed',
    message: () =>
      'The app restarted while your wallet was confirming the approval, so the payment could not be sent. Nothing was paid; please tip again.',
  },
  [TipFailureCode.GrantContinueFailed]: {
    state: 'failed',
    message: ({ reason }) => `Your wallet did not finish the authorization (${reason}).`,
  },
  [TipFailureCode.PaymentFailed]: {
    state: 'failed',
    message: ({ reason }) =>
      reason === undefined
        ? 'Your wallet could not send the payment. Nothing was counted.'
        : /insufficient_balance/.test(reason)
          ? 'Your wallet refused the payment: there is not enough money in it. Nothing was counted.'
          : `Your wallet refused the payment (${reason}). Nothing was counted.`,
  },
  [TipFailureCode.PaymentNotReceived]: {
    state: 'failed',
    message: () => 'The payment did not arrive in time. Nothing was counted.',
  },
  [TipFailureCode.IncomingPaymentUnreadable]: {
    state: 'failed',
    message: ({ reason }) => `The streamer's wallet could not confirm the payment (${reason}).`,
  },
  [TipFailureCode.CorruptFlow]: {
    state: 'failed',
    message: ({ lost }) => `The tip lost ${lost}.`,
  },
  [TipFailureCode.InternalError]: {
    state: 'failed',
    message: ({ reason }) => `The tip failed unexpectedly (${reason}).`,
  },
}

/** How a flow ends: its final state, the stored code and the viewer's message. */
export interface TipFailure {
  state: EndState
  code: TipFailureCode
  message: string
}

/** The codes whose message needs no detail. */
type PlainCode = {
  [C in TipFailureCode]: FailureDetails[C] extends undefined ? C : never
}[TipFailureCode]

type DetailArgs<C extends TipFailureCode> = FailureDetails[C] extends undefined
  ? []
  : [detail: FailureDetails[C]]

export function tipFailure<C extends TipFailureCode>(
  code: C,
  ...[detail]: DetailArgs<C>
): TipFailure {
  const failure = FAILURES[code]
  return { state: failure.state, code, message: failure.message(detail as FailureDetails[C]) }
}

/** Thrown by a background step: the flow ends as the failure says (the runner makes the move). */
export class TipFlowFailure extends Error {
  override name = 'TipFlowFailure'
  constructor(readonly failure: TipFailure) {
    super(failure.message)
  }
}

export function isTipFlowFailure(error: unknown): error is TipFlowFailure {
  return error instanceof TipFlowFailure
}

/** `?result=` values of DESIGN §5 step 5; the viewer's own "no" is `grant_rejected`. */
const CALLBACK_RESULTS: Record<string, PlainCode> = {
  grant_rejected: TipFailureCode.GrantRejected,
  request_denied: TipFailureCode.RequestDenied,
  grant_invalid: TipFailureCode.GrantInvalid,
  invalid_interaction: TipFailureCode.InvalidInteraction,
  unknown_interaction: TipFailureCode.UnknownInteraction,
}

/** The failure a callback's `?result=` stands for. */
export function callbackResultFailure(result: string): TipFailure {
  const code = Object.hasOwn(CALLBACK_RESULTS, result) ? CALLBACK_RESULTS[result] : undefined
  return code ? tipFailure(code) : tipFailure(TipFailureCode.ApprovalEnded, { result })
}
