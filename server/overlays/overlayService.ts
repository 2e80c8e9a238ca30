import type { Asset } from '../contracts/common.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type {
  OverlayDisplayPatch,
  OverlayDisplaySettings,
  OverlayId,
  OverlayLinksResponse,
} from '../contracts/overlays.js'
import type { GoalService } from '../gamification/goalService.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import { SETTINGS } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { OverlayError, OverlayErrorCode } from './errors.js'
import type { OverlayHub } from './overlayHub.js'
import { OVERLAY_PAGES } from './pages.js'

/** Custom CSS per overlay is bounded: it is streamer-written, but a stylesheet is no place for a book. */
export const MAX_CUSTOM_CSS = 20_000

/** The display settings kept in the settings; the goal overlay's goal is the goal system's. */
export type StoredDisplaySettings = Omit<OverlayDisplaySettings, 'goal'>

export function defaultDisplaySettings(): StoredDisplaySettings {
  return SETTINGS['overlays.display'].default()
}

export interface OverlayService {
  /** The overlay URLs with the key (for OBS and the Overlays page) and who is connected. */
  links(): OverlayLinksResponse
  display(): OverlayDisplaySettings
  /** Checks and stores new display settings (goal, leaderboard, ticker); answers all of them. */
  updateDisplay(patch: OverlayDisplayPatch): OverlayDisplaySettings
  customCss(overlay: OverlayId): string
  /** Stores an overlay's CSS and tells its open pages to reload their stylesheet. */
  saveCustomCss(overlay: OverlayId, css: string): string
  /** A new overlay key: every overlay URL pasted into OBS so far stops working. */
  rotateKey(): void
}

export interface OverlayServiceDeps {
  settings: Pick<SettingsStore, 'get' | 'set'>
  overlayKeys: Pick<OverlayKeys, 'current' | 'rotate'>
  hub: Pick<OverlayHub, 'connections' | 'broadcast'>
  localUrl(): string
  streamerAsset(): Asset
  /** The goal system: the display's `goal` is its overlay goal. */
  goals: Pick<GoalService, 'overlayGoal' | 'setOverlayGoal'>
}

/** The overlays' settings (server/settings/keys.ts), their URLs and their key. */
export function createOverlayService(deps: OverlayServiceDeps): OverlayService {
  const { settings, hub } = deps
  const display = (): OverlayDisplaySettings => {
    const goal = deps.goals.overlayGoal()
    return {
      goal: { title: goal.title, target: goal.target, startAt: goal.startAt },
      ...settings.get('overlays.display'),
    }
  }
  return {
    links() {
      const key = encodeURIComponent(deps.overlayKeys.current())
      const connections = hub.connections()
      return {
        overlays: OVERLAY_PAGES.map((page) => ({
          id: page.id,
          title: page.title,
          url: `${deps.localUrl()}/overlay/${page.id}?key=${key}`,
          width: page.width,
          height: page.height,
          connected: connections.byOverlay[page.id],
        })),
        connections,
      }
    },

    display,

    updateDisplay(patch) {
      const next: OverlayDisplaySettings = { ...display(), ...patch }
      try {
        decimalToMinor(next.goal.target, deps.streamerAsset().assetScale)
      } catch (error) {
        if (error instanceof MoneyFormatError)
          throw new OverlayError(
            OverlayErrorCode.InvalidAmount,
            `body.goal.target: ${error.message}`,
            'body.goal.target',
          )
        throw error
      }
      const { goal, ...rest } = next
      deps.goals.setOverlayGoal(goal)
      settings.set('overlays.display', rest)
      return display()
    },

    customCss: (overlay) => settings.get(`overlays.css.${overlay}`),

    saveCustomCss(overlay, css) {
      if (css.length > MAX_CUSTOM_CSS)
        throw new OverlayError(
          OverlayErrorCode.CssTooLarge,
          `body.css is ${css.length} characters; the limit is ${MAX_CUSTOM_CSS}.`,
          'body.css',
        )
      settings.set(`overlays.css.${overlay}`, css)
      // Pages pick up new CSS on reload: tell them to reload their stylesheet.
      hub.broadcast(overlay, 'css', { changedAt: Date.now() })
      return css
    },

    rotateKey() {
      deps.overlayKeys.rotate()
    },
  }
}
