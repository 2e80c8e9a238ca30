/**
 * The dashboard's own API: session, status, the switches on the Settings page, the live event stream.
 */
import { Type, type Static } from '@sinclair/typebox'
import { ErrorBody, OkBody } from './common.js'

export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  listener: Type.Union([Type.Literal('local'), Type.Literal('public')]),
  version: Type.String(),
})
export type HealthResponse = Static<typeof HealthResponse>

export const SessionResponse = Type.Object({ authenticated: Type.Literal(true) })
export type SessionResponse = Static<typeof SessionResponse>

export const StatusResponse = Type.Object({
  version: Type.String(),
  localUrl: Type.String(),
  publicUrl: Type.String(),
  /** True when WM_PUBLIC_URL is set (a tunnel or server URL), false when it is the local fallback. */
  publicUrlConfigured: Type.Boolean(),
  dataDir: Type.String(),
  sandbox: Type.Boolean(),
  alertsPaused: Type.Boolean(),
  sseClients: Type.Integer(),
  startedAt: Type.String(),
})
export type StatusResponse = Static<typeof StatusResponse>

export const Theme = Type.Union([
  Type.Literal('system'),
  Type.Literal('light'),
  Type.Literal('dark'),
])

/** The switches of the Settings page (server/settings/keys.ts says where each is kept). */
export const AppSettings = Type.Object({
  /** The setup wizard was finished or skipped. */
  setupCompleted: Type.Boolean(),
  /** Alerts are held (dashboard or tray "Pause alerts"). */
  alertsPaused: Type.Boolean(),
  /** Tray notifications on tips (desktop app). */
  notificationsEnabled: Type.Boolean(),
  /** Dashboard colour scheme. */
  theme: Theme,
  /** Start the sandbox wallet even without WM_SANDBOX=1. */
  sandboxEnabled: Type.Boolean(),
  /** Desktop app: start hidden in the tray when the user logs in (off by default). */
  openAtLogin: Type.Boolean(),
  /** Desktop app: download updates and install them when no stream is live (on by default). */
  autoUpdate: Type.Boolean(),
  /** A tip's incoming payment names the viewer to the streamer's wallet provider (off: tier and message only). */
  shareNameWithWallet: Type.Boolean(),
})
export type AppSettings = Static<typeof AppSettings>

export const AppSettingsPatch = Type.Partial(AppSettings, { additionalProperties: false })
export type AppSettingsPatch = Static<typeof AppSettingsPatch>

export const dashboardAdminRoutes = {
  'GET /session': { response: { 200: SessionResponse } },
  'POST /session/logout': { response: { 200: OkBody } },
  'GET /status': { response: { 200: StatusResponse } },
  'GET /settings': { response: { 200: AppSettings } },
  /** 409 when the sandbox switch was turned on and the sandbox could not start (its port is taken). */
  'PATCH /settings': {
    body: AppSettingsPatch,
    response: { 200: AppSettings, 400: ErrorBody, 409: ErrorBody },
  },
  /** The dashboard's live stream of bus events (Server-Sent Events). */
  'GET /events': { response: {} },
} as const
