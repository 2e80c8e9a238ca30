import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { AppConfig } from '../config/config.js'
import type { EventBus } from '../events/bus.js'
import type { SseHub } from '../live/sseHub.js'
import type { AdminSessions } from '../security/adminSessions.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import type { SecretStore } from '../settings/secrets.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import type { SupportEventRepository } from '../support/supportEvents.js'
import type { TipTierSet } from '../contracts/tiers.js'

export interface StreamerAsset {
  assetCode: string
  assetScale: number
}

/** Everything a feature may depend on; built once in the composition root (server/start.ts). */
export interface AppContext {
  config: AppConfig
  version: string
  db: Db
  bus: EventBus
  settings: SettingsStore
  secrets: SecretStore
  sse: SseHub
  sessions: AdminSessions
  overlayKeys: OverlayKeys
  supportEvents: SupportEventRepository
  log: FastifyBaseLogger
  /** Base URLs, known once both listeners are up (ports may be 0 = picked by the OS). */
  urls: {
    local(): string
    /** WM_PUBLIC_URL when set, else the public listener's own address. */
    public(): string
  }
  /** The streamer's currency; the wallet setup (tips issue) stores it from the wallet address. */
  streamerAsset(): StreamerAsset
  /**
   * Late-bound providers one feature offers to others. Each starts with a safe default; the feature
   * that owns it replaces it in its factory (features.ts creates providers before their users).
   */
  providers: {
    /** The tiers the tip page and the tip-tiers overlay show (tiers feature). */
    tipTiers(streamId?: string | null): TipTierSet
    /** The stream live at time `at` (ms), to attribute tips and events (Owncast/OSP feature). */
    liveStreamId(at?: number): string | null
  }
}

/**
 * A feature plugs its routes into the listeners and its background work into the server's life cycle.
 * Route sets are registered inside encapsulated contexts that already enforce the security model.
 */
export interface Feature {
  name: string
  /** Admin API on the local listener under /api: admin session and same-origin checks applied. */
  adminRoutes?(app: FastifyInstance): void | Promise<void>
  /** Overlay pages and their data on the local listener: overlay key checked (`?key=`). */
  overlayRoutes?(app: FastifyInstance): void | Promise<void>
  /** Routes on the public listener (rate-limited, body-limited, schema-validated). */
  publicRoutes?(app: FastifyInstance): void | Promise<void>
  /** After both listeners are up (timers, recovery). */
  start?(): void | Promise<void>
  /** Before the listeners close. */
  stop?(): void | Promise<void>
  /** Lines headless start prints under the dashboard URL (a server has no window): URLs to paste. */
  bannerLines?(): string[]
}
