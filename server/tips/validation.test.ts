import { describe, expect, it } from 'vitest'
import { defaultTipTierSet } from '../testing/defaultTiers.js'
import { normalizeWalletAddress } from '../wallet/walletAddress.js'
import { TipError } from './errors.js'
import { cleanViewerText, validateTipRequest, type TipLimits } from './validation.js'

const asset = { assetCode: 'EUR', assetScale: 2 }
const tiers = defaultTipTierSet(asset)
const limits: TipLimits = { asset, minAmount: 50n, maxAmount: 100_000n }
const normalize = (input: string, field: string) => normalizeWalletAddress(input, { field })
const wallet = '$wallet.example/alice'

function fieldOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TipError)
    expect((error as TipError).statusCode).toBe(400)
    return (error as TipError).field
  }
  return undefined
}

describe('validateTipRequest', () => {
  it('prices a tier exactly in minor units and normalizes the wallet', () => {
    const tier = tiers.tiers[1]!
    const valid = validateTipRequest(
      { tierId: tier.id, viewerWallet: wallet },
      tiers,
      limits,
      normalize,
    )
    expect(valid.amountValue).toBe(300n)
    expect(valid.tier?.id).toBe(tier.id)
    expect(valid.viewerWallet).toBe('https://wallet.example/alice')
  })

  it('parses custom decimal amounts without floats and enforces min and max', () => {
    expect(
      validateTipRequest({ amount: '2.5', viewerWallet: wallet }, tiers, limits, normalize)
        .amountValue,
    ).toBe(250n)
    expect(
      validateTipRequest({ amount: 0.5, viewerWallet: wallet }, tiers, limits, normalize)
        .amountValue,
    ).toBe(50n)
    expect(
      validateTipRequest({ amount: '1000', viewerWallet: wallet }, tiers, limits, normalize)
        .amountValue,
    ).toBe(100_000n)
    for (const amount of ['0.49', '1000.01', '1.001', '-1', 'abc', '']) {
      expect(
        fieldOf(() =>
          validateTipRequest({ amount, viewerWallet: wallet }, tiers, limits, normalize),
        ),
      ).toBe('amount')
    }
  })

  it('a tier outside the limits or unknown is an error on tierId', () => {
    const tight: TipLimits = { ...limits, maxAmount: 200n }
    expect(
      fieldOf(() =>
        validateTipRequest({ tierId: 'fun-pizza', viewerWallet: wallet }, tiers, tight, normalize),
      ),
    ).toBe('tierId')
    expect(
      fieldOf(() =>
        validateTipRequest({ tierId: 'nope', viewerWallet: wallet }, tiers, limits, normalize),
      ),
    ).toBe('tierId')
  })

  it('name at most 32 and message at most 200 characters, after trimming and removing control characters', () => {
    const ok = validateTipRequest(
      {
        amount: '1',
        viewerWallet: wallet,
        name: `  ${'é'.repeat(32)}\u0000 `,
        message: `\u202e${'m'.repeat(200)}\n`,
      },
      tiers,
      limits,
      normalize,
    )
    expect(ok.name).toBe('é'.repeat(32))
    expect(ok.message).toBe('m'.repeat(200))
    expect(
      fieldOf(() =>
        validateTipRequest(
          { amount: '1', viewerWallet: wallet, name: 'x'.repeat(33) },
          tiers,
          limits,
          normalize,
        ),
      ),
    ).toBe('name')
    expect(
      fieldOf(() =>
        validateTipRequest(
          { amount: '1', viewerWallet: wallet, message: 'x'.repeat(201) },
          tiers,
          limits,
          normalize,
        ),
      ),
    ).toBe('message')
    expect(
      fieldOf(() =>
        validateTipRequest({ amount: '1', viewerWallet: 'nope' }, tiers, limits, normalize),
      ),
    ).toBe('viewerWallet')
  })

  it('cleanViewerText turns line breaks into spaces and empty text into null', () => {
    expect(cleanViewerText('a\r\nb\tc')).toBe('a b c')
    expect(cleanViewerText('  \u0007 ')).toBeNull()
    expect(cleanViewerText(undefined)).toBeNull()
  })

  it('keeps joined emoji whole in names and messages and counts each as one character', () => {
    const family = '👨\u200d👩\u200d👧'
    const rainbow = '🏳\ufe0f\u200d🌈'
    const valid = validateTipRequest(
      {
        amount: '1',
        viewerWallet: wallet,
        name: `${family}`.repeat(32),
        message: `Proud ${rainbow}\u202e!`,
      },
      tiers,
      limits,
      normalize,
    )
    expect(valid.name).toBe(family.repeat(32))
    expect(valid.message).toBe(`Proud ${rainbow}!`)
  })

  it('keeps the Owncast chat user id of the External Action and refuses a malformed one', () => {
    const valid = validateTipRequest(
      {
        amount: '1',
        viewerWallet: wallet,
        chatUserId: 'tHK3o1wNg',
        chatInstance: 'https://live.example.org',
      },
      tiers,
      limits,
      normalize,
    )
    expect(valid.chatUser).toEqual({ id: 'tHK3o1wNg', instance: 'https://live.example.org' })
    expect(
      fieldOf(() =>
        validateTipRequest(
          { amount: '1', viewerWallet: wallet, chatUserId: '<script>' },
          tiers,
          limits,
          normalize,
        ),
      ),
    ).toBe('chatUserId')
  })
})
