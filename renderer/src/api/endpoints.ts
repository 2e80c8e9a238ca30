/**
 * The typed API of the dashboard: one function per endpoint, typed by the server's contracts
 * (server/contracts, imported type-only). Features built by other issues may be missing from a build:
 * their calls reject with an `ApiError` whose `unavailable` is true (HTTP 404), and pages say so.
 */
import type {
  AnalyticsOverview,
  AnalyticsSeries,
  AnalyticsSummary,
  EventsQuery,
  EventsResponse,
  PublicUrlCheck,
  StreamsResponse,
  Timeframe,
  TopSupportersResponse,
} from '../../../server/contracts/analytics.js'
import type {
  AppSettingsPatch,
  SupportEventView,
  TestAlertRequest,
} from '../../../server/contracts/api.js'
import type {
  GifterPathView,
  GoalView,
  LeaderboardMetric,
  LeaderboardView,
  LeaderboardWindow,
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
import type { TierInput } from '../../../server/contracts/tiers.js'
import type { WalletSetupRequest } from '../../../server/contracts/wallet.js'
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
  overview: () => api.get<AnalyticsOverview>('/analytics/overview'),
  summary: (timeframe: Timeframe, streamId?: string | null) =>
    api.get<AnalyticsSummary>('/analytics/summary', { timeframe, streamId }),
  series: (timeframe: Timeframe, streamId?: string | null) =>
    api.get<AnalyticsSeries>('/analytics/series', {
      timeframe,
      streamId,
      tzOffsetMinutes: new Date().getTimezoneOffset(),
    }),
  topSupporters: (timeframe: Timeframe, limit = 10) =>
    api.get<TopSupportersResponse>('/analytics/top-supporters', { timeframe, limit }),
  streams: () => api.get<StreamsResponse>('/analytics/streams'),
  events: (query: EventsQuery) => api.get<EventsResponse>('/analytics/events', query as Query),
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
    api.get<LeaderboardView>('/gamification/leaderboards', { window, by, limit }),
  gifterPath: () => api.get<GifterPathView>('/gamification/gifter-path'),
  goals: () => api.get<{ goals: GoalView[] }>('/gamification/goals'),
}

export const tipTiers = {
  view: () => call('GET /gamification/tiers'),
  pickTheme: (theme: string) => call('PUT /gamification/tiers/theme', { body: { theme } }),
  save: (tiers: TierInput[]) => call('PUT /gamification/tiers', { body: { tiers } }),
  reset: () => call('POST /gamification/tiers/reset'),
}

export const setup = {
  checkPublicUrl: () => api.post<PublicUrlCheck>('/setup/public-url-check'),
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
