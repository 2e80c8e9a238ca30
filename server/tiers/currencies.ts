import { decimalToMinor } from '../contracts/money.js'
import type { CurrencyInfo } from '../contracts/tiers.js'

/**
 * Currencies the tier generator knows, with their ISO 4217 minor-unit scale and the "nice" price points
 * a viewer expects to see (decimal strings, exact at the scale). `perEur` is a rough, rounded magnitude
 * (not an exchange rate) that places a theme's EUR-sized ladder among the nice points.
 */
export interface CurrencySpec extends CurrencyInfo {
  /** Rough units of this currency per euro, as a decimal string (only a magnitude). */
  perEur: string
  nicePoints: readonly string[]
}

const EURO_LIKE = [
  '0.50',
  '1',
  '2',
  '3',
  '5',
  '7.50',
  '10',
  '15',
  '20',
  '25',
  '30',
  '50',
  '75',
  '100',
  '150',
  '200',
  '250',
  '500',
  '1000',
] as const

const TENS_LIKE = [
  '10',
  '20',
  '30',
  '50',
  '75',
  '100',
  '150',
  '200',
  '300',
  '500',
  '750',
  '1000',
  '1500',
  '2000',
  '3000',
  '5000',
  '10000',
  '20000',
] as const

const HUNDREDS_LIKE = [
  '50',
  '100',
  '200',
  '300',
  '500',
  '700',
  '1000',
  '1500',
  '2000',
  '3000',
  '5000',
  '10000',
  '15000',
  '20000',
  '30000',
  '50000',
  '100000',
] as const

export const CURRENCIES: readonly CurrencySpec[] = [
  { code: 'EUR', scale: 2, name: 'Euro', perEur: '1', nicePoints: EURO_LIKE },
  { code: 'USD', scale: 2, name: 'US dollar', perEur: '1', nicePoints: EURO_LIKE },
  { code: 'GBP', scale: 2, name: 'Pound sterling', perEur: '1', nicePoints: EURO_LIKE },
  { code: 'CHF', scale: 2, name: 'Swiss franc', perEur: '1', nicePoints: EURO_LIKE },
  { code: 'CAD', scale: 2, name: 'Canadian dollar', perEur: '1.5', nicePoints: EURO_LIKE },
  { code: 'AUD', scale: 2, name: 'Australian dollar', perEur: '1.5', nicePoints: EURO_LIKE },
  {
    code: 'BRL',
    scale: 2,
    name: 'Brazilian real',
    perEur: '5',
    nicePoints: [
      '2',
      '5',
      '10',
      '15',
      '20',
      '25',
      '50',
      '75',
      '100',
      '150',
      '200',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
    ],
  },
  { code: 'MXN', scale: 2, name: 'Mexican peso', perEur: '20', nicePoints: TENS_LIKE },
  { code: 'ZAR', scale: 2, name: 'South African rand', perEur: '20', nicePoints: TENS_LIKE },
  { code: 'INR', scale: 2, name: 'Indian rupee', perEur: '90', nicePoints: HUNDREDS_LIKE },
  { code: 'JPY', scale: 0, name: 'Japanese yen', perEur: '150', nicePoints: HUNDREDS_LIKE },
  {
    code: 'KRW',
    scale: 0,
    name: 'South Korean won',
    perEur: '1500',
    nicePoints: [
      '1000',
      '2000',
      '3000',
      '5000',
      '10000',
      '20000',
      '30000',
      '50000',
      '100000',
      '200000',
      '300000',
      '500000',
      '1000000',
    ],
  },
] as const

const BY_CODE = new Map(CURRENCIES.map((spec) => [spec.code, spec]))

export function findCurrency(code: string): CurrencySpec | undefined {
  return BY_CODE.get(code.toUpperCase())
}

/**
 * A currency the wallet uses but the table does not list (a test asset, a crypto asset at scale 9):
 * whole units 1, 2, 5, 10, ... are exact at any scale and are still a sensible ladder.
 */
export function genericCurrency(code: string, scale: number): CurrencySpec {
  return {
    code,
    scale,
    name: code,
    perEur: '1',
    nicePoints: [
      '1',
      '2',
      '3',
      '5',
      '10',
      '15',
      '20',
      '25',
      '50',
      '75',
      '100',
      '150',
      '200',
      '250',
      '500',
      '1000',
    ],
  }
}

/** The currency of the streamer's wallet: the table's price points at the wallet's own scale. */
export function currencyForAsset(assetCode: string, assetScale: number): CurrencySpec {
  const known = findCurrency(assetCode)
  if (!known) return genericCurrency(assetCode, assetScale)
  return { ...known, scale: assetScale }
}

/** The price points in minor units at the spec's scale, ascending; those the scale cannot hold are left out. */
export function nicePointsMinor(spec: CurrencySpec): bigint[] {
  const points: bigint[] = []
  for (const point of spec.nicePoints) {
    try {
      const minor = decimalToMinor(point, spec.scale)
      if (minor > 0n) points.push(minor)
    } catch {
      // e.g. "0.50" for a currency held at scale 0: not representable, so not offered.
    }
  }
  return [...new Set(points)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
