import { describe, expect, it } from 'vitest'
import { callbackResultFailure, TipFailureCode, tipFailure } from './failures.js'

describe('tip flow failures', () => {
  it('gives every code a final state and a message for the viewer', () => {
    const withDetail: Partial<Record<TipFailureCode, object>> = {
      [TipFailureCode.UnknownWallet]: { wallet: 'https://w.example/a', reachable: false },
      [TipFailureCode.StreamerWalletUnavailable]: { reason: 'HTTP 500' },
      [TipFailureCode.ViewerWalletRefused]: { what: 'quote', reason: 'HTTP 403' },
      [TipFailureCode.ApprovalEnded]: { result: 'odd' },
      [TipFailureCode.GrantContinueFailed]: { reason: 'HTTP 400' },
      [TipFailureCode.PaymentFailed]: {},
      [TipFailureCode.IncomingPaymentUnreadable]: { reason: 'HTTP 403' },
      [TipFailureCode.CorruptFlow]: { lost: 'its quote' },
      [TipFailureCode.InternalError]: { reason: 'boom' },
    }
    for (const code of Object.values(TipFailureCode)) {
      const failure = (
        tipFailure as (c: TipFailureCode, d?: object) => ReturnType<typeof tipFailure>
      )(code, withDetail[code])
      expect(failure.code).toBe(code)
      expect(['failed', 'rejected', 'expired']).toContain(failure.state)
      expect(failure.message.length, code).toBeGreaterThan(10)
    }
  })

  it("says a wallet's known refusals in plain words, and what happened to the money once", () => {
    const poor = tipFailure(TipFailureCode.PaymentFailed, {
      reason: 'Could not create outgoing payment - HTTP 403 - insufficient_balance',
    }).message
    expect(poor).toBe(
      'Your wallet refused the payment: there is not enough money in it. Nothing was counted.',
    )
    for (const code of Object.values(TipFailureCode)) {
      const failure = (
        tipFailure as (c: TipFailureCode, d?: object) => ReturnType<typeof tipFailure>
      )(code, { reason: 'x', wallet: 'w', reachable: true, what: 'quote', result: 'r', lost: 'l' })
      expect(failure.message.split('Nothing was counted').length, code).toBeLessThanOrEqual(2)
    }
  })

  it('says which wallet could not be used, and why', () => {
    const wallet = 'https://wallet.example/alice'
    expect(tipFailure(TipFailureCode.UnknownWallet, { wallet, reachable: false }).message).toBe(
      `${wallet} could not be reached. Check the wallet address.`,
    )
    expect(tipFailure(TipFailureCode.UnknownWallet, { wallet, reachable: true }).message).toBe(
      `${wallet} is not an Open Payments wallet address. Check it and try again.`,
    )
  })

  it('maps a callback result to its failure: a refusal is rejected, the rest failed', () => {
    expect(callbackResultFailure('grant_rejected')).toMatchObject({
      state: 'rejected',
      code: 'grant_rejected',
    })
    expect(callbackResultFailure('request_denied')).toMatchObject({
      state: 'rejected',
      code: 'request_denied',
    })
    expect(callbackResultFailure('invalid_interaction')).toMatchObject({
      state: 'failed',
      code: 'invalid_interaction',
    })
    const odd = callbackResultFailure('toString')
    expect(odd).toMatchObject({ state: 'failed', code: 'approval_ended' })
    expect(odd.message).toContain('(toString)')
  })
})
