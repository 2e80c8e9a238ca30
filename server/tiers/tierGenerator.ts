import { decimalToMinor, minorToNumber } from '../contracts/money.js'
import type { TipTier, TipTierSet, ViewerSegment } from '../contracts/tiers.js'
import { nicePointsMinor, type CurrencySpec } from './currencies.js'
import type { ThemeSpec, TierTemplate } from './themes.js'

/** One rung of a generated ladder: exact minor units at the currency's scale. */
export interface LadderRung {
  template: TierTemplate
  amount: bigint
}

export interface LadderRequest {
  theme: ThemeSpec
  currency: CurrencySpec
  /** Inclusive bounds in minor units at `currency.scale`; the whole price-point table when absent. */
  min?: bigint
  max?: bigint
  segment?: ViewerSegment
  /** The usual tip of the viewer (or of the segment) in minor units at `currency.scale`. */
  anchor?: bigint | null
}

/** A rational target in minor units: num / den. */
interface Target {
  num: bigint
  den: bigint
}

const SCALE4 = 10n ** 4n

/** The theme rung's euro size placed in the currency: eur × perEur at the currency's scale, exactly. */
function targetOf(template: TierTemplate, currency: CurrencySpec): Target {
  const eur = decimalToMinor(template.eur, 4)
  const per = decimalToMinor(currency.perEur, 4)
  return { num: eur * per * 10n ** BigInt(currency.scale), den: SCALE4 * SCALE4 }
}

/** How far `point` is from the target as a ratio ≥ 1 (x/y), so 1 and 2 are as far apart as 10 and 20. */
function ratio(point: bigint, target: Target): [bigint, bigint] {
  const scaled = point * target.den
  return scaled >= target.num ? [scaled, target.num] : [target.num, scaled]
}

function nearestIndex(points: readonly bigint[], target: Target): number {
  let best = 0
  let bestRatio = ratio(points[0] as bigint, target)
  for (let index = 1; index < points.length; index += 1) {
    const candidate = ratio(points[index] as bigint, target)
    // candidate[0]/candidate[1] < best[0]/best[1]
    if (candidate[0] * bestRatio[1] < bestRatio[0] * candidate[1]) {
      best = index
      bestRatio = candidate
    }
  }
  return best
}

/** The currency's price point closest to a euro-sized amount (e.g. "5" → €5, $5, ¥700, ₩10,000). */
export function nearestPricePoint(currency: CurrencySpec, eur: string): bigint {
  const points = nicePointsMinor(currency)
  return points[
    nearestIndex(points, targetOf({ key: '', emoji: '', name: '', perk: '', eur }, currency))
  ] as bigint
}

/** Makes k indices into n points strictly increasing and in bounds (k ≤ n), moving each as little as needed. */
function strictlyIncreasing(indices: number[], n: number): number[] {
  const out = [...indices]
  for (let i = 0; i < out.length; i += 1) {
    const floor = i === 0 ? 0 : (out[i - 1] as number) + 1
    out[i] = Math.max(out[i] as number, floor)
  }
  for (let i = out.length - 1; i >= 0; i -= 1) {
    const ceiling = i === out.length - 1 ? n - 1 : (out[i + 1] as number) - 1
    out[i] = Math.min(out[i] as number, ceiling)
  }
  return out
}

/** k indices spread evenly from `start` to the last point. */
function spread(start: number, n: number, k: number): number[] {
  const first = Math.max(0, Math.min(start, n - k))
  if (k === 1) return [first]
  const span = n - 1 - first
  return Array.from({ length: k }, (_, i) => first + Math.round((i * span) / (k - 1)))
}

/** The index of the largest point at or below `value`, or 0. */
function floorIndex(points: readonly bigint[], value: bigint): number {
  let found = 0
  points.forEach((point, index) => {
    if (point <= value) found = index
  })
  return found
}

/** The price points a ladder may use inside [min, max]; the bounds themselves when no point fits. */
export function candidatePoints(currency: CurrencySpec, min?: bigint, max?: bigint): bigint[] {
  const all = nicePointsMinor(currency)
  const low = min ?? 0n
  const high = max ?? (all[all.length - 1] as bigint)
  const inside = all.filter((point) => point >= low && point <= high)
  if (inside.length > 0) return inside
  const bounds = [low, high].filter((value) => value > 0n)
  return [...new Set(bounds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The built-in ladder generator. Every amount is a price point of the currency (or a bound of the
 * requested range), chosen in bigint minor units, so nothing drifts; the segment decides which part of
 * the range the ladder covers.
 */
export function buildLadder(request: LadderRequest): LadderRung[] {
  const { theme, currency } = request
  const points = candidatePoints(currency, request.min, request.max)
  const n = points.length
  if (n === 0) return []
  const k = Math.min(theme.tiers.length, n)
  let indices: number[]
  let fromTop = false
  switch (request.segment ?? 'all-viewers') {
    case 'new-viewers':
      // Small first steps: the cheapest points, one after the other.
      indices = Array.from({ length: k }, (_, i) => i)
      break
    case 'returning-supporters':
    case 'top-supporters': {
      // Start at (or just below) the usual tip and climb from there; keep at least three rungs.
      const fallback = request.segment === 'top-supporters' ? Math.floor(n / 2) : n > k ? 1 : 0
      const start =
        request.anchor && request.anchor > 0n ? floorIndex(points, request.anchor) : fallback
      const length = Math.min(k, Math.max(n - start, Math.min(3, n)))
      indices = spread(start, n, length)
      fromTop = start > 0
      break
    }
    default: {
      // The theme's own shape: each rung's euro size placed on the nearest point of the currency.
      const wanted = theme.tiers.map((template) =>
        nearestIndex(points, targetOf(template, currency)),
      )
      indices = wanted.length > k ? spread(0, n, k) : wanted
      break
    }
  }
  const chosen = strictlyIncreasing(indices, n)
  // A ladder that starts higher up uses the theme's upper rungs (names grow with the amounts).
  const templates = fromTop
    ? theme.tiers.slice(theme.tiers.length - chosen.length)
    : theme.tiers.slice(0, chosen.length)
  return chosen.map((index, i) => ({
    template: templates[i] as TierTemplate,
    amount: points[index] as bigint,
  }))
}

export interface NamedRung {
  id: string
  emoji: string
  name: string
  perk: string
  amount: bigint
}

/** Converts to the seed's decimal TipTierSet at the edge (minorToNumber is exact at the scale). */
export function toTierSet(
  theme: string,
  currency: CurrencySpec,
  rungs: readonly NamedRung[],
): TipTierSet {
  return {
    theme,
    currency: currency.code,
    tiers: rungs.map((rung): TipTier => ({
      id: rung.id,
      theme,
      amount: minorToNumber(rung.amount, currency.scale),
      currency: currency.code,
      emoji: rung.emoji,
      name: rung.name,
      perk: rung.perk,
    })),
  }
}

export function namedFromTemplates(themeId: string, rungs: readonly LadderRung[]): NamedRung[] {
  return rungs.map((rung) => ({
    id: `${themeId}-${rung.template.key}`,
    emoji: rung.template.emoji,
    name: rung.template.name,
    perk: rung.template.perk,
    amount: rung.amount,
  }))
}
