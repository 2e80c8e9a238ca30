import type { FastifyBaseLogger } from 'fastify'
import type { AppConfig } from '../config/config.js'
import type { Asset } from '../contracts/common.js'
import type { EventBus } from '../events/bus.js'
import type { AdminSessions } from '../security/adminSessions.js'
import type { OverlayKeys } from '../security/overlayKey.js'
import type { SecretStore } from '../settings/secrets.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import type { SupportLedger } from '../support/ledgerService.js'

export type StreamerAsset = Asset

/**
 * What the server is made of before any feature exists: configuration, storage, the bus, the logger,
 * security and the support ledger. Built once by the composition root (server/composition.ts), which
 * then hands each feature the parts it names and the services of other features it needs.
 */
export interface Infrastructure {
  config: AppConfig
  version: string
  db: Db
  bus: EventBus
  settings: SettingsStore
  secrets: SecretStore
  sessions: AdminSessions
  overlayKeys: OverlayKeys
  ledger: SupportLedger
  log: FastifyBaseLogger
  /** Base URLs, known once both listeners are up (ports may be 0 = picked by the OS). */
  urls: {
    local(): string
    /** WM_PUBLIC_URL when set, else the public listener's own address. */
    public(): string
  }
  /** The streamer's currency (the wallet's), EUR at scale 2 before a wallet is set up. */
  streamerAsset(): StreamerAsset
}
