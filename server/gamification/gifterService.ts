import type { StreamerAsset } from '../app/infrastructure.js'
import { makeAmount, minorToDecimal } from '../contracts/money.js'
import { currencyForAsset } from '../tiers/currencies.js'
import { nearestPricePoint } from '../tiers/tierGenerator.js'
import type {
  GifterLevel,
  GifterPathConfig,
  GifterPathView,
  LevelUpEvent,
  SupporterProgress,
} from '../contracts/gamification.js'
import type { EventBus } from '../events/bus.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import {
  buildGifterLevels,
  DEFAULT_GIFTER_PATH,
  GifterPathConfigError,
  levelOf,
  levelProgress,
  validateGifterPath,
} from './gifterPath.js'
import type { SupporterIdentity } from './labels.js'

export interface GifterService {
  view(): GifterPathView
  configure(config: GifterPathConfig): GifterPathView
  levels(): GifterLevel[]
  /** Progress of one supporter by key (zero support gives level 0 progress). */
  progressForKey(supporterKey: string): SupporterProgress
  /** Progress by the opaque id API answers carry; undefined when this install never issued it. */
  progressForId(supporterId: string): SupporterProgress | undefined
  /** After a support event was recorded: announces a level-up once (bus 'supporter.levelUp'). */
  checkLevelUp(supportEventId: number): LevelUpEvent | undefined
}

export interface GifterDeps {
  db: Db
  bus: EventBus
  identity: SupporterIdentity
  settings: SettingsStore
  streamerAsset(): StreamerAsset
  now?(): number
}

export function createGifterService(deps: GifterDeps): GifterService {
  const { db, bus, identity } = deps
  const now = deps.now ?? Date.now
  const totals = db
    .prepare(
      `SELECT t.total_value, t.support_count, n.name FROM supporter_totals t
       LEFT JOIN supporter_names n ON n.supporter_key = t.supporter_key
       WHERE t.supporter_key = ? AND t.asset_code = ? AND t.asset_scale = ?`,
    )
    .safeIntegers(true)
  const nameOf = db.prepare('SELECT name FROM supporter_names WHERE supporter_key = ?')
  const eventById = db
    .prepare(
      'SELECT supporter_key, asset_code, asset_scale, amount_value, is_test FROM support_events WHERE id = ?',
    )
    .safeIntegers(true)
  const announced = db.prepare(
    'SELECT level FROM supporter_levels WHERE supporter_key = ? AND asset_code = ? AND asset_scale = ?',
  )
  const announce = db.prepare(
    `INSERT INTO supporter_levels (supporter_key, asset_code, asset_scale, level, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (supporter_key, asset_code, asset_scale) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`,
  )

  let cache: { key: string; levels: GifterLevel[] } | undefined

  /** Until the streamer sets one: the default path with level 1 at about €5 in the wallet's currency. */
  function defaultConfig(): GifterPathConfig {
    const asset = deps.streamerAsset()
    const currency = currencyForAsset(asset.assetCode, asset.assetScale)
    return {
      ...DEFAULT_GIFTER_PATH,
      baseThreshold: minorToDecimal(
        nearestPricePoint(currency, DEFAULT_GIFTER_PATH.baseThreshold),
        currency.scale,
      ),
    }
  }

  function config(): GifterPathConfig {
    return (deps.settings.get('gifterPath.config') as GifterPathConfig | null) ?? defaultConfig()
  }

  function levels(): GifterLevel[] {
    const asset = deps.streamerAsset()
    const cfg = config()
    const key = JSON.stringify([cfg, asset.assetCode, asset.assetScale])
    if (cache?.key === key) return cache.levels
    let usable = cfg
    try {
      usable = validateGifterPath(cfg, asset.assetScale)
    } catch {
      // Saved for another scale (the wallet changed, e.g. to JPY): fall back to the default path.
      usable = defaultConfig()
    }
    cache = { key, levels: buildGifterLevels(usable, asset.assetCode, asset.assetScale) }
    return cache.levels
  }

  function progress(supporterKey: string): SupporterProgress {
    const asset = deps.streamerAsset()
    const row = totals.get(supporterKey, asset.assetCode, asset.assetScale) as
      { total_value: bigint; support_count: bigint; name: string | null } | undefined
    const total = row?.total_value ?? 0n
    const name =
      row?.name ??
      (row
        ? null
        : ((nameOf.get(supporterKey) as { name: string | null } | undefined)?.name ?? null))
    const label = identity.label(supporterKey)
    const result = levelProgress(levels(), total)
    return {
      supporterId: identity.publicId(supporterKey),
      label,
      displayName: name ?? label,
      total: makeAmount(total, asset.assetCode, asset.assetScale),
      supportCount: Number(row?.support_count ?? 0n),
      currentLevel: result.currentLevel,
      nextLevel: result.nextLevel,
      fraction: result.fraction,
      remaining:
        result.remaining === null
          ? null
          : makeAmount(result.remaining, asset.assetCode, asset.assetScale),
      unlocked: result.unlocked,
    }
  }

  return {
    view() {
      return { config: config(), levels: levels() }
    },
    configure(input) {
      const asset = deps.streamerAsset()
      let valid: GifterPathConfig
      try {
        valid = validateGifterPath(input, asset.assetScale)
      } catch (error) {
        if (error instanceof GifterPathConfigError)
          throw new GamificationError(
            Code.InvalidGifterPath,
            `body.${error.message}`,
            `body.${error.field}`,
          )
        throw error
      }
      deps.settings.set('gifterPath.config', valid)
      cache = undefined
      return { config: valid, levels: levels() }
    },
    levels,
    progressForKey: progress,
    progressForId(supporterId) {
      const key = identity.resolve(supporterId)
      return key === undefined ? undefined : progress(key)
    },
    checkLevelUp(supportEventId) {
      const event = eventById.get(supportEventId) as
        | {
            supporter_key: string | null
            asset_code: string
            asset_scale: bigint
            amount_value: bigint
            is_test: bigint
          }
        | undefined
      const asset = deps.streamerAsset()
      if (!event || event.supporter_key === null || event.is_test !== 0n) return undefined
      if (event.asset_code !== asset.assetCode || Number(event.asset_scale) !== asset.assetScale)
        return undefined
      const key = event.supporter_key
      const ladder = levels()
      const current = progress(key)
      const reached = current.currentLevel?.level ?? 0
      const stored = announced.get(key, asset.assetCode, asset.assetScale) as
        { level: number } | undefined
      // Without a stored level (first event since this feature), the level before this event counts.
      const previous =
        stored?.level ?? levelOf(ladder, BigInt(current.total.value) - event.amount_value)
      if (reached <= previous) {
        if (!stored || stored.level !== reached)
          announce.run(key, asset.assetCode, asset.assetScale, reached, now())
        return undefined
      }
      announce.run(key, asset.assetCode, asset.assetScale, reached, now())
      const levelUp: LevelUpEvent = {
        supporterId: current.supporterId,
        label: current.label,
        displayName: current.displayName,
        previousLevel: previous,
        level: current.currentLevel as GifterLevel,
        total: current.total,
        at: new Date(now()).toISOString(),
      }
      bus.emit('supporter.levelUp', levelUp)
      return levelUp
    },
  }
}
