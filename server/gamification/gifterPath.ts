import { decimalToMinor, makeAmount, minorToDecimal, minorToNumber } from '../contracts/money.js'
import type {
  GifterColors,
  GifterIcons,
  GifterLevel,
  GifterNaming,
  GifterPathConfig,
} from '../contracts/gamification.js'

export const MIN_LEVELS = 3
export const MAX_LEVELS = 50

export const DEFAULT_GIFTER_PATH: GifterPathConfig = {
  levelCount: 10,
  baseThreshold: '5',
  growthFactor: '1.6',
  naming: 'ranks',
  icons: 'badges',
  colors: 'vibrant',
}

export class GifterPathConfigError extends Error {
  override name = 'GifterPathConfigError'
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

const NAMES: Record<Exclude<GifterNaming, 'custom'>, readonly string[]> = {
  ranks: [
    'Recruit',
    'Private',
    'Corporal',
    'Sergeant',
    'Lieutenant',
    'Captain',
    'Major',
    'Colonel',
    'General',
    'Marshal',
  ],
  fantasy: [
    'Villager',
    'Squire',
    'Ranger',
    'Knight',
    'Mage',
    'Paladin',
    'Archmage',
    'Dragon Rider',
    'Demigod',
    'Legend',
  ],
  'sci-fi': [
    'Cadet',
    'Pilot',
    'Navigator',
    'Engineer',
    'Commander',
    'Captain',
    'Commodore',
    'Admiral',
    'Star Lord',
    'Cosmic Entity',
  ],
}

const ICONS: Record<GifterIcons, readonly string[]> = {
  minimal: ['·', '•', '◦', '▪', '◆', '▲', '★', '✦', '✧', '✪'],
  emoji: ['🌱', '🌿', '🍀', '🌸', '🌟', '🔥', '⚡', '💫', '🌈', '👑'],
  badges: ['🥉', '🥈', '🥇', '🏅', '🎖️', '🏆', '💎', '👑', '🌟', '🔱'],
}

const PALETTES: Record<GifterColors, readonly string[]> = {
  pastel: [
    '#cdeac0',
    '#b5e2fa',
    '#f9dcc4',
    '#fec5bb',
    '#e2ece9',
    '#d0bdf4',
    '#ffd6e0',
    '#fff1a8',
    '#c7ceea',
    '#ffdac1',
  ],
  vibrant: [
    '#2ecc71',
    '#1abc9c',
    '#3498db',
    '#9b59b6',
    '#e91e63',
    '#e67e22',
    '#f1c40f',
    '#e74c3c',
    '#00bcd4',
    '#ff5722',
  ],
  dark: [
    '#1b4332',
    '#14213d',
    '#3c096c',
    '#5a189a',
    '#6a040f',
    '#370617',
    '#283618',
    '#264653',
    '#432818',
    '#22223b',
  ],
}

const ROMAN: [number, string][] = [
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
]

function roman(value: number): string {
  let rest = value
  let out = ''
  for (const [size, letters] of ROMAN) {
    while (rest >= size) {
      out += letters
      rest -= size
    }
  }
  return out
}

/** Spreads a list of names over `count` levels: "Sergeant", "Sergeant II", ... when levels outnumber names. */
function spreadNames(names: readonly string[], count: number): string[] {
  const out: string[] = []
  const seen = new Map<string, number>()
  for (let level = 0; level < count; level += 1) {
    // Fewer levels than names: spread them so the top level gets the top name.
    const index =
      count <= names.length
        ? Math.round((level * (names.length - 1)) / (count - 1))
        : Math.floor((level * names.length) / count)
    const base = names[index] as string
    const nth = (seen.get(base) ?? 0) + 1
    seen.set(base, nth)
    out.push(nth === 1 ? base : `${base} ${roman(nth)}`)
  }
  return out
}

function pick<T>(list: readonly T[], level: number, count: number): T {
  return list[Math.floor((level * list.length) / count)] as T
}

const GROWTH_SCALE = 4

/** Checks a config and returns it normalised; throws GifterPathConfigError naming the field. */
export function validateGifterPath(config: GifterPathConfig, assetScale: number): GifterPathConfig {
  if (
    !Number.isInteger(config.levelCount) ||
    config.levelCount < MIN_LEVELS ||
    config.levelCount > MAX_LEVELS
  )
    throw new GifterPathConfigError(
      'levelCount',
      `levelCount must be an integer from ${MIN_LEVELS} to ${MAX_LEVELS}`,
    )
  let base: bigint
  try {
    base = decimalToMinor(config.baseThreshold, assetScale)
  } catch (error) {
    throw new GifterPathConfigError('baseThreshold', `baseThreshold: ${(error as Error).message}`)
  }
  if (base <= 0n)
    throw new GifterPathConfigError('baseThreshold', 'baseThreshold must be more than zero')
  let growth: bigint
  try {
    growth = decimalToMinor(config.growthFactor, GROWTH_SCALE)
  } catch (error) {
    throw new GifterPathConfigError('growthFactor', `growthFactor: ${(error as Error).message}`)
  }
  if (growth <= 10n ** BigInt(GROWTH_SCALE) || growth > 10n * 10n ** BigInt(GROWTH_SCALE))
    throw new GifterPathConfigError(
      'growthFactor',
      'growthFactor must be more than 1 and at most 10',
    )
  if (config.naming === 'custom') {
    const names = config.customNames ?? []
    if (names.length > config.levelCount)
      throw new GifterPathConfigError(
        'customNames',
        `customNames has more names than levelCount (${config.levelCount})`,
      )
    if (names.some((name) => typeof name !== 'string' || name.trim() === '' || name.length > 40))
      throw new GifterPathConfigError(
        'customNames',
        'customNames must be non-empty names of at most 40 characters',
      )
  }
  return {
    levelCount: config.levelCount,
    baseThreshold: minorToDecimal(base, assetScale),
    growthFactor: minorToDecimal(growth, GROWTH_SCALE).replace(/\.?0+$/, ''),
    naming: config.naming,
    icons: config.icons,
    colors: config.colors,
    ...(config.naming === 'custom'
      ? { customNames: (config.customNames ?? []).map((name) => name.trim()) }
      : {}),
  }
}

/**
 * Thresholds in exact minor units: level 1 at the base, each next one the previous times the growth
 * factor, rounded half up to a minor unit and always at least one minor unit above the previous level.
 */
export function gifterThresholds(config: GifterPathConfig, assetScale: number): bigint[] {
  const base = decimalToMinor(config.baseThreshold, assetScale)
  const growth = decimalToMinor(config.growthFactor, GROWTH_SCALE)
  const unit = 10n ** BigInt(GROWTH_SCALE)
  const thresholds: bigint[] = []
  // Exact value base × growth^i / unit^i, kept as a numerator over unit^i and rounded only for output.
  let numerator = base
  let denominator = 1n
  for (let level = 0; level < config.levelCount; level += 1) {
    const rounded = (numerator * 2n + denominator) / (denominator * 2n)
    const previous = thresholds[thresholds.length - 1]
    thresholds.push(previous !== undefined && rounded <= previous ? previous + 1n : rounded)
    numerator *= growth
    denominator *= unit
  }
  return thresholds
}

export function buildGifterLevels(
  config: GifterPathConfig,
  assetCode: string,
  assetScale: number,
): GifterLevel[] {
  const thresholds = gifterThresholds(config, assetScale)
  const count = config.levelCount
  const names =
    config.naming === 'custom'
      ? Array.from({ length: count }, (_, i) => config.customNames?.[i] ?? `Level ${i + 1}`)
      : spreadNames(NAMES[config.naming], count)
  return thresholds.map((threshold, i) => ({
    level: i + 1,
    name: names[i] as string,
    icon:
      config.icons === 'minimal' && count > ICONS.minimal.length
        ? String(i + 1)
        : pick(ICONS[config.icons], i, count),
    color: pick(PALETTES[config.colors], i, count),
    threshold: makeAmount(threshold, assetCode, assetScale),
    thresholdAmount: minorToNumber(threshold, assetScale),
  }))
}

export interface LevelProgress {
  currentLevel: GifterLevel | null
  nextLevel: GifterLevel | null
  fraction: number
  remaining: bigint | null
  unlocked: number[]
}

/** Where a cumulative total stands on the ladder; a total equal to a threshold has reached that level. */
export function levelProgress(levels: readonly GifterLevel[], total: bigint): LevelProgress {
  let reached = 0
  for (const level of levels) {
    if (total >= BigInt(level.threshold.value)) reached = level.level
    else break
  }
  const currentLevel = reached > 0 ? (levels[reached - 1] as GifterLevel) : null
  const nextLevel = levels[reached] ?? null
  if (!nextLevel) {
    return {
      currentLevel,
      nextLevel: null,
      fraction: 1,
      remaining: null,
      unlocked: levels.map((level) => level.level),
    }
  }
  const from = currentLevel ? BigInt(currentLevel.threshold.value) : 0n
  const to = BigInt(nextLevel.threshold.value)
  const done = total - from
  // Parts per million in bigint, then one division: no float drift however large the amounts.
  const fraction = Number((done * 1_000_000n) / (to - from)) / 1_000_000
  return {
    currentLevel,
    nextLevel,
    fraction,
    remaining: to - total,
    unlocked: Array.from({ length: reached }, (_, i) => i + 1),
  }
}

export function levelOf(levels: readonly GifterLevel[], total: bigint): number {
  let reached = 0
  for (const level of levels) {
    if (total >= BigInt(level.threshold.value)) reached = level.level
    else break
  }
  return reached
}
