import type { Asset } from '../contracts/common.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type {
  OverlayDisplayPatch,
  OverlayDisplaySettings,
  OverlayId,
  OverlayLinksResponse,
  OverlaySettingsBody,
  OverlaySettingsView,
} from '../contracts/overlays.js'
import type { GoalService } from '../gamification/goalService.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import { SETTINGS } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { OverlayError, OverlayErrorCode } from './errors.js'
import type { OverlayHub } from './overlayHub.js'
import { OVERLAY_PAGES } from './pages.js'
import { checkCustomCss, checkOverlayStyle, styleCss } from './overlayStyle.js'

export { MAX_CUSTOM_CSS } from './overlayStyle.js'

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
  /** What an overlay page loads after overlay.css: its look as custom properties, then its CSS. */
  pageCss(overlay: OverlayId): string
  /** One overlay's settings panel: look, CSS and (goal bar) goal. */
  settings(overlay: OverlayId): OverlaySettingsView
  /**
   * Checks every field first (nothing is saved if one is wrong), then saves the panel and tells the
   * overlay's open pages to load their new look.
   */
  saveSettings(overlay: OverlayId, body: OverlaySettingsBody): OverlaySettingsView
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
  function checkGoalTarget(target: string, field: string): void {
    try {
      if (decimalToMinor(target.trim(), deps.streamerAsset().assetScale) <= 0n)
        throw new OverlayError(
          OverlayErrorCode.InvalidAmount,
          'The goal must be more than zero.',
          field,
        )
    } catch (error) {
      if (error instanceof MoneyFormatError)
        throw new OverlayError(
          OverlayErrorCode.InvalidAmount,
          `The goal must be an amount like 50 or 12.50 (${deps.streamerAsset().assetCode}).`,
          field,
        )
      throw error
    }
  }

  function settingsView(overlay: OverlayId): OverlaySettingsView {
    const goal = overlay === 'goal' ? deps.goals.overlayGoal() : null
    return {
      overlay,
      style: settings.get(`overlays.style.${overlay}`),
      css: settings.get(`overlays.css.${overlay}`),
      goal: goal
        ? { title: goal.title, target: goal.target, assetCode: deps.streamerAsset().assetCode }
        : null,
    }
  }

  return {
    settings: settingsView,

    saveSettings(overlay, body) {
      const style = checkOverlayStyle(body.style)
      const css = checkCustomCss(body.css)
      let goal: { title: string; target: string } | null = null
      if (overlay === 'goal' && body.goal) {
        const title = body.goal.title.trim()
        if (!title || title.length > 80)
          throw new OverlayError(
            OverlayErrorCode.InvalidGoal,
            'Give the goal a title of 1 to 80 characters.',
            'body.goal.title',
          )
        checkGoalTarget(body.goal.target, 'body.goal.target')
        goal = { title, target: body.goal.target.trim() }
      }
      if (goal) deps.goals.setOverlayGoal({ ...goal, startAt: deps.goals.overlayGoal().startAt })
      settings.set(`overlays.style.${overlay}`, style)
      settings.set(`overlays.css.${overlay}`, css)
      // Pages load their look with their stylesheet: tell them to load it again.
      hub.broadcast(overlay, 'css', { changedAt: Date.now() })
      return settingsView(overlay)
    },

    pageCss: (overlay) =>
      `${styleCss(settings.get(`overlays.style.${overlay}`))}\n${settings.get(`overlays.css.${overlay}`)}`,

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
      checkCustomCss(css)
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
