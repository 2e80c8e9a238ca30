import { describe, expect, it } from 'vitest'
import {
  decimalToMinor,
  formatAmount,
  minorToDecimal,
  minorToNumber,
  MoneyFormatError,
} from './money.js'

describe('money', () => {
  it('parses decimals exactly at the asset scale', () => {
    expect(decimalToMinor('1', 2)).toBe(100n)
    expect(decimalToMinor('0.5', 2)).toBe(50n)
    expect(decimalToMinor(0.1, 2)).toBe(10n)
    expect(decimalToMinor(0.29, 2)).toBe(29n) // 0.29 * 100 is 28.999999999999996 in floats
    expect(decimalToMinor('1.10', 2)).toBe(110n)
    expect(decimalToMinor('500', 0)).toBe(500n)
    expect(decimalToMinor('123456789012345678.99', 2)).toBe(12345678901234567899n)
    expect(decimalToMinor('1.500', 2)).toBe(150n)
  })

  it('refuses what it cannot represent exactly', () => {
    expect(() => decimalToMinor('1.005', 2)).toThrow(MoneyFormatError)
    expect(() => decimalToMinor('1.5', 0)).toThrow(/more than 0 decimal places/)
    expect(() => decimalToMinor('-1', 2)).toThrow(MoneyFormatError)
    expect(() => decimalToMinor('1e3', 2)).toThrow(MoneyFormatError)
    expect(() => decimalToMinor(Number.NaN, 2)).toThrow(MoneyFormatError)
    expect(() => decimalToMinor('', 2)).toThrow(MoneyFormatError)
  })

  it('formats minor units back to decimals', () => {
    expect(minorToDecimal(150n, 2)).toBe('1.50')
    expect(minorToDecimal('5', 2)).toBe('0.05')
    expect(minorToDecimal(500, 0)).toBe('500')
    expect(minorToNumber(29n, 2)).toBe(0.29)
    expect(formatAmount({ value: '150', assetCode: 'EUR', assetScale: 2 }, 'en-US')).toBe('€1.50')
    expect(formatAmount({ value: '500', assetCode: 'JPY', assetScale: 0 }, 'en-US')).toBe('¥500')
    expect(formatAmount({ value: '150', assetCode: 'XQQ1', assetScale: 2 }, 'en-US')).toBe(
      '1.50 XQQ1',
    )
  })
})
