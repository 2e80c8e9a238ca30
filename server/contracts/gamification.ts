/**
 * Types of the gamification API: the gifter path, leaderboards and goals (tip tiers are in
 * ./tiers.ts). Shared by the server's route schemas and the renderer (type-only import).
 */
import type { Amount } from './money.js'

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
