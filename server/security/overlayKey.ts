import type { SettingsStore } from '../settings/settingsStore.js'
import { randomToken, safeEqual } from './tokens.js'

export interface OverlayKeys {
  current(): string
  verify(candidate: unknown): boolean
  /** A new key: every overlay URL pasted into OBS so far stops working. */
  rotate(): string
}

/** The key in overlay URLs (OBS browser sources cannot send headers), kept in the settings. */
export function createOverlayKeys(settings: SettingsStore): OverlayKeys {
  let cached = settings.get('overlays.key')
  if (!cached) {
    cached = randomToken(18)
    settings.set('overlays.key', cached)
  }
  return {
    current: () => cached as string,
    verify: (candidate) => typeof candidate === 'string' && safeEqual(candidate, cached as string),
    rotate() {
      const next = randomToken(18)
      settings.set('overlays.key', next)
      cached = next
      return next
    },
  }
}
