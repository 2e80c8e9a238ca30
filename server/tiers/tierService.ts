import type { Asset } from '../contracts/common.js'
import type {
  AiSettingsPatch,
  AiSettingsView,
  SuggestBody,
  SuggestionSource,
  TierConfigView,
  TierInput,
  TierPatch,
  TipTierSet,
} from '../contracts/tiers.js'
import type { EventBus } from '../events/bus.js'
import type { SecretStore } from '../settings/secrets.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import { createAiNames } from './aiNames.js'
import { createCurrentTiers } from './currentTiers.js'
import { createCustomTiers } from './customTiers.js'
import { createSuggestions } from './suggestions.js'
import type { TierRepository } from './tierRepository.js'

/**
 * Per-supporter figures the suggestions start from, in one asset: the sum of a supporter's (or a
 * group's) support and how many times they supported. Implemented by the support ledger.
 */
export interface SupporterStats {
  /** One supporter by key (wallet address); zero and 0 when they never supported in `asset`. */
  viewer(supporterKey: string, asset: Asset): { total: bigint; count: number }
  /** Every supporter who supported at least twice. */
  returning(asset: Asset): { total: bigint; count: number }
  /** The `limit` largest supporters by total (ties: who got there first, then key). */
  top(asset: Asset, limit: number): { total: bigint; count: number }
}

export interface TierServiceDeps {
  /** For transactions that span the tier list and the tier settings. */
  db: Db
  bus: EventBus
  settings: SettingsStore
  secrets: SecretStore
  repository: TierRepository
  supporterStats: SupporterStats
  streamerAsset(): Asset
  /**
   * The tip API's smallest and largest tip at the asset's scale (server/tips/tipSettingsService.ts):
   * a tier outside them could never be paid, so it is refused when saved.
   */
  tipLimits(asset: Asset): { minAmount: bigint; maxAmount: bigint }
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch
  aiTimeoutMs?: number
  /**
   * Model calls allowed whoever asks (a cost limit independent of the client, on top of the
   * per-client rate limit): per minute and per day; defaults 20 and 500.
   */
  aiCallsPerMinute?: number
  aiCallsPerDay?: number
  /** Where a failed AI call is reported (the user never sees it: the built-in ladder answers). */
  onAiFallback?(reason: string): void
  now?(): number
}

/** A suggestion request: the seed's body, plus the wallet of the viewer's own session when known. */
export type SuggestionInput = SuggestBody & { viewerWallet?: string }

export interface Suggestion {
  set: TipTierSet
  source: SuggestionSource
}

export interface TierService {
  /** The tiers the tip page and the tip-tiers overlay show. */
  current(): TipTierSet
  configView(): TierConfigView
  /** The streamer's tiers, or the ladder of another theme or currency when the query names one. */
  tiersFor(query: { theme?: string; currency?: string }): TipTierSet
  /** `fields.prefix` names the request part in errors ("body", "query"). */
  suggest(input: SuggestionInput, fields?: { prefix: string }): Promise<Suggestion>
  pickTheme(theme: string): TierConfigView
  replaceTiers(inputs: readonly TierInput[], theme?: string): TierConfigView
  addTier(input: TierInput, position?: number): TierConfigView
  updateTier(id: string, patch: TierPatch): TierConfigView
  removeTier(id: string): TierConfigView
  reorder(ids: readonly string[]): TierConfigView
  resetToTheme(): TierConfigView
  aiSettings(): AiSettingsView
  setAiSettings(input: AiSettingsPatch): AiSettingsView
}

/**
 * Tip tiers: the streamer's current tiers (a theme's ladder or their own list), their editing, and
 * suggestions (built-in ladders, named by a model when one is configured).
 */
export function createTierService(deps: TierServiceDeps): TierService {
  const tiers = createCurrentTiers(deps)
  const custom = createCustomTiers(deps, tiers)
  const ai = createAiNames(deps)
  const suggestions = createSuggestions(deps, tiers, ai)
  return {
    current: tiers.current,
    configView: tiers.configView,
    tiersFor: suggestions.tiersFor,
    suggest: suggestions.suggest,
    pickTheme: custom.pickTheme,
    replaceTiers: custom.replaceTiers,
    addTier: custom.addTier,
    updateTier: custom.updateTier,
    removeTier: custom.removeTier,
    reorder: custom.reorder,
    resetToTheme: custom.resetToTheme,
    aiSettings: ai.settings,
    setAiSettings: ai.setSettings,
  }
}
