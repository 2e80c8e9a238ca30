/**
 * Types of the local (admin) API for the renderer's client, which imports this file type-only. Each is
 * derived from its schema (server/contracts/*.ts).
 */
export type {
  AppSettings,
  AppSettingsPatch,
  HealthResponse,
  SessionResponse,
  StatusResponse,
} from './dashboard.js'
export type { PauseAlertsRequest, TestAlertRequest } from './alerts.js'
export type { Amount, ErrorBody as ApiError, SupportEventView, SupportKind } from './common.js'
export type { DomainEvents, DomainEventName } from './events.js'
export type { TipTier, TipTierSet } from './tiers.js'
