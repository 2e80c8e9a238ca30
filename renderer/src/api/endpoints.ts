/**
 * The typed API of the dashboard: one function per endpoint, typed by the server's contracts
 * (server/contracts, imported type-only). Features built by other issues may be missing from a build:
 * their calls reject with an `ApiError` whose `unavailable` is true (HTTP 404), and pages say so.
 */
import type { EventsQuery, Timeframe } from '../../../server/contracts/analytics.js'
import type { AppSettingsPatch, TestAlertRequest } from '../../../server/contracts/api.js'
import type {
  LeaderboardMetric,
  LeaderboardWindow,
} from '../../../server/contracts/gamification.js'
import type { OwncastSettingsPatch } from '../../../server/contracts/integrations.js'
import type { AlertSettingsPatch } from '../../../server/contracts/alerts.js'
import type { OverlayId, OverlaySettingsBody } from '../../../server/contracts/overlays.js'
import type { TierInput } from '../../../server/contracts/tiers.js'
import type { TipSettings } from '../../../server/contracts/tips.js'
import type { WalletSetupRequest } from '../../../server/contracts/wallet.js'
import { call, withQuery, type Query } from './client.js'

export const core = {
  status: () => call('GET /status'),
  settings: () => call('GET /settings'),
  updateSettings: (patch: AppSettingsPatch) => call('PATCH /settings', { body: patch }),
  logout: () => call('POST /session/logout'),
  testAlert: (body: TestAlertRequest = {}) => call('POST /alerts/test', { body }),
  pauseAlerts: (paused: boolean) => call('POST /alerts/pause', { body: { paused } }),
  rotateOverlayKey: () => call('POST /overlays/rotate-key'),
}

export const analytics = {
  overview: () => call('GET /analytics/overview'),
  summary: (timeframe: Timeframe, streamId?: string | null) =>
    call('GET /analytics/summary', { query: { timeframe, streamId: streamId ?? undefined } }),
  series: (timeframe: Timeframe, streamId?: string | null) =>
    call('GET /analytics/series', {
      query: {
        timeframe,
        streamId: streamId ?? undefined,
        tzOffsetMinutes: new Date().getTimezoneOffset(),
      },
    }),
  topSupporters: (timeframe: Timeframe, limit = 10) =>
    call('GET /analytics/top-supporters', { query: { timeframe, limit } }),
  streams: () => call('GET /analytics/streams'),
  events: (query: EventsQuery) => call('GET /analytics/events', { query }),
  /** A plain link: the browser downloads it with the session cookie. */
  exportUrl: (format: 'csv' | 'json', query: EventsQuery) =>
    withQuery('/api/analytics/export', {
      ...(query as Query),
      format,
      type: undefined,
      before: undefined,
      limit: undefined,
    }),
}

export const wallet = {
  status: () => call('GET /wallet'),
  setup: (body: WalletSetupRequest) => call('POST /wallet', { body }),
  useSandbox: () => call('POST /wallet/sandbox'),
}

export const overlays = {
  links: () => call('GET /overlays/links'),
  settings: (overlay: OverlayId) =>
    call('GET /overlays/settings/:overlay', { params: { overlay } }),
  saveSettings: (overlay: OverlayId, body: OverlaySettingsBody) =>
    call('PUT /overlays/settings/:overlay', { params: { overlay }, body }),
}

export const integrations = {
  overview: () => call('GET /integrations'),
  ospTemplates: () => call('GET /integrations/osp/templates'),
  retryOutbox: () => call('POST /integrations/outbox/retry'),
  testOwncast: () => call('POST /integrations/owncast/test-connection'),
  testOwncastEvent: () => call('POST /integrations/owncast/test-event'),
  updateOwncast: (patch: OwncastSettingsPatch) =>
    call('PATCH /integrations/owncast', { body: patch }),
  setOwncastAccessToken: (value: string) =>
    call('PUT /integrations/owncast/access-token', { body: { value } }),
}

export const gamification = {
  leaderboard: (window: LeaderboardWindow, by: LeaderboardMetric = 'total', limit = 10) =>
    call('GET /gamification/leaderboards', { query: { window, by, limit } }),
  gifterPath: () => call('GET /gamification/gifter-path'),
  goals: () => call('GET /gamification/goals'),
}

export const tipTiers = {
  view: () => call('GET /gamification/tiers'),
  pickTheme: (theme: string) => call('PUT /gamification/tiers/theme', { body: { theme } }),
  save: (tiers: TierInput[]) => call('PUT /gamification/tiers', { body: { tiers } }),
  reset: () => call('POST /gamification/tiers/reset'),
}

export const tipSettings = {
  get: () => call('GET /tips/settings'),
  save: (body: TipSettings) => call('PUT /tips/settings', { body }),
}

export const setup = {
  checkPublicUrl: () => call('POST /setup/public-url-check'),
}

export const alerts = {
  settings: () => call('GET /alerts/settings'),
  updateSettings: (patch: AlertSettingsPatch) => call('PATCH /alerts/settings', { body: patch }),
  variants: () => call('GET /alerts/variants'),
  queue: () => call('GET /alerts/queue'),
  approve: (id: number) => call('POST /alerts/:id/approve', { params: { id } }),
  reject: (id: number) => call('POST /alerts/:id/reject', { params: { id } }),
  replay: (id: number) => call('POST /alerts/:id/replay', { params: { id } }),
}
