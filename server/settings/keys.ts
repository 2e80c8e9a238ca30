/**
 * Every setting the app keeps, in one list: its name, its schema, its default and where it lives. This
 * is the one answer to "where is setting X stored?".
 *
 * The rule for what goes where:
 * - `preference`: how this machine's desktop and dashboard look and behave (theme, tray notifications).
 *   Kept with electron-store in the desktop app and `conf` headless, in `<data dir>/settings.json`.
 * - `state`: everything the server needs to run the streamer's setup (wallet, tiers, alerts, overlays,
 *   integrations, switches). Kept in the `settings` table of the SQLite file, so it is backed up, moved
 *   and migrated with the events it belongs to.
 * - secrets (keys, tokens, webhook secrets) are not settings: they live in the secret store
 *   (server/settings/secrets.ts), encrypted or readable only by the user, and never reach the renderer.
 *
 * Names are `<feature>.<camelCaseName>`. A value read back is checked against its schema; one that no
 * longer fits (written by another version, edited by hand) reads as the default.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { defaultVariants } from '../alerts/variants.js'
import { AlertSettings, AlertVariants } from '../contracts/alerts.js'
import { Asset, Nullable } from '../contracts/common.js'
import {
  OVERLAY_IDS,
  OverlayDisplaySettings,
  OverlayStyle,
  type OverlayId,
} from '../contracts/overlays.js'
import { defaultOverlayStyle } from '../overlays/overlayStyle.js'
import { GifterPathConfig } from '../contracts/gamification.js'
import { WmSettings } from '../contracts/webMonetization.js'
import { ObsSettings } from '../contracts/obs.js'
import { LabelFormats } from '../contracts/labels.js'
import { TimerConfig, TimerState } from '../contracts/timer.js'

export type SettingPlace = 'preference' | 'state'

export interface SettingDefinition<
  S extends TSchema = TSchema,
  P extends SettingPlace = SettingPlace,
> {
  place: P
  schema: S
  /** A function, so mutable defaults are never shared and time-based ones are fresh. */
  default: (now?: Date) => Static<S>
}

function setting<P extends SettingPlace, S extends TSchema>(
  place: P,
  schema: S,
  fallback: (now?: Date) => Static<S>,
): SettingDefinition<S, P> {
  return { place, schema, default: fallback }
}

const Theme = Type.Union([Type.Literal('system'), Type.Literal('light'), Type.Literal('dark')])

/** The wallet the app receives with, and the client identity it signs requests as. */
export const WalletConfig = Type.Object({
  source: Type.Union([Type.Literal('manual'), Type.Literal('sandbox')]),
  walletAddress: Type.String(),
  clientWalletAddress: Type.String(),
  keyId: Type.String(),
  publicName: Nullable(Type.String()),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})
export type WalletConfig = Static<typeof WalletConfig>

/** Tip page settings; amounts are decimal strings because the wallet (and its scale) can change. */
export const StoredTipSettings = Type.Object({
  publicName: Type.String(),
  minAmount: Nullable(Type.String()),
  maxAmount: Nullable(Type.String()),
})
export type StoredTipSettings = Static<typeof StoredTipSettings>

export const TierMode = Type.Object({
  mode: Type.Union([Type.Literal('theme'), Type.Literal('custom')]),
  theme: Type.String(),
})
export type TierMode = Static<typeof TierMode>

export const OwncastSettings = Type.Object({
  baseUrl: Type.String(),
  thankYouEnabled: Type.Boolean(),
  chatTemplate: Type.String(),
  tipCommandEnabled: Type.Boolean(),
  // Optional so settings saved before it existed still read as valid (and as off).
  privateThanks: Type.Optional(Type.Boolean()),
})
export type OwncastSettings = Static<typeof OwncastSettings>

export const DEFAULT_CHAT_TEMPLATE = '{name} tipped {amount} — {tier}! {perk}'

const overlayStyles = Object.fromEntries(
  OVERLAY_IDS.map((id) => [
    `overlays.style.${id}`,
    setting('state', OverlayStyle, () => defaultOverlayStyle(id)),
  ]),
) as {
  [K in `overlays.style.${OverlayId}`]: SettingDefinition<typeof OverlayStyle, 'state'>
}

const customCss = Object.fromEntries(
  OVERLAY_IDS.map((id) => [`overlays.css.${id}`, setting('state', Type.String(), () => '')]),
) as {
  [K in `overlays.css.${OverlayId}`]: SettingDefinition<ReturnType<typeof Type.String>, 'state'>
}

