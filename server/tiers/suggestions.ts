import type { TipTierSet } from '../contracts/tiers.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { AiNames } from './aiNames.js'
import type { AiTierNames } from './aiTiers.js'
import type { CurrencySpec } from './currencies.js'
import type { CurrentTiers } from './currentTiers.js'
import { TierError, TierErrorCode as Code } from './errors.js'
import { buildLadder, namedFromTemplates, toTierSet } from './tierGenerator.js'
import type { Suggestion, SuggestionInput, TierService, TierServiceDeps } from './tierService.js'

export type Suggestions = Pick<TierService, 'tiersFor' | 'suggest'>

const STATS_TTL_MS = 60_000
/** How many of the largest supporters make the "top supporters" segment. */
const TOP_SUPPORTERS = 100

/** Decimal bound to minor units: exact parse, then rounded inwards to the scale (0.5 JPY → 1 as a minimum). */
function boundToMinor(
  value: number | string,
  scale: number,
  direction: 'up' | 'down',
  field: string,
): bigint {
  let fine: bigint
  try {
    fine = decimalToMinor(value, 18)
  } catch (error) {
    if (error instanceof MoneyFormatError)
      throw new TierError(Code.InvalidAmount, `${field}: ${error.message}`, field)
    throw error
  }
  const unit = 10n ** BigInt(18 - scale)
  const whole = fine / unit
  return direction === 'up' && whole * unit < fine ? whole + 1n : whole
}

function average(stats: { total: bigint; count: number }): bigint | null {
  return stats.count === 0 ? null : stats.total / BigInt(stats.count)
}

export function createSuggestions(
  deps: Pick<TierServiceDeps, 'supporterStats' | 'streamerAsset' | 'now'>,
  tiers: CurrentTiers,
  ai: AiNames,
): Suggestions {
  const now = deps.now ?? Date.now
  const statsCache = new Map<string, { at: number; value: bigint | null }>()

  function cachedStat(key: string, compute: () => bigint | null): bigint | null {
    const hit = statsCache.get(key)
    if (hit && now() - hit.at < STATS_TTL_MS) return hit.value
    const value = compute()
    statsCache.set(key, { at: now(), value })
    return value
  }

  /** The usual tip of a returning viewer (by wallet) or of the segment, in the request's minor units. */
  function anchorFor(input: SuggestionInput, currency: CurrencySpec): bigint | null {
    const asset = deps.streamerAsset()
    if (currency.code !== asset.assetCode.toUpperCase()) return null
    const stats = deps.supporterStats
    let value: bigint | null = null
    if (input.viewerWallet) {
      const wallet = input.viewerWallet.trim()
      const candidates = [wallet, wallet.startsWith('$') ? `https://${wallet.slice(1)}` : wallet]
      for (const key of candidates) {
        value = average(stats.viewer(key, asset))
        if (value !== null) break
      }
    }
    const assetKey = `${asset.assetCode}:${asset.assetScale}`
    if (value === null && input.viewerSegment === 'returning-supporters')
      value = cachedStat(`returning:${assetKey}`, () => average(stats.returning(asset)))
    if (value === null && input.viewerSegment === 'top-supporters')
      value = cachedStat(`top:${assetKey}`, () => average(stats.top(asset, TOP_SUPPORTERS)))
    if (value === null) return null
    // Same currency; rescale from the wallet's scale to the table's (both exact powers of ten).
    const diff = currency.scale - asset.assetScale
    return diff >= 0 ? value * 10n ** BigInt(diff) : value / 10n ** BigInt(-diff)
  }

  return {
    tiersFor({ theme, currency }): TipTierSet {
      if (theme === undefined && currency === undefined) return tiers.current()
      const asset = deps.streamerAsset()
      const configured = tiers.choice().theme
      if (
        (theme === undefined || theme === configured) &&
        (currency === undefined || currency.toUpperCase() === asset.assetCode.toUpperCase())
      )
        return tiers.current()
      return tiers.ladderSet(
        tiers.resolveTheme(theme ?? configured, 'query.theme'),
        tiers.resolveCurrency(currency, 'query.currency'),
      )
    },

    async suggest(input, fields = { prefix: 'body' }): Promise<Suggestion> {
      const p = fields.prefix
      const theme = tiers.resolveTheme(input.theme, `${p}.theme`)
      const currency = tiers.resolveCurrency(input.currency, `${p}.currency`)
      const min =
        input.minAmount === undefined
          ? undefined
          : boundToMinor(input.minAmount, currency.scale, 'up', `${p}.minAmount`)
      const max =
        input.maxAmount === undefined
          ? undefined
          : boundToMinor(input.maxAmount, currency.scale, 'down', `${p}.maxAmount`)
      if (max !== undefined && max <= 0n)
        throw new TierError(
          Code.EmptyRange,
          `${p}.maxAmount must be at least one ${currency.code} minor unit`,
          `${p}.maxAmount`,
        )
      if (min !== undefined && max !== undefined && min > max)
        throw new TierError(
          Code.EmptyRange,
          `${p}.maxAmount must not be below ${p}.minAmount (no ${currency.code} amount fits in between)`,
          `${p}.maxAmount`,
        )
      const segment = input.viewerSegment ?? 'all-viewers'
      const rungs = buildLadder({
        theme,
        currency,
        ...(min !== undefined ? { min: min > 0n ? min : 1n } : {}),
        ...(max !== undefined ? { max } : {}),
        segment,
        anchor: anchorFor(input, currency),
      })
      let named = namedFromTemplates(theme.id, rungs)
      let source: Suggestion['source'] = 'builtin'
      const endpoint = input.useAI ? ai.endpoint() : undefined
      if (endpoint && named.length > 0) {
        const set = toTierSet(theme.id, currency, named)
        const names = await ai.names(endpoint, {
          theme: theme.name,
          currency: currency.code,
          segment,
          amounts: set.tiers.map((tier) => String(tier.amount)),
        })
        if (names) {
          named = named.map((rung, index) => {
            const given = names[index] as AiTierNames
            return {
              ...rung,
              id: `${theme.id}-ai-${index + 1}`,
              emoji: given.emoji,
              name: given.name,
              perk: given.perk,
            }
          })
          source = 'ai'
        }
      }
      return { set: toTierSet(theme.id, currency, named), source }
    },
  }
}
