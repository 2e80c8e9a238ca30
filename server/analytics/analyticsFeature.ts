import { Readable } from 'node:stream'
import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import type { Feature } from '../app/feature.js'
import type { Timeframe } from '../contracts/analytics.js'
import { HttpError } from '../http/errors.js'
import { CSV_BOM } from './csv.js'
import { checkPublicUrl } from './publicUrlCheck.js'
import {
  createAnalyticsService,
  InvalidQueryError,
  type AnalyticsService,
} from './analyticsService.js'
import {
  ErrorSchema,
  EventsQuerySchema,
  EventsSchema,
  ExportQuerySchema,
  OverlaySummaryQuery,
  OverviewSchema,
  PublicUrlCheckSchema,
  SeriesQuery,
  SeriesSchema,
  StreamsSchema,
  SummaryQuery,
  SummarySchema,
  TopQuery,
  TopSchema,
} from './schemas.js'

export enum AnalyticsErrorCode {
  InvalidQuery = 'invalid_query',
}

const STATUS: { [code in AnalyticsErrorCode]: number } = {
  [AnalyticsErrorCode.InvalidQuery]: 400,
}

export class AnalyticsError extends HttpError {
  constructor(code: AnalyticsErrorCode, message: string, field?: string) {
    super(STATUS[code], code, message, field)
  }
}

function translate<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof InvalidQueryError)
      throw new AnalyticsError(
        AnalyticsErrorCode.InvalidQuery,
        `querystring.${error.field}: ${error.message}`,
        `querystring.${error.field}`,
      )
    throw error
  }
}

const DEFAULT_TIMEFRAME: Timeframe = 'last_24h'

/**
 * Analytics (issue 7): figures for the dashboard from the hourly rollups that migration 0006 keeps, the
 * event list with search and export, and the seed's summary URL for overlays.
 */
export function createAnalyticsFeature(
  ctx: Infrastructure,
  deps: { liveStreamId(at?: number): string | null },
  service: AnalyticsService = createAnalyticsService({
    db: ctx.db,
    streamerAsset: () => ctx.streamerAsset(),
    liveStreamId: (at) => deps.liveStreamId(at),
  }),
): Feature {
  return {
    name: 'analytics',
    adminRoutes(app: FastifyInstance) {
      app.post(
        '/setup/public-url-check',
        { schema: { response: { 200: PublicUrlCheckSchema } } },
        async () =>
          checkPublicUrl({
            url: ctx.urls.public(),
            configured: ctx.config.publicUrl !== null,
            // With a tunnel URL, its port is the tunnel's: the listener's own port is the configured one.
            publicPort:
              ctx.config.publicUrl === null
                ? new URL(ctx.urls.public()).port
                : String(ctx.config.publicPort),
          }),
      )

      app.get('/analytics/overview', { schema: { response: { 200: OverviewSchema } } }, async () =>
        service.overview(),
      )

      app.get<{ Querystring: Static<typeof SummaryQuery> }>(
        '/analytics/summary',
        {
          schema: { querystring: SummaryQuery, response: { 200: SummarySchema, 400: ErrorSchema } },
        },
        async (request) =>
          service.summary({
            timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
            streamId: request.query.streamId || null,
          }),
      )

      app.get<{ Querystring: Static<typeof SeriesQuery> }>(
        '/analytics/series',
        { schema: { querystring: SeriesQuery, response: { 200: SeriesSchema, 400: ErrorSchema } } },
        async (request) =>
          service.series({
            timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
            streamId: request.query.streamId || null,
            tzOffsetMinutes: request.query.tzOffsetMinutes ?? 0,
          }),
      )

      app.get<{ Querystring: Static<typeof TopQuery> }>(
        '/analytics/top-supporters',
        { schema: { querystring: TopQuery, response: { 200: TopSchema, 400: ErrorSchema } } },
        async (request) =>
          service.topSupporters({
            timeframe: request.query.timeframe ?? 'all_time',
            limit: request.query.limit ?? 10,
          }),
      )

      app.get('/analytics/streams', { schema: { response: { 200: StreamsSchema } } }, async () =>
        service.streams(),
      )

      app.get<{ Querystring: Static<typeof EventsQuerySchema> }>(
        '/analytics/events',
        {
          schema: {
            querystring: EventsQuerySchema,
            response: { 200: EventsSchema, 400: ErrorSchema },
          },
        },
        async (request) => translate(() => service.events(request.query)),
      )

      app.get<{ Querystring: Static<typeof ExportQuerySchema> }>(
        '/analytics/export',
        { schema: { querystring: ExportQuerySchema, response: { 400: ErrorSchema } } },
        async (request, reply) => {
          const format = request.query.format ?? 'csv'
          const chunks = translate(() =>
            format === 'csv' ? service.exportCsv(request.query) : service.exportJson(request.query),
          )
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
      )
    },
    overlayRoutes(app: FastifyInstance) {
      // The seed's URL (DESIGN §2), for overlays and scripts: same figures as the admin route.
      app.get<{ Querystring: Static<typeof OverlaySummaryQuery> }>(
        '/plugins/wm/analytics/summary',
        {
          schema: {
            querystring: OverlaySummaryQuery,
            response: { 200: SummarySchema, 400: ErrorSchema },
          },
        },
        async (request) =>
          service.summary({
            timeframe: request.query.timeframe ?? DEFAULT_TIMEFRAME,
            streamId: request.query.streamId || null,
          }),
      )
    },
  }
}

function* prepend(first: string, rest: Iterable<string>): Generator<string> {
  yield first
  yield* rest
}
