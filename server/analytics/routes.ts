import { Readable } from 'node:stream'
import type {
  analyticsAdminRoutes,
  analyticsOverlayRoutes,
  Timeframe,
} from '../contracts/analytics.js'
import type { AppConfig } from '../config/config.js'
import type { RouteHandlers } from '../http/routes.js'
import type { AnalyticsService } from './analyticsService.js'
import { CSV_BOM } from './csv.js'
import { checkPublicUrl } from './publicUrlCheck.js'

const DEFAULT_TIMEFRAME: Timeframe = 'last_24h'

export interface AnalyticsRouteDeps {
  analytics: AnalyticsService
  /** WM_PUBLIC_URL when set, else the public listener's own address (the setup wizard's check). */
  publicUrl(): string
  config: Pick<AppConfig, 'publicUrl' | 'publicPort'>
}

function* prepend(first: string, rest: Iterable<string>): Generator<string> {
  yield first
  yield* rest
}

export function analyticsAdminHandlers({
  analytics,
  publicUrl,
  config,
}: AnalyticsRouteDeps): RouteHandlers<typeof analyticsAdminRoutes> {
  return {
    'POST /setup/public-url-check': async () =>
      checkPublicUrl({
        url: publicUrl(),
        configured: config.publicUrl !== null,
        // With a tunnel URL, its port is the tunnel's: the listener's own port is the configured one.
        publicPort:
          config.publicUrl === null ? new URL(publicUrl()).port : String(config.publicPort),
      }),
    'GET /analytics/overview': async () => analytics.overview(),
    'GET /analytics/summary': async (request) =>
      analytics.summary({
        timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
        streamId: request.query.streamId || null,
      }),
    'GET /analytics/series': async (request) =>
      analytics.series({
        timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
        streamId: request.query.streamId || null,
        tzOffsetMinutes: request.query.tzOffsetMinutes ?? 0,
      }),
    'GET /analytics/top-supporters': async (request) =>
      analytics.topSupporters({
        timeframe: request.query.timeframe ?? 'all_time',
        limit: request.query.limit ?? 10,
      }),
    'GET /analytics/streams': async () => analytics.streams(),
    'GET /analytics/events': async (request) => analytics.events(request.query),
    'GET /analytics/export': async (request, reply) => {
      const format = request.query.format ?? 'csv'
      const chunks =
        format === 'csv' ? analytics.exportCsv(request.query) : analytics.exportJson(request.query)
      const stamp = new Date().toISOString().slice(0, 10)
      void reply
        .header(
          'content-disposition',
          `attachment; filename="wm-support-events-${stamp}.${format}"`,
        )
        .header('cache-control', 'no-store')
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      const body = format === 'csv' ? prepend(CSV_BOM, chunks) : chunks
      return reply.send(Readable.from(body))
    },
  }
}

/** The seed's URL (DESIGN §2), for overlays and scripts: the same figures as the admin route. */
export function analyticsOverlayHandlers({
  analytics,
}: Pick<AnalyticsRouteDeps, 'analytics'>): RouteHandlers<typeof analyticsOverlayRoutes> {
  return {
    'GET /plugins/wm/analytics/summary': async (request) =>
      analytics.summary({
        timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
        streamId: request.query.streamId || null,
      }),
  }
}
