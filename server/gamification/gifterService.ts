import type { Asset } from '../contracts/common.js'
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
import type { SupportEventRepository } from '../support/supportRepository.js'
import type { SupporterRepository } from '../support/supporterRepository.js'
import type { SupporterIdentity } from '../support/supporters.js'
import type { GifterRepository } from './gifterRepository.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import {
  buildGifterLevels,
  DEFAULT_GIFTER_PATH,
  GifterPathConfigError,
  levelOf,
  levelProgress,
  validateGifterPath,
} from './gifterPath.js'

export interface GifterService {
  view(): GifterPathView
  configure(config: GifterPathConfig): GifterPathView
  levels(): GifterLevel[]
  /** Progress of one supporter (server/support/supporters.ts; zero support gives level 0 progress). */
  progressForKey(supporterKey: string): SupporterProgress
  /** Progress by the opaque id API answers carry; undefined when this install never issued it. */
  progressForId(supporterId: string): SupporterProgress | undefined
  /**
   * After a support event was recorded: announces a level-up once (bus 'supporter.levelUp'), to a
   * supporter known by a key.
   */
  checkLevelUp(supportEventId: number): LevelUpEvent | undefined
}

export interface GifterDeps {
  bus: EventBus
  identity: SupporterIdentity
  /** The ledger's per-supporter figures. */
  supporters: Pick<SupporterRepository, 'standing'>
  /** The ledger's events: which supporter and amount a recorded event counts for. */
  events: Pick<SupportEventRepository, 'findCounted'>
  levels: GifterRepository
  settings: SettingsStore
  streamerAsset(): Asset
  now?(): number
}

export function createGifterService(deps: GifterDeps): GifterService {
  const { bus, identity } = deps
  const now = deps.now ?? Date.now

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
    const standing = deps.supporters.standing(supporterKey, asset)
    const total = standing.total
    const result = levelProgress(levels(), total)
    return {
      supporterId: identity.publicId(supporterKey),
      label: identity.label(supporterKey),
      displayName: identity.shownName(supporterKey, standing.chosenName),
      total: makeAmount(total, asset.assetCode, asset.assetScale),
      supportCount: standing.count,
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
      const event = deps.events.findCounted(supportEventId)
      const asset = deps.streamerAsset()
      // A level-up names the supporter on stream: only one known by a key earns it, since anyone
      // can type a name (supporters.ts).
      if (!event || event.supporterId === null || !event.keyed || event.isTest) return undefined
      if (event.assetCode !== asset.assetCode || event.assetScale !== asset.assetScale)
        return undefined
      const key = event.supporterId
      const ladder = levels()
      const current = progress(key)
      const reached = current.currentLevel?.level ?? 0
      const stored = deps.levels.announced(key, asset)
      // Without a stored level (first event since this feature), the level before this event counts.
      const previous = stored ?? levelOf(ladder, BigInt(current.total.value) - event.amountValue)
      if (reached <= previous) {
        if (stored !== reached) deps.levels.announce(key, asset, reached, now())
        return undefined
      }
      deps.levels.announce(key, asset, reached, now())
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
