import type { Amount } from '../../../server/contracts/money.js'
import { decimalToMinor, formatAmount, minorToDecimal } from '../../../server/contracts/money.js'

export { decimalToMinor, formatAmount, minorToDecimal }

/** Minor units to a number for charts only (display): exact arithmetic stays on the server. */
export function minorToChartNumber(value: string, assetScale: number): number {
  return Number(minorToDecimal(value, assetScale))
}

export function formatMinor(value: string, assetCode: string, assetScale: number): string {
  return formatAmount({ value, assetCode, assetScale } satisfies Amount)
}

/** An axis label: compact currency (€1.2K) for the chart. */
export function compactCurrency(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value)
  } catch {
    return `${value} ${currency}`
  }
}

export const formatCount = (n: number) => new Intl.NumberFormat().format(n)

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  )
}

export function formatTime(iso: string | number): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(new Date(iso))
}

export function formatBucket(t: number, bucket: 'hour' | 'day'): string {
  return new Intl.DateTimeFormat(
    undefined,
    bucket === 'hour'
      ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric' },
  ).format(new Date(t))
}

/** "1 tip", "2 tips": one word rule for every count a screen shows. */
export function countOf(n: number, singular: string, plural: string): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`
}

/**
 * An average only exists once something was counted: "—" until then, on the cards and in every
 * table alike.
 */
export function formatAverage(average: Amount, eventCount: number): string {
  return eventCount > 0 ? formatAmount(average) : '—'
}

/** One support event's kind (a row of the Events table). */
export const KIND_NAMES = {
  tip: 'Tip',
  'web-monetization': 'Web Monetization',
  redemption: 'Redemption',
} as const

/** A kind as a group (chart legends, filters, column heads). */
export const KIND_LABELS = {
  tip: 'Tips',
  'web-monetization': 'Web Monetization',
  redemption: 'Redemptions',
} as const

export const TIMEFRAME_LABELS = {
  last_24h: 'Last 24 hours',
  last_7d: 'Last 7 days',
  last_30d: 'Last 30 days',
  all_time: 'All time',
} as const
