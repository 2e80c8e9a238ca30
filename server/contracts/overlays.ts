/**
 * Types of the OBS overlays and the alert queue (DESIGN §8), shared by the server's route schemas, the
 * overlay pages (via JSDoc) and the renderer's client (type-only import).
 */

/** Every overlay page the app serves; each is a URL with the overlay key to paste into OBS. */
export type OverlayId = 'alerts' | 'tiers' | 'goal' | 'leaderboard' | 'ticker' | 'levelup'

export const OVERLAY_IDS: readonly OverlayId[] = [
  'alerts',
  'tiers',
  'goal',
  'leaderboard',
  'ticker',
  'levelup',
]

export interface OverlayLinkView {
  id: OverlayId
  title: string
  /** The URL with the overlay key: what the streamer pastes into an OBS browser source. */
  url: string
  /** Suggested browser-source size; every overlay also lays out at 800×600. */
  width: number
  height: number
  /** Overlay pages of this kind connected right now. */
  connected: number
}

export interface OverlayLinksResponse {
  overlays: OverlayLinkView[]
  connections: OverlayConnections
}

export interface OverlayConnections {
  total: number
  byOverlay: Record<OverlayId, number>
}

/** Lifecycle of one alert. `held` waits for the streamer (moderation or a blocked word). */
export type AlertState = 'held' | 'queued' | 'showing' | 'shown' | 'skipped' | 'rejected'

export type AlertSource = 'tip' | 'test' | 'web-monetization' | 'replay'

export type AlertAnimation = 'pop' | 'fade' | 'slide' | 'bounce' | 'none'

/** How a variant is picked; `exactly` beats `largestThisStream`, which beats the highest `atLeast`. */
export type VariantRule =
  | { type: 'default' }
  | { type: 'atLeast'; amount: string }
  | { type: 'exactly'; amount: string }
  | { type: 'largestThisStream' }

export interface AlertVariant {
  id: string
  name: string
  enabled: boolean
  rule: VariantRule
  /** Placeholders: {name}, {amount}, {tier}. Rendered as text, never HTML. */
  template: string
  emoji: string | null
  /** A same-origin path or a data:image URL (the overlay CSP blocks anything else). */
  imageUrl: string | null
  /** A bundled sound id (see `ALERT_SOUNDS`) or null for silence. */
  sound: string | null
  /** 0 to 1. */
  volume: number
  animation: AlertAnimation
  /** Overrides the queue's duration for this variant. */
  durationMs: number | null
}

export type BlockedWordAction = 'mask' | 'drop' | 'hold'

export interface AlertSettings {
  /** How long one alert stays on screen; 0 keeps it until the next one (test mode). */
  durationMs: number
  /** Pause between two alerts. */
  gapMs: number
  /** Decimal amount in the streamer's currency: smaller support shows no alert. */
  minAmountToAlert: string
  /** Decimal amount: smaller support shows the alert without the viewer's message. */
  minAmountForMessage: string
  /** Alert on verified Web Monetization payments (they can be frequent and tiny). */
  webMonetizationAlerts: boolean
  blockedWords: string[]
  blockedWordAction: BlockedWordAction
  /** Alerts wait for approval in the dashboard. */
  moderationEnabled: boolean
  /** With moderation on: approve by itself after this many seconds (null: wait for the streamer). */
  autoApproveSeconds: number | null
}

/** One part of an alert's headline: the overlay renders each as a text node. */
export interface AlertTextPart {
  kind: 'text' | 'name' | 'amount' | 'tier'
  text: string
}

/** What an alert overlay receives: everything is already chosen and cleaned by the server. */
export interface OverlayAlert {
  id: number
  variantId: string | null
  headline: AlertTextPart[]
  name: string
  amountText: string
  message: string | null
  emoji: string | null
  imageUrl: string | null
  /** Path of the sound file (the page appends the key) or null. */
  soundUrl: string | null
  volume: number
  animation: AlertAnimation
  durationMs: number
  isTest: boolean
}

/** An alert as the dashboard sees it. */
export interface AlertView {
  id: number
  supportEventId: number
  source: AlertSource
  state: AlertState
  /** Why it is held, skipped or rejected: 'moderation', 'blocked_words', 'below_minimum', ... */
  reason: string | null
  replayOf: number | null
  isTest: boolean
  createdAt: string
  shownAt: string | null
  autoApproveAt: string | null
  alert: OverlayAlert
}

export interface AlertQueueResponse {
  paused: boolean
  current: AlertView | null
  queued: AlertView[]
  held: AlertView[]
  recent: AlertView[]
}

export interface GoalSettings {
  title: string
  /** Decimal amount in the streamer's currency. */
  target: string
  /** ISO time from which support counts. */
  startAt: string
}

export type LeaderboardWindow = 'stream' | '24h' | '7d' | '30d' | 'all'

export interface LeaderboardSettings {
  title: string
  window: LeaderboardWindow
  size: number
}

export interface TickerSettings {
  title: string
  size: number
}

export interface OverlayDisplaySettings {
  goal: GoalSettings
  leaderboard: LeaderboardSettings
  ticker: TickerSettings
}

export interface GoalData {
  title: string
  currentText: string
  targetText: string
  /** 0 to 1. */
  fraction: number
}

export interface LeaderboardData {
  title: string
  entries: { rank: number; name: string; totalText: string; count: number }[]
}

export interface TickerData {
  title: string
  entries: { name: string; amountText: string }[]
}

export interface TiersData {
  theme: string
  tiers: { id: string; emoji: string; name: string; amountText: string; perk: string }[]
}

export interface LevelUpData {
  id: string
  name: string
  level: number
  levelName: string
  icon: string | null
}
