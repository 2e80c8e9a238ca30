import type { StreamerAsset } from '../app/infrastructure.js'
import type { EventBus } from '../events/bus.js'
import { decimalToMinor, minorToDecimal, MoneyFormatError } from '../contracts/money.js'
import type {
  AiSettingsView,
  TierConfigView,
  TierInput,
  TipTheme,
  TipTierSet,
  ViewerSegment,
} from '../contracts/gamification.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SecretStore } from '../settings/secrets.js'
import type { Db } from '../storage/db.js'
import { AI_TIMEOUT_MS, requestAiTierNames, type AiEndpoint, type AiTierNames } from './aiTiers.js'
import { CURRENCIES, currencyForAsset, findCurrency, type CurrencySpec } from './currencies.js'
import { GamificationError, GamificationErrorCode as Code } from '../gamification/errors.js'
import { findTheme, THEMES, type ThemeSpec } from './themes.js'
import { buildLadder, namedFromTemplates, toTierSet, type NamedRung } from './tierGenerator.js'

export interface SuggestionInput {
  theme: string
  currency: string
  minAmount?: number | string
  maxAmount?: number | string
  viewerSegment?: ViewerSegment
  useAI?: boolean
  viewerWallet?: string
}

export interface Suggestion {
  set: TipTierSet
  source: 'ai' | 'builtin'
}

export interface TierServiceDeps {
  db: Db
  bus: EventBus
  settings: SettingsStore
  secrets: SecretStore
  streamerAsset(): StreamerAsset
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch
  aiTimeoutMs?: number
  /** Where a failed AI call is reported (the user never sees it: the built-in ladder answers). */
  onAiFallback?(reason: string): void
  now?(): number
}

export interface TierService {
  /** The tiers the tip page and the tip-tiers overlay show (ctx.providers.tipTiers). */
  current(): TipTierSet
  configView(): TierConfigView
  themeLadder(theme: string, currency?: string): TipTierSet
  suggest(input: SuggestionInput, fields?: { prefix: string }): Promise<Suggestion>
  pickTheme(theme: string): TierConfigView
  replaceTiers(inputs: readonly TierInput[], theme?: string): TierConfigView
  addTier(input: TierInput, position?: number): TierConfigView
  updateTier(id: string, patch: Partial<TierInput>): TierConfigView
  removeTier(id: string): TierConfigView
  reorder(ids: readonly string[]): TierConfigView
  resetToTheme(): TierConfigView
  aiSettings(): AiSettingsView
  setAiSettings(input: { baseUrl?: string; model?: string; apiKey?: string | null }): AiSettingsView
}

interface TierConfig {
  mode: 'theme' | 'custom'
  theme: TipTheme
}

interface CustomRow {
  id: string
  theme: string
  emoji: string
  name: string
  perk: string
  amount_value: number | bigint
  asset_code: string
  asset_scale: number | bigint
}

const MAX_TIERS = 20
const STATS_TTL_MS = 60_000
const AI_CACHE_TTL_MS = 10 * 60_000
const AI_CACHE_LIMIT = 200
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/

function cleanLine(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return [...value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()].slice(0, max).join('')
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'tier'
  )
}

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
      throw new GamificationError(Code.InvalidAmount, `${field}: ${error.message}`, field)
    throw error
  }
  const unit = 10n ** BigInt(18 - scale)
  const whole = fine / unit
  return direction === 'up' && whole * unit < fine ? whole + 1n : whole
}

