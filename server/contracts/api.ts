/**
 * Types of the local (admin) API, shared by the server's route schemas and the renderer's client.
 * The renderer imports this file type-only.
 */
import type { AppSettings } from '../settings/schema.js'

export type { AppSettings }
export type { Amount } from './money.js'
export type { SupportEventView, SupportKind, DomainEvents, DomainEventName } from './events.js'
export type { TipTier, TipTierSet } from './tiers.js'

export interface HealthResponse {
  status: 'ok'
  listener: 'local' | 'public'
  version: string
}

export interface StatusResponse {
  version: string
  localUrl: string
  publicUrl: string
  /** True when WM_PUBLIC_URL is set (a tunnel or server URL), false when it is the local fallback. */
  publicUrlConfigured: boolean
  dataDir: string
  sandbox: boolean
  alertsPaused: boolean
  sseClients: number
  startedAt: string
}

export interface SessionResponse {
  authenticated: true
}

export interface TestAlertRequest {
  name?: string
  message?: string
  /** Decimal amount in the streamer's currency. */
  amount?: number
}

export interface PauseAlertsRequest {
  paused: boolean
}

export interface ApiError {
  error: string
  message: string
  field?: string
}
