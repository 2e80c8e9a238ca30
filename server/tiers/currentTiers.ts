import type { TierConfigView, TipTheme, TipTierSet } from '../contracts/tiers.js'
import { CURRENCIES, currencyForAsset, findCurrency, type CurrencySpec } from './currencies.js'
import { TierError, TierErrorCode as Code } from './errors.js'
import { findTheme, THEMES, type ThemeSpec } from './themes.js'
import { buildLadder, namedFromTemplates, toTierSet, type NamedRung } from './tierGenerator.js'
import type { TierServiceDeps } from './tierService.js'

/** What the streamer chose: a theme's ladder, or their own list (remembered with its theme). */
export interface TierChoice {
  mode: 'theme' | 'custom'
  theme: TipTheme
}

/** The streamer's current tiers and the lookups the other parts of the tier service share. */
export interface CurrentTiers {
  choice(): TierChoice
  saveChoice(next: TierChoice): void
  streamerCurrency(): CurrencySpec
  /** The currency a request names (the wallet's when absent); `field` names it in errors. */
  resolveCurrency(code: string | undefined, field: string): CurrencySpec
  resolveTheme(id: string, field: string): ThemeSpec
  ladderSet(theme: ThemeSpec, currency: CurrencySpec): TipTierSet
  /** The list the editor changes: the custom one, or the theme's ladder to start a custom one from. */
  editableRungs(): { rungs: NamedRung[]; theme: TipTheme }
  current(): TipTierSet
  configView(): TierConfigView
  /** Announces the new tiers (tip page, overlays) and answers with the editor's view. */
  changed(): TierConfigView
}

export function createCurrentTiers(
  deps: Pick<TierServiceDeps, 'bus' | 'settings' | 'repository' | 'streamerAsset'>,
): CurrentTiers {
  function choice(): TierChoice {
    const stored = deps.settings.get('tiers.mode')
    const theme = findTheme(stored.theme)
    return theme ? { mode: stored.mode, theme: theme.id } : { mode: 'theme', theme: 'fun' }
  }

  function streamerCurrency(): CurrencySpec {
    const asset = deps.streamerAsset()
    return currencyForAsset(asset.assetCode, asset.assetScale)
  }

  function resolveCurrency(code: string | undefined, field: string): CurrencySpec {
    const asset = deps.streamerAsset()
    if (code === undefined || code.toUpperCase() === asset.assetCode.toUpperCase())
      return streamerCurrency()
    const known = findCurrency(code)
    if (!known)
      throw new TierError(
        Code.UnknownCurrency,
        `${field}: unknown currency "${code}"; supported: ${CURRENCIES.map((spec) => spec.code).join(', ')}`,
        field,
      )
    return known
  }

  function resolveTheme(id: string, field: string): ThemeSpec {
    const theme = findTheme(id)
    if (!theme)
      throw new TierError(
        Code.UnknownTheme,
        `${field}: unknown theme "${id}"; themes: ${THEMES.map((spec) => spec.id).join(', ')}`,
        field,
      )
    return theme
  }

  function ladderSet(theme: ThemeSpec, currency: CurrencySpec): TipTierSet {
    return toTierSet(
      theme.id,
      currency,
      namedFromTemplates(theme.id, buildLadder({ theme, currency })),
    )
  }

  /** The custom list when it is in the wallet's asset; undefined otherwise (theme ladder shown). */
  function customRungs(): NamedRung[] | undefined {
    const asset = deps.streamerAsset()
    const stored = deps.repository.list()
    if (stored.length === 0) return undefined
    if (
      stored.some(
        (tier) =>
          tier.asset.assetCode !== asset.assetCode || tier.asset.assetScale !== asset.assetScale,
      )
    )
      return undefined
    return stored.map(({ id, emoji, name, perk, amount }) => ({ id, emoji, name, perk, amount }))
  }

  function current(): TipTierSet {
    const chosen = choice()
    const theme = findTheme(chosen.theme) as ThemeSpec
    const currency = streamerCurrency()
    const custom = chosen.mode === 'custom' ? customRungs() : undefined
    return custom ? toTierSet(theme.id, currency, custom) : ladderSet(theme, currency)
  }

  function configView(): TierConfigView {
    const chosen = choice()
    const asset = deps.streamerAsset()
    const custom = chosen.mode === 'custom' ? customRungs() : undefined
    return {
      mode: custom ? 'custom' : 'theme',
      theme: chosen.theme,
      currency: asset.assetCode,
      assetScale: asset.assetScale,
      tiers: current().tiers,
      themes: THEMES.map((theme) => ({ id: theme.id, name: theme.name, emoji: theme.emoji })),
      currencies: CURRENCIES.map((spec) => ({
        code: spec.code,
        scale: spec.scale,
        name: spec.name,
      })),
      customCurrencyMismatch:
        chosen.mode === 'custom' && !custom && deps.repository.list().length > 0,
    }
  }

  return {
    choice,
    saveChoice: (next) => deps.settings.set('tiers.mode', next),
    streamerCurrency,
    resolveCurrency,
    resolveTheme,
    ladderSet,
    editableRungs() {
      const chosen = choice()
      const custom = chosen.mode === 'custom' ? customRungs() : undefined
      if (custom) return { rungs: custom, theme: chosen.theme }
      const theme = findTheme(chosen.theme) as ThemeSpec
      return {
        rungs: namedFromTemplates(theme.id, buildLadder({ theme, currency: streamerCurrency() })),
        theme: theme.id,
      }
    },
    current,
    configView,
    changed() {
      deps.bus.emit('tiers.updated', current())
      return configView()
    },
  }
}
