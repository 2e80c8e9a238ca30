/**
 * Types of the gamification API (issue 5): tip tier themes, the gifter path, leaderboards and goals.
 * Shared by the server's route schemas and the renderer (type-only import).
 */
import type { Amount } from './money.js'
import type { TipTier, TipTierSet } from './tiers.js'

export type { TipTier, TipTierSet }

export type TipTheme =
  | 'fun'
  | 'fantasy'
  | 'sci-fi'
  | 'gaming'
  | 'retro'
  | 'space'
  | 'nature'
  | 'food'
  | 'music'
  | 'crypto'

export type ViewerSegment =
  'all-viewers' | 'new-viewers' | 'returning-supporters' | 'top-supporters'

/** The seed's `POST /tips` body (public listener). Amounts are decimals in `currency`. */
export interface TipSuggestionRequest {
  streamId?: string
  viewerSegment?: ViewerSegment
  theme: TipTheme
  currency: string
  minAmount: number | string
  maxAmount: number | string
  useAI?: boolean
  /** A returning viewer's wallet address, to start the ladder near their usual tip. */
  viewerWallet?: string
}

export interface CurrencyInfo {
  code: string
  scale: number
  name: string
}

export interface ThemeInfo {
  id: TipTheme
  name: string
  emoji: string
}

/** The streamer's tiers as the Settings page edits them. */
export interface TierConfigView {
  /** 'theme': the built-in ladder of `theme`; 'custom': the streamer's edited list. */
  mode: 'theme' | 'custom'
  theme: TipTheme
  currency: string
  assetScale: number
  tiers: TipTier[]
  themes: ThemeInfo[]
  currencies: CurrencyInfo[]
  /** Custom tiers were saved in another currency than the wallet's: the theme ladder is shown instead. */
  customCurrencyMismatch: boolean
}

export interface TierInput {
  id?: string
  emoji: string
  name: string
  perk: string
  /** Decimal amount in the streamer's currency. */
  amount: number | string
}

export interface AiSettingsView {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama); empty = off. */
  baseUrl: string
  model: string
  apiKeyConfigured: boolean
}

export type GifterNaming = 'ranks' | 'fantasy' | 'sci-fi' | 'custom'
export type GifterIcons = 'minimal' | 'emoji' | 'badges'
export type GifterColors = 'pastel' | 'vibrant' | 'dark'

export interface GifterPathConfig {
  /** 3 to 50. */
  levelCount: number
  /** Decimal amount in the streamer's currency for level 1. */
  baseThreshold: string
  /** Each level's threshold is the previous one times this (decimal, > 1, at most 4 decimals). */
  growthFactor: string
  naming: GifterNaming
  icons: GifterIcons
  colors: GifterColors
  /** With naming 'custom': one name per level (missing ones become "Level N"). */
  customNames?: string[]
}

export interface GifterLevel {
  /** 1-based. */
  level: number
  name: string
  icon: string
  color: string
  threshold: Amount
  /** The threshold as a decimal number (display only). */
  thresholdAmount: number
}

export interface GifterPathView {
  config: GifterPathConfig
  levels: GifterLevel[]
}

export interface SupporterProgress {
  /** Opaque, stable id (not the wallet). */
  supporterId: string
  /** Stable anonymous label, e.g. "Brave Otter 417". */
  label: string
  /** The latest chosen name, else the label. */
  displayName: string
  total: Amount
  supportCount: number
  /** Null below level 1. */
  currentLevel: GifterLevel | null
  /** Null at the top level. */
  nextLevel: GifterLevel | null
  /** 0..1 from the current level's threshold to the next one's (1 at the top). */
  fraction: number
  /** Still needed for the next level; null at the top. */
  remaining: Amount | null
  /** Levels reached, 1-based. */
  unlocked: number[]
}

export type LeaderboardWindow = 'stream' | '7d' | '30d' | 'all'
export type LeaderboardMetric = 'total' | 'count'

export interface LeaderboardEntry {
  /** 1-based position; ties are broken by who reached the figure first, then by id. */
  rank: number
  supporterId: string
  displayName: string
  label: string
  total: Amount
  supportCount: number
  lastSupportAt: string
}

export interface LeaderboardView {
  window: LeaderboardWindow
  by: LeaderboardMetric
  /** The stream for window 'stream' (null when nothing is live). */
  streamId: string | null
  assetCode: string
  assetScale: number
  /** First moment counted for '7d' and '30d' (start of a UTC day). */
  since: string | null
  entries: LeaderboardEntry[]
}

export interface GoalInput {
  title: string
  /** Decimal amount in the streamer's currency. */
  target: number | string
  /** ISO time; defaults to now. */
  startsAt?: string
  endsAt?: string | null
}

export interface GoalView {
  id: string
  title: string
  target: Amount
  raised: Amount
  /** 0..1, capped at 1. */
  fraction: number
  supportCount: number
  startsAt: string
  endsAt: string | null
  reached: boolean
  reachedAt: string | null
}

export interface LevelUpEvent {
  supporterId: string
  label: string
  displayName: string
  previousLevel: number
  level: GifterLevel
  total: Amount
  at: string
}
