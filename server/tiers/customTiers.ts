import type { TierConfigView, TierInput, TierPatch, TipTheme } from '../contracts/tiers.js'
import { decimalToMinor, minorToDecimal, MoneyFormatError } from '../contracts/money.js'
import type { CurrencySpec } from './currencies.js'
import type { CurrentTiers } from './currentTiers.js'
import { TierError, TierErrorCode as Code } from './errors.js'
import type { NamedRung } from './tierGenerator.js'
import type { TierServiceDeps } from './tierService.js'

/** The editing half of the tier service: every change saves the whole list, then announces it. */
export interface CustomTiers {
  pickTheme(theme: string): TierConfigView
  replaceTiers(inputs: readonly TierInput[], theme?: string): TierConfigView
  addTier(input: TierInput, position?: number): TierConfigView
  updateTier(id: string, patch: TierPatch): TierConfigView
  removeTier(id: string): TierConfigView
  reorder(ids: readonly string[]): TierConfigView
  resetToTheme(): TierConfigView
}

type DraftRung = Omit<NamedRung, 'id'> & { id?: string }

const MAX_TIERS = 20
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

/** The tip API's bounds a tier amount must fall in, at the currency's scale. */
export interface TierAmountLimits {
  minAmount: bigint
  maxAmount: bigint
}

/** Validates one streamer-entered tier; `field` names it in errors ("body.tiers.2"). */
function validateInput(
  input: TierInput,
  field: string,
  currency: CurrencySpec,
  limits: TierAmountLimits,
): DraftRung {
  let amount: bigint
  try {
    amount = decimalToMinor(input.amount, currency.scale)
  } catch (error) {
    if (error instanceof MoneyFormatError)
      throw new TierError(
        Code.InvalidAmount,
        `${field}.amount: ${error.message}`,
        `${field}.amount`,
      )
    throw error
  }
  if (amount <= 0n)
    throw new TierError(
      Code.InvalidAmount,
      `${field}.amount must be more than zero`,
      `${field}.amount`,
    )
  if (amount < limits.minAmount || amount > limits.maxAmount) {
    const shown = (value: bigint) => `${minorToDecimal(value, currency.scale)} ${currency.code}`
    throw new TierError(
      Code.InvalidAmount,
      `${field}.amount must be between the smallest tip (${shown(limits.minAmount)}) and the largest (${shown(limits.maxAmount)}): viewers could never pay ${shown(amount)}. Change the amount, or the tip limits in Settings.`,
      `${field}.amount`,
    )
  }
  const name = cleanLine(input.name, 40)
  if (!name)
    throw new TierError(Code.InvalidTiers, `${field}.name must not be empty`, `${field}.name`)
  const emoji = cleanLine(input.emoji, 16)
  if (!emoji)
    throw new TierError(Code.InvalidTiers, `${field}.emoji must not be empty`, `${field}.emoji`)
  if (input.id !== undefined && !ID_PATTERN.test(input.id))
    throw new TierError(
      Code.InvalidTiers,
      `${field}.id must be lower-case letters, digits and dashes (at most 48)`,
      `${field}.id`,
    )
  return { id: input.id, emoji, name, perk: cleanLine(input.perk, 120), amount }
}

/** Assigns ids: kept when given and unique, else derived from the name. */
function withIds(rungs: readonly DraftRung[], field: string): NamedRung[] {
  const used = new Set<string>()
  rungs.forEach((rung, index) => {
    if (rung.id === undefined) return
    if (used.has(rung.id))
      throw new TierError(
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

function notFound(id: string): TierError {
  return new TierError(Code.TierNotFound, `No tier with id "${id}"`, 'params.id')
}

export function createCustomTiers(
  deps: Pick<TierServiceDeps, 'db' | 'repository' | 'streamerAsset' | 'tipLimits'>,
  tiers: CurrentTiers,
): CustomTiers {
  const limits = () => deps.tipLimits(deps.streamerAsset())
  /** The list and the choice of "custom" change together, or not at all. */
  function store(rungs: readonly NamedRung[], theme: TipTheme): void {
    deps.db.transaction(() => {
      deps.repository.replace(rungs, theme, deps.streamerAsset())
      tiers.saveChoice({ mode: 'custom', theme })
    })()
  }

  function backToTheme(theme: TipTheme): TierConfigView {
    deps.db.transaction(() => {
      deps.repository.clear()
      tiers.saveChoice({ mode: 'theme', theme })
    })()
    return tiers.changed()
  }

  function replaceAll(rungs: NamedRung[], theme: TipTheme): TierConfigView {
    if (rungs.length === 0)
      throw new TierError(Code.InvalidTiers, 'body.tiers must hold at least one tier', 'body.tiers')
    if (rungs.length > MAX_TIERS)
      throw new TierError(
        Code.InvalidTiers,
        `body.tiers holds more than ${MAX_TIERS} tiers`,
        'body.tiers',
      )
    store(rungs, theme)
    return tiers.changed()
  }

  return {
    pickTheme(themeId) {
      return backToTheme(tiers.resolveTheme(themeId, 'body.theme').id)
    },
    replaceTiers(inputs, themeId) {
      const theme =
        themeId === undefined ? tiers.choice().theme : tiers.resolveTheme(themeId, 'body.theme').id
      const currency = tiers.streamerCurrency()
      const rungs = withIds(
        inputs.map((input, index) =>
          validateInput(input, `body.tiers.${index}`, currency, limits()),
        ),
        'body.tiers',
      )
      return replaceAll(rungs, theme)
    },
    addTier(input, position) {
      const { rungs, theme } = tiers.editableRungs()
      const validated = validateInput(input, 'body', tiers.streamerCurrency(), limits())
      if (validated.id !== undefined && rungs.some((rung) => rung.id === validated.id))
        throw new TierError(
          Code.InvalidTiers,
          `body.id "${validated.id}" is already used`,
          'body.id',
        )
      const at =
        position === undefined ? rungs.length : Math.max(0, Math.min(position, rungs.length))
      const list: DraftRung[] = [...rungs]
      list.splice(at, 0, validated)
      return replaceAll(withIds(list, 'body.tiers'), theme)
    },
    updateTier(id, patch) {
      const { rungs, theme } = tiers.editableRungs()
      const index = rungs.findIndex((rung) => rung.id === id)
      if (index < 0) throw notFound(id)
      const existing = rungs[index] as NamedRung
      const currency = tiers.streamerCurrency()
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
        limits(),
      )
      const list = [...rungs]
      list[index] = { ...merged, id }
      return replaceAll(list, theme)
    },
    removeTier(id) {
      const { rungs, theme } = tiers.editableRungs()
      if (!rungs.some((rung) => rung.id === id)) throw notFound(id)
      if (rungs.length === 1)
        throw new TierError(
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
      const { rungs, theme } = tiers.editableRungs()
      const byId = new Map(rungs.map((rung) => [rung.id, rung]))
      if (
        ids.length !== rungs.length ||
        new Set(ids).size !== ids.length ||
        ids.some((id) => !byId.has(id))
      )
        throw new TierError(
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
      return backToTheme(tiers.choice().theme)
    },
  }
}