export function createTierService(deps: TierServiceDeps): TierService {
  const { db, bus } = deps
  const now = deps.now ?? Date.now
  const readCustom = db
    .prepare(
      'SELECT id, theme, emoji, name, perk, amount_value, asset_code, asset_scale FROM custom_tip_tiers ORDER BY position',
    )
    .safeIntegers(true)
  const clearCustom = db.prepare('DELETE FROM custom_tip_tiers')
  const insertCustom = db.prepare(
    `INSERT INTO custom_tip_tiers (id, position, theme, emoji, name, perk, amount_value, asset_code, asset_scale)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const viewerStats = db
    .prepare(
      'SELECT total_value, support_count FROM supporter_totals WHERE supporter_key = ? AND asset_code = ? AND asset_scale = ?',
    )
    .safeIntegers(true)
  const returningStats = db
    .prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(support_count), 0) AS n
       FROM supporter_totals WHERE asset_code = ? AND asset_scale = ? AND support_count >= 2`,
    )
    .safeIntegers(true)
  const topStats = db
    .prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(support_count), 0) AS n FROM (
         SELECT total_value, support_count FROM supporter_totals WHERE asset_code = ? AND asset_scale = ?
         ORDER BY total_value DESC, last_at, supporter_key LIMIT 100)`,
    )
    .safeIntegers(true)

  const statsCache = new Map<string, { at: number; value: bigint | null }>()
  const aiCache = new Map<string, { at: number; names: AiTierNames[] }>()

  function config(): TierConfig {
    const stored = deps.settings.get('tiers.mode')
    return findTheme(stored.theme) ? (stored as TierConfig) : { mode: 'theme', theme: 'fun' }
  }

  function saveConfig(next: TierConfig): void {
    deps.settings.set('tiers.mode', next)
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
      throw new GamificationError(
        Code.UnknownCurrency,
        `${field}: unknown currency "${code}"; supported: ${CURRENCIES.map((spec) => spec.code).join(', ')}`,
        field,
      )
    return known
  }

  function resolveTheme(id: string, field: string): ThemeSpec {
    const theme = findTheme(id)
    if (!theme)
      throw new GamificationError(
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

  function customRows(): CustomRow[] {
    return readCustom.all() as CustomRow[]
  }

  /** The custom list when it is in the wallet's asset; undefined otherwise (theme ladder shown). */
  function customRungs(): NamedRung[] | undefined {
    const asset = deps.streamerAsset()
    const rows = customRows()
    if (rows.length === 0) return undefined
    if (
      rows.some(
        (row) => row.asset_code !== asset.assetCode || Number(row.asset_scale) !== asset.assetScale,
      )
    )
      return undefined
    return rows.map((row) => ({
      id: row.id,
      emoji: row.emoji,
      name: row.name,
      perk: row.perk,
      amount: BigInt(row.amount_value),
    }))
  }

  function current(): TipTierSet {
    const cfg = config()
    const theme = findTheme(cfg.theme) as ThemeSpec
    const currency = streamerCurrency()
    const custom = cfg.mode === 'custom' ? customRungs() : undefined
    return custom ? toTierSet(theme.id, currency, custom) : ladderSet(theme, currency)
  }

  function configView(): TierConfigView {
    const cfg = config()
    const asset = deps.streamerAsset()
    const custom = cfg.mode === 'custom' ? customRungs() : undefined
    return {
      mode: custom ? 'custom' : 'theme',
      theme: cfg.theme,
      currency: asset.assetCode,
      assetScale: asset.assetScale,
      tiers: current().tiers,
      themes: THEMES.map((theme) => ({ id: theme.id, name: theme.name, emoji: theme.emoji })),
      currencies: CURRENCIES.map((spec) => ({
        code: spec.code,
        scale: spec.scale,
        name: spec.name,
      })),
      customCurrencyMismatch: cfg.mode === 'custom' && !custom && customRows().length > 0,
    }
  }

  function changed(): TierConfigView {
    bus.emit('tiers.updated', current())
    return configView()
  }

  /** Validates one streamer-entered tier; `field` names it in errors ("body.tiers.2"). */
  function validateInput(
    input: TierInput,
    field: string,
    currency: CurrencySpec,
  ): Omit<NamedRung, 'id'> & { id?: string } {
    let amount: bigint
    try {
      amount = decimalToMinor(input.amount, currency.scale)
    } catch (error) {
      if (error instanceof MoneyFormatError)
        throw new GamificationError(
          Code.InvalidAmount,
          `${field}.amount: ${error.message}`,
          `${field}.amount`,
        )
      throw error
    }
    if (amount <= 0n)
      throw new GamificationError(
        Code.InvalidAmount,
        `${field}.amount must be more than zero`,
        `${field}.amount`,
      )
    const name = cleanLine(input.name, 40)
    if (!name)
      throw new GamificationError(
        Code.InvalidTiers,
        `${field}.name must not be empty`,
        `${field}.name`,
      )
    const emoji = cleanLine(input.emoji, 16)
    if (!emoji)
      throw new GamificationError(
        Code.InvalidTiers,
        `${field}.emoji must not be empty`,
        `${field}.emoji`,
      )
    if (input.id !== undefined && !ID_PATTERN.test(input.id))
      throw new GamificationError(
        Code.InvalidTiers,
        `${field}.id must be lower-case letters, digits and dashes (at most 48)`,
        `${field}.id`,
      )
    return { id: input.id, emoji, name, perk: cleanLine(input.perk, 120), amount }
  }

  function store(rungs: readonly NamedRung[], themeId: string): void {
    const asset = deps.streamerAsset()
    db.transaction(() => {
      clearCustom.run()
      rungs.forEach((rung, position) =>
        insertCustom.run(
          rung.id,
          position,
          themeId,
          rung.emoji,
          rung.name,
          rung.perk,
          rung.amount,
          asset.assetCode,
          asset.assetScale,
        ),
      )
      saveConfig({ mode: 'custom', theme: themeId as TipTheme })
    })()
  }

  /** Assigns ids: kept when given and unique, else derived from the name. */
  function withIds(
    rungs: readonly (Omit<NamedRung, 'id'> & { id?: string })[],
    field: string,
  ): NamedRung[] {
    const used = new Set<string>()
    rungs.forEach((rung, index) => {
      if (rung.id === undefined) return
      if (used.has(rung.id))
        throw new GamificationError(
          Code.InvalidTiers,
          `${field}.${index}.id "${rung.id}" is used twice`,
          `${field}.${index}.id`,
        )
      used.add(rung.id)
    })
    return rungs.map((rung) => {
      if (rung.id !== undefined) return { ...rung, id: rung.id }
      const base = slug(rung.name)
      let id = base
      for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`
      used.add(id)
      return { ...rung, id }
    })
  }

  function editableRungs(): { rungs: NamedRung[]; theme: string } {
    const cfg = config()
    const custom = cfg.mode === 'custom' ? customRungs() : undefined
    if (custom) return { rungs: custom, theme: cfg.theme }
    const theme = findTheme(cfg.theme) as ThemeSpec
    const currency = streamerCurrency()
    return {
      rungs: namedFromTemplates(theme.id, buildLadder({ theme, currency })),
      theme: theme.id,
    }
  }

  function replaceAll(rungs: NamedRung[], theme: string): TierConfigView {
    if (rungs.length === 0)
      throw new GamificationError(
        Code.InvalidTiers,
        'body.tiers must hold at least one tier',
        'body.tiers',
      )
    if (rungs.length > MAX_TIERS)
      throw new GamificationError(
        Code.InvalidTiers,
        `body.tiers holds more than ${MAX_TIERS} tiers`,
        'body.tiers',
      )
    store(rungs, theme)
    return changed()
  }

  function cachedStat(key: string, compute: () => bigint | null): bigint | null {
    const hit = statsCache.get(key)
    if (hit && now() - hit.at < STATS_TTL_MS) return hit.value
    const value = compute()
    statsCache.set(key, { at: now(), value })
    return value
  }

  function average(row: { total: bigint; n: bigint } | undefined): bigint | null {
    if (!row || row.n === 0n) return null
    return row.total / row.n
  }

  /** The usual tip of a returning viewer (by wallet) or of the segment, in the request's minor units. */
  function anchorFor(input: SuggestionInput, currency: CurrencySpec): bigint | null {
    const asset = deps.streamerAsset()
    if (currency.code !== asset.assetCode.toUpperCase()) return null
    let value: bigint | null = null
    if (input.viewerWallet) {
      const wallet = input.viewerWallet.trim()
      const candidates = [wallet, wallet.startsWith('$') ? `https://${wallet.slice(1)}` : wallet]
      for (const key of candidates) {
        const row = viewerStats.get(key, asset.assetCode, asset.assetScale) as
          { total_value: bigint; support_count: bigint } | undefined
        if (row && row.support_count > 0n) {
          value = row.total_value / row.support_count
          break
        }
      }
    }
    if (value === null && input.viewerSegment === 'returning-supporters')
      value = cachedStat(`returning:${asset.assetCode}:${asset.assetScale}`, () =>
        average(
          returningStats.get(asset.assetCode, asset.assetScale) as { total: bigint; n: bigint },
        ),
      )
    if (value === null && input.viewerSegment === 'top-supporters')
      value = cachedStat(`top:${asset.assetCode}:${asset.assetScale}`, () =>
        average(topStats.get(asset.assetCode, asset.assetScale) as { total: bigint; n: bigint }),
      )
    if (value === null) return null
    // Same currency; rescale from the wallet's scale to the table's (both exact powers of ten).
    const diff = currency.scale - asset.assetScale
    return diff >= 0 ? value * 10n ** BigInt(diff) : value / 10n ** BigInt(-diff)
  }

  function aiEndpoint(): AiEndpoint | undefined {
    const view = aiSettings()
    if (!view.baseUrl || !view.model) return undefined
    let apiKey: string | undefined
    try {
      apiKey = deps.secrets.get('ai.apiKey')
    } catch {
      apiKey = undefined
    }
    return { baseUrl: view.baseUrl, model: view.model, ...(apiKey ? { apiKey } : {}) }
  }

  async function aiNames(
    endpoint: AiEndpoint,
    request: { theme: string; currency: string; segment: string; amounts: string[] },
  ): Promise<AiTierNames[] | undefined> {
    const key = JSON.stringify([endpoint.baseUrl, endpoint.model, request])
    const hit = aiCache.get(key)
    if (hit && now() - hit.at < AI_CACHE_TTL_MS) return hit.names
    try {
      const names = await requestAiTierNames(endpoint, request, {
        timeoutMs: deps.aiTimeoutMs ?? AI_TIMEOUT_MS,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      })
      if (aiCache.size >= AI_CACHE_LIMIT) aiCache.clear()
      aiCache.set(key, { at: now(), names })
      return names
    } catch (error) {
      deps.onAiFallback?.((error as Error).message)
      return undefined
    }
  }

  function aiSettings(): AiSettingsView {
    let apiKeyConfigured = false
    try {
      apiKeyConfigured = deps.secrets.has('ai.apiKey')
    } catch {
      apiKeyConfigured = false
    }
    return {
      baseUrl: deps.settings.get('tiers.aiBaseUrl') ?? '',
      model: deps.settings.get('tiers.aiModel') ?? '',
      apiKeyConfigured,
    }
  }

  return {
    current,
    configView,
    themeLadder(themeId, currencyCode) {
      return ladderSet(
        resolveTheme(themeId, 'query.theme'),
        resolveCurrency(currencyCode, 'query.currency'),
      )
    },
    async suggest(input, fields = { prefix: 'body' }) {
      const p = fields.prefix
      const theme = resolveTheme(input.theme, `${p}.theme`)
      const currency = resolveCurrency(input.currency, `${p}.currency`)
      const min =
        input.minAmount === undefined
          ? undefined
          : boundToMinor(input.minAmount, currency.scale, 'up', `${p}.minAmount`)
      const max =
        input.maxAmount === undefined
          ? undefined
          : boundToMinor(input.maxAmount, currency.scale, 'down', `${p}.maxAmount`)
      if (max !== undefined && max <= 0n)
        throw new GamificationError(
          Code.EmptyRange,
          `${p}.maxAmount must be at least one ${currency.code} minor unit`,
          `${p}.maxAmount`,
        )
      if (min !== undefined && max !== undefined && min > max)
        throw new GamificationError(
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
      const endpoint = input.useAI ? aiEndpoint() : undefined
      if (endpoint && named.length > 0) {
        const set = toTierSet(theme.id, currency, named)
        const names = await aiNames(endpoint, {
          theme: theme.name,
          currency: currency.code,
          segment,
          amounts: set.tiers.map((tier) => String(tier.amount)),
        })
        if (names) {
          named = named.map((rung, index) => {
            const ai = names[index] as AiTierNames
            return {
              ...rung,
              id: `${theme.id}-ai-${index + 1}`,
              emoji: ai.emoji,
              name: ai.name,
              perk: ai.perk,
            }
          })
          source = 'ai'
        }
      }
      return { set: toTierSet(theme.id, currency, named), source }
    },
    pickTheme(themeId) {
      const theme = resolveTheme(themeId, 'body.theme')
      db.transaction(() => {
        clearCustom.run()
        saveConfig({ mode: 'theme', theme: theme.id })
      })()
      return changed()
    },
    replaceTiers(inputs, themeId) {
      const theme = themeId === undefined ? config().theme : resolveTheme(themeId, 'body.theme').id
      const currency = streamerCurrency()
      const rungs = withIds(
        inputs.map((input, index) => validateInput(input, `body.tiers.${index}`, currency)),
        'body.tiers',
      )
      return replaceAll(rungs, theme)
    },
    addTier(input, position) {
      const { rungs, theme } = editableRungs()
      const validated = validateInput(input, 'body', streamerCurrency())
      if (validated.id !== undefined && rungs.some((rung) => rung.id === validated.id))
        throw new GamificationError(
          Code.InvalidTiers,
          `body.id "${validated.id}" is already used`,
          'body.id',
        )
      const at =
        position === undefined ? rungs.length : Math.max(0, Math.min(position, rungs.length))
      const list: (Omit<NamedRung, 'id'> & { id?: string })[] = [...rungs]
      list.splice(at, 0, validated)
      return replaceAll(withIds(list, 'body.tiers'), theme)
    },
    updateTier(id, patch) {
      const { rungs, theme } = editableRungs()
      const index = rungs.findIndex((rung) => rung.id === id)
      if (index < 0)
        throw new GamificationError(Code.TierNotFound, `No tier with id "${id}"`, 'params.id')
      const existing = rungs[index] as NamedRung
      const currency = streamerCurrency()
      const merged = validateInput(
        {
          id,
          emoji: patch.emoji ?? existing.emoji,
          name: patch.name ?? existing.name,
          perk: patch.perk ?? existing.perk,
          amount: patch.amount ?? minorToDecimal(existing.amount, currency.scale),
        },
        'body',
        currency,
      )
      const list = [...rungs]
      list[index] = { ...merged, id }
      return replaceAll(list, theme)
    },
    removeTier(id) {
      const { rungs, theme } = editableRungs()
      if (!rungs.some((rung) => rung.id === id))
        throw new GamificationError(Code.TierNotFound, `No tier with id "${id}"`, 'params.id')
      if (rungs.length === 1)
        throw new GamificationError(
          Code.InvalidTiers,
          'The last tier cannot be removed; pick a theme instead',
          'params.id',
        )
      return replaceAll(
        rungs.filter((rung) => rung.id !== id),
        theme,
      )
    },
    reorder(ids) {
      const { rungs, theme } = editableRungs()
      const byId = new Map(rungs.map((rung) => [rung.id, rung]))
      if (
        ids.length !== rungs.length ||
        new Set(ids).size !== ids.length ||
        ids.some((id) => !byId.has(id))
      )
        throw new GamificationError(
          Code.InvalidTiers,
          `body.ids must list each of the ${rungs.length} tier ids exactly once`,
          'body.ids',
        )
      return replaceAll(
        ids.map((id) => byId.get(id) as NamedRung),
        theme,
      )
    },
    resetToTheme() {
      const cfg = config()
      db.transaction(() => {
        clearCustom.run()
        saveConfig({ mode: 'theme', theme: cfg.theme })
      })()
      return changed()
    },
    aiSettings,
    setAiSettings(input) {
      if (input.baseUrl !== undefined && input.baseUrl !== '') {
        let url: URL
        try {
          url = new URL(input.baseUrl)
        } catch {
          throw new GamificationError(
            Code.InvalidAiSettings,
            'body.baseUrl is not a URL',
            'body.baseUrl',
          )
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new GamificationError(
            Code.InvalidAiSettings,
            'body.baseUrl must be http or https',
            'body.baseUrl',
          )
      }
      if (input.baseUrl !== undefined) deps.settings.set('tiers.aiBaseUrl', input.baseUrl.trim())
      if (input.model !== undefined) deps.settings.set('tiers.aiModel', input.model.trim())
      if (input.apiKey === null) {
        if (deps.secrets.has('ai.apiKey')) deps.secrets.delete('ai.apiKey')
      } else if (input.apiKey !== undefined && input.apiKey !== '')
        deps.secrets.set('ai.apiKey', input.apiKey)
      aiCache.clear()
      return aiSettings()
    },
  }
}
