/**
 * The typed API of the dashboard: one function per endpoint, typed by the server's contracts
 * (server/contracts, imported type-only). Features built by other issues may be missing from a build:
 * their calls reject with an `ApiError` whose `unavailable` is true (HTTP 404), and pages say so.
 */
import type { EventsQuery, Timeframe } from '../../../server/contracts/analytics.js'
import type {
  AppSettingsPatch,
  SupportEventView,
  TestAlertRequest,
} from '../../../server/contracts/api.js'
import type {
  LeaderboardMetric,
  LeaderboardWindow,
  TierConfigView,
  TierInput,
} from '../../../server/contracts/gamification.js'
import type {
  IntegrationsOverview,
  OspTemplatesResponse,
  OwncastConnectionReport,
  OwncastSettingsPatch,
  OwncastSettingsView,
  TestEventReport,
} from '../../../server/contracts/integrations.js'
import type {
  AlertQueueResponse,
  AlertSettings,
  AlertVariant,
  OverlayLinksResponse,
} from '../../../server/contracts/overlays.js'
import type { WalletSetupRequest, WalletStatusResponse } from '../../../server/contracts/tips.js'
import { api, call, withQuery, type Query } from './client.js'

export const core = {
  status: () => call('GET /status'),
  settings: () => call('GET /settings'),
  updateSettings: (patch: AppSettingsPatch) => call('PATCH /settings', { body: patch }),
  logout: () => call('POST /session/logout'),
  testAlert: (body: TestAlertRequest = {}) => api.post<SupportEventView>('/alerts/test', body),
  pauseAlerts: (paused: boolean) => api.post<{ paused: boolean }>('/alerts/pause', { paused }),
  rotateOverlayKey: () => api.post<{ ok: boolean }>('/overlays/rotate-key'),
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
  status: () => api.get<WalletStatusResponse>('/wallet'),
  setup: (body: WalletSetupRequest) => api.post<WalletStatusResponse>('/wallet', body),
  useSandbox: () => api.post<WalletStatusResponse>('/wallet/sandbox'),
}

export const overlays = {
  links: () => api.get<OverlayLinksResponse>('/overlays/links'),
}

export const integrations = {
  overview: () => api.get<IntegrationsOverview>('/integrations'),
  ospTemplates: () => api.get<OspTemplatesResponse>('/integrations/osp/templates'),
  testOwncast: () => api.post<OwncastConnectionReport>('/integrations/owncast/test-connection'),
  testOwncastEvent: () => api.post<TestEventReport>('/integrations/owncast/test-event'),
  updateOwncast: (patch: OwncastSettingsPatch) =>
    api.patch<OwncastSettingsView>('/integrations/owncast', patch),
  setOwncastAccessToken: (value: string) =>
    api.put<OwncastSettingsView>('/integrations/owncast/access-token', { value }),
}

export const gamification = {
  leaderboard: (window: LeaderboardWindow, by: LeaderboardMetric = 'total', limit = 10) =>
    call('GET /gamification/leaderboards', { query: { window, by, limit } }),
  gifterPath: () => call('GET /gamification/gifter-path'),
  goals: () => call('GET /gamification/goals'),
  tiers: () => api.get<TierConfigView>('/gamification/tiers'),
  pickTheme: (theme: string) => api.put<TierConfigView>('/gamification/tiers/theme', { theme }),
  saveTiers: (tiers: TierInput[]) => api.put<TierConfigView>('/gamification/tiers', { tiers }),
  resetTiers: () => api.post<TierConfigView>('/gamification/tiers/reset'),
}

export const setup = {
  checkPublicUrl: () => call('POST /setup/public-url-check'),
}

export const alerts = {
  settings: () => api.get<AlertSettings>('/alerts/settings'),
  updateSettings: (patch: Partial<AlertSettings>) =>
    api.patch<AlertSettings>('/alerts/settings', patch),
  variants: () => api.get<{ variants: AlertVariant[]; sounds: string[] }>('/alerts/variants'),
  queue: () => api.get<AlertQueueResponse>('/alerts/queue'),
  approve: (id: number) => api.post<unknown>(`/alerts/${id}/approve`),
  reject: (id: number) => api.post<unknown>(`/alerts/${id}/reject`),
  replay: (id: number) => api.post<unknown>(`/alerts/${id}/replay`),
}
