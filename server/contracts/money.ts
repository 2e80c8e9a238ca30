/**
 * Money is never a float (DESIGN §4). An amount is an integer count of minor units with its asset code
 * and scale, exactly as Open Payments represents it: {"value":"100","assetCode":"EUR","assetScale":2} = €1.00.
 * This module is type-only safe for the renderer: it has no Node imports.
 */
import type { Amount } from './common.js'

export type { Amount }

export class MoneyFormatError extends Error {
  override name = 'MoneyFormatError'
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/**
 * Parses a decimal amount ("1.5", "0.50", 2 or 0.5 as a JSON number) into minor units at `assetScale`,
 * exactly: no float arithmetic is involved. More fractional digits than the scale allows is an error
 * rather than a silent rounding, unless they are all zeros.
 */
export function decimalToMinor(input: string | number, assetScale: number): bigint {
  if (!Number.isInteger(assetScale) || assetScale < 0 || assetScale > 18) {
    throw new MoneyFormatError(`asset scale must be an integer 0-18, got ${assetScale}`)
  }
  let text: string
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) {
      throw new MoneyFormatError(`amount must be a non-negative finite number, got ${input}`)
    }
    // Number#toString gives the shortest representation that round-trips, e.g. 0.1 -> "0.1".
    text = input.toString()
    if (/e/i.test(text)) text = input.toFixed(20).replace(/\.?0+$/, '')
  } else {
    text = input.trim()
  }
  const match = DECIMAL.exec(text)
  if (!match) throw new MoneyFormatError(`"${String(input)}" is not a decimal amount`)
  const whole = match[1] ?? '0'
  let fraction = match[2] ?? ''
  if (fraction.length > assetScale) {
    const extra = fraction.slice(assetScale)
    if (/[^0]/.test(extra)) {
      throw new MoneyFormatError(
        `"${String(input)}" has more than ${assetScale} decimal place${assetScale === 1 ? '' : 's'}`,
      )
    }
    fraction = fraction.slice(0, assetScale)
  }
  return BigInt(whole + fraction.padEnd(assetScale, '0'))
}

/** Minor units to a plain decimal string at the given scale: (150n, 2) -> "1.50". */
export function minorToDecimal(value: bigint | string | number, assetScale: number): string {
  const minor = BigInt(value)
  const negative = minor < 0n
  const digits = (negative ? -minor : minor).toString().padStart(assetScale + 1, '0')
  const whole = digits.slice(0, digits.length - assetScale)
  const fraction = digits.slice(digits.length - assetScale)
  return `${negative ? '-' : ''}${whole}${assetScale > 0 ? `.${fraction}` : ''}`
}

/**
 * Minor units to a JSON number for the seed's decimal APIs (`"amount": 0.5`). The decimal string is
 * exact; parsing it gives the nearest double, which prints back as the same decimal.
 */
export function minorToNumber(value: bigint | string | number, assetScale: number): number {
  return Number(minorToDecimal(value, assetScale))
}

export function makeAmount(
  value: bigint | string | number,
  assetCode: string,
  assetScale: number,
): Amount {
  return { value: BigInt(value).toString(), assetCode, assetScale }
}

/** Human formatting with Intl, from the exact decimal string (no float rounding of large values). */
export function formatAmount(amount: Amount, locale?: string): string {
  const decimal = minorToDecimal(amount.value, amount.assetScale)
  try {
    const format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: amount.assetCode,
      minimumFractionDigits: amount.assetScale,
      maximumFractionDigits: amount.assetScale,
    })
    // Intl accepts decimal strings exactly (ES2023 Intl.NumberFormat v3).
    return format.format(decimal as unknown as number)
  } catch {
    return `${decimal} ${amount.assetCode}`
  }
}