export const SETTINGS = {
  // Preferences of this machine.
  'ui.theme': setting('preference', Theme, () => 'system' as const),
  'desktop.notifications': setting('preference', Type.Boolean(), () => true),
  /** Start the desktop app, hidden in the tray, when the user logs in (off by default). */
  'desktop.openAtLogin': setting('preference', Type.Boolean(), () => false),
  /** Check for, download and install updates (never while a stream is live). */
  'desktop.autoUpdate': setting('preference', Type.Boolean(), () => true),
  /** "Still running in the tray" was said once; closing the window says it no more. */
  'desktop.trayHintShown': setting('preference', Type.Boolean(), () => false),

  // The streamer's setup.
  'app.setupCompleted': setting('state', Type.Boolean(), () => false),
  'sandbox.enabled': setting('state', Type.Boolean(), () => false),
  'alerts.paused': setting('state', Type.Boolean(), () => false),
  'wallet.config': setting('state', Nullable(WalletConfig), () => null),
  /** The streamer's currency, from the wallet address; EUR at scale 2 until a wallet is set up. */
  'wallet.streamerAsset': setting('state', Asset, () => ({ assetCode: 'EUR', assetScale: 2 })),
  'tips.settings': setting('state', StoredTipSettings, () => ({
    publicName: '',
    minAmount: null,
    maxAmount: null,
  })),
  /**
   * Whether a tip's incoming payment carries the viewer's name in its metadata, which the streamer's
   * wallet provider keeps and shows. Off: only the tier and the message go there.
   */
  'tips.shareNameWithWallet': setting('state', Type.Boolean(), () => false),
  'tiers.mode': setting('state', TierMode, () => ({ mode: 'theme' as const, theme: 'fun' })),
  'tiers.aiBaseUrl': setting('state', Nullable(Type.String()), () => null),
  'tiers.aiModel': setting('state', Nullable(Type.String()), () => null),
  'gifterPath.config': setting('state', Nullable(GifterPathConfig), () => null),
  /** Per-install key of the anonymous supporter labels and ids (an HMAC key, never shown). */
  'supporters.labelSecret': setting('state', Nullable(Type.String()), () => null),
  /** The key in overlay URLs (OBS cannot send headers); null until first needed. */
  'overlays.key': setting('state', Nullable(Type.String()), () => null),
  /** The leaderboard and ticker overlays; the goal overlay shows a goal of the goals table. */
  'overlays.display': setting('state', Type.Omit(OverlayDisplaySettings, ['goal']), () => ({
    leaderboard: { title: 'Top supporters', window: 'stream' as const, size: 5 },
    ticker: { title: 'Thank you', size: 10 },
  })),
  ...customCss,
  /** Each overlay's look from its settings panel (colours, size, position, theme, sound). */
  ...overlayStyles,
  'alerts.settings': setting('state', AlertSettings, () => ({
    durationMs: 6000,
    gapMs: 1500,
    minAmountToAlert: '0',
    minAmountForMessage: '0',
    webMonetizationAlerts: true,
    blockedWords: [],
    blockedWordAction: 'mask' as const,
    moderationEnabled: false,
    autoApproveSeconds: null,
  })),
  'alerts.variants': setting('state', AlertVariants, () => structuredClone(defaultVariants)),
  'owncast.settings': setting('state', OwncastSettings, () => ({
    baseUrl: '',
    thankYouEnabled: true,
    chatTemplate: DEFAULT_CHAT_TEMPLATE,
    tipCommandEnabled: true,
    privateThanks: false,
  })),
  'webMonetization.settings': setting('state', WmSettings, () => ({
    reportOrigins: [],
    supporterStep: '0.50',
    anonymousAlertSeconds: 60,
    countForSupporters: true,
  })),
  /** OBS control over obs-websocket (off until the streamer turns it on); the password is a secret. */
  'obs.settings': setting('state', ObsSettings, () => ({
    enabled: false,
    address: 'ws://127.0.0.1:4455',
    holdAlertsWhileNotStreaming: false,
    timerTextSource: null,
    rules: [],
  })),
  /** The stream label files' formats (server/labels/). */
  'labels.formats': setting('state', LabelFormats, () => ({
    'latest-tipper': '{name}',
    'latest-tip': '{name} – {amount}',
    'top-supporter': '{name} – {amount}',
    'session-total': '{amount}',
    'goal-progress': '{current} / {target}',
    'web-monetization': '{amount}',
    timer: '{time}',
  })),
  /** The subathon timer's rates and caps. */
  'timer.config': setting('state', TimerConfig, () => ({
    tipSecondsPerUnit: 60,
    tierSecondsPerUnit: {},
    webMonetizationSecondsPerUnit: 60,
    maxRemainingSeconds: null,
    maxAddedSeconds: null,
  })),
  /** The subathon timer's state: an end time while running, the remaining time while paused. */
  'timer.state': setting('state', TimerState, () => ({
    status: 'idle' as const,
    endsAt: null,
    remainingMs: 0,
    addedMs: 0,
  })),
  /** The id of the last platform event fully processed (recovery after a crash). */
  'platformEvents.processedThrough': setting('state', Type.Integer({ minimum: 0 }), () => 0),
} satisfies Record<string, SettingDefinition>

export type SettingKey = keyof typeof SETTINGS
export type SettingValue<K extends SettingKey> = Static<(typeof SETTINGS)[K]['schema']>
export type PreferenceKey = {
  [K in SettingKey]: (typeof SETTINGS)[K]['place'] extends 'preference' ? K : never
}[SettingKey]
export const PREFERENCE_KEYS = (Object.keys(SETTINGS) as SettingKey[]).filter(
  (key) => SETTINGS[key].place === 'preference',
) as PreferenceKey[]
