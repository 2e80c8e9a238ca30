import { describe, expect, it } from 'vitest'
import { convertDown, convertUp, feeFor, quoteForDebit, quoteForReceive } from './exchange.js'

const EUR2 = { assetCode: 'EUR', assetScale: 2 }
const USD2 = { assetCode: 'USD', assetScale: 2 }
const EUR0 = { assetCode: 'EUR', assetScale: 0 }

describe('sandbox exchange', () => {
  it('charges the sender enough to deliver the amount, fee included, rounding up', () => {
    expect(quoteForReceive(500n, EUR2, EUR2)).toEqual({ debit: 505n, fee: 5n })
    // €5.00 = $5.50; fee 1% of 550 rounds up to 6.
    expect(quoteForReceive(500n, EUR2, USD2)).toEqual({ debit: 556n, fee: 6n })
    // €0.01 = $0.011 -> 2 cents, and even one cent pays a one-cent fee.
    expect(quoteForReceive(1n, EUR2, USD2)).toEqual({ debit: 3n, fee: 1n })
  })

  it('delivers at most what a fixed debit pays for, rounding down', () => {
    expect(quoteForDebit(505n, EUR2, EUR2)).toEqual({ receive: 500n, fee: 5n })
    expect(quoteForDebit(556n, USD2, EUR2)).toEqual({ receive: 500n, fee: 6n })
    for (const debit of [1n, 2n, 99n, 100n, 101n, 1_000_001n]) {
      const { receive, fee } = quoteForDebit(debit, USD2, EUR2)
      const sent = debit - fee
      expect(sent + feeFor(sent)).toBeLessThanOrEqual(debit)
      expect(convertDown(sent, USD2, EUR2)).toBe(receive)
    }
  })

  it('converts across scales exactly', () => {
    expect(convertUp(150n, EUR2, EUR0)).toBe(2n)
    expect(convertDown(150n, EUR2, EUR0)).toBe(1n)
    expect(convertUp(3n, EUR0, EUR2)).toBe(300n)
    expect(() => convertUp(1n, EUR2, { assetCode: 'XRP', assetScale: 6 })).toThrow(
      /no exchange rate/,
    )
  })
})
