import { Type, type TSchema } from '@sinclair/typebox'
import { TIMEFRAMES } from '../contracts/analytics.js'

/** TypeBox schemas of the analytics routes (server/contracts/analytics.ts has the matching types). */
const kinds = <T extends TSchema>(schema: T) =>
  Type.Object({ tip: schema, 'web-monetization': schema, redemption: schema })

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const AmountSchema = Type.Object({
  value: Type.String(),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})

export const TimeframeSchema = Type.Union(TIMEFRAMES.map((t) => Type.Literal(t)))
export const KindSchema = Type.Union([
  Type.Literal('tip'),
  Type.Literal('web-monetization'),
  Type.Literal('redemption'),
])

export const ErrorSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
})

export const SummarySchema = Type.Object({
  streamId: Nullable(Type.String()),
  timeframe: TimeframeSchema,
  currency: Type.String(),
  assetScale: Type.Integer(),
  totalAmount: Type.Number(),
  eventCount: Type.Integer(),
  uniqueSupporters: Type.Integer(),
  averageAmount: Type.Number(),
  total: AmountSchema,
  average: AmountSchema,
  byKind: kinds(
    Type.Object({ total: AmountSchema, totalAmount: Type.Number(), eventCount: Type.Integer() }),
  ),
  from: Nullable(Type.String()),
  to: Type.String(),
})

export const SummaryQuery = Type.Object({
  timeframe: Type.Optional(TimeframeSchema),
  streamId: Type.Optional(Type.String({ maxLength: 200 })),
})

export const OverlaySummaryQuery = Type.Object({
  timeframe: Type.Optional(TimeframeSchema),
  streamId: Type.Optional(Type.String({ maxLength: 200 })),
  key: Type.Optional(Type.String()),
})

export const SeriesQuery = Type.Object({
  timeframe: Type.Optional(TimeframeSchema),
  streamId: Type.Optional(Type.String({ maxLength: 200 })),
  tzOffsetMinutes: Type.Optional(Type.Integer({ minimum: -900, maximum: 900 })),
})

export const SeriesSchema = Type.Object({
  streamId: Nullable(Type.String()),
  timeframe: TimeframeSchema,
  bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  currency: Type.String(),
  assetScale: Type.Integer(),
  points: Type.Array(
    Type.Object({
      start: Type.String(),
      t: Type.Number(),
      values: kinds(Type.String()),
      counts: kinds(Type.Integer()),
      totalValue: Type.String(),
      eventCount: Type.Integer(),
    }),
  ),
  from: Nullable(Type.String()),
  to: Type.String(),
})

export const OverviewSchema = Type.Object({
  currency: Type.String(),
  assetScale: Type.Integer(),
  timeframes: Type.Object({
    last_24h: SummarySchema,
    last_7d: SummarySchema,
    last_30d: SummarySchema,
    all_time: SummarySchema,
  }),
  live: Nullable(SummarySchema),
})

export const TopQuery = Type.Object({
  timeframe: Type.Optional(TimeframeSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

export const TopSchema = Type.Object({
  timeframe: TimeframeSchema,
  supporters: Type.Array(
    Type.Object({
      name: Type.String(),
      total: AmountSchema,
      totalAmount: Type.Number(),
      eventCount: Type.Integer(),
      lastAt: Type.String(),
    }),
  ),
})

export const StreamsSchema = Type.Object({
  streams: Type.Array(
    Type.Object({
      streamId: Type.String(),
      platform: Nullable(Type.String()),
      title: Nullable(Type.String()),
      startedAt: Nullable(Type.String()),
      endedAt: Nullable(Type.String()),
      total: AmountSchema,
      totalAmount: Type.Number(),
      eventCount: Type.Integer(),
    }),
  ),
})

const eventFilters = {
  kind: Type.Optional(KindSchema),
  streamId: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  includeTest: Type.Optional(Type.Boolean()),
}

export const EventsQuerySchema = Type.Object({
  type: Type.Optional(Type.Union([Type.Literal('support'), Type.Literal('platform')])),
  ...eventFilters,
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})

export const ExportQuerySchema = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
  ...eventFilters,
})

export const EventsSchema = Type.Object({
  type: Type.Union([Type.Literal('support'), Type.Literal('platform')]),
  events: Type.Array(
    Type.Union([
      Type.Object({
        type: Type.Literal('support'),
        id: Type.Integer(),
        kind: KindSchema,
        amount: AmountSchema,
        amountDecimal: Type.String(),
        supporterName: Nullable(Type.String()),
        message: Nullable(Type.String()),
        tierId: Nullable(Type.String()),
        streamId: Nullable(Type.String()),
        isTest: Type.Boolean(),
        occurredAt: Type.String(),
      }),
      Type.Object({
        type: Type.Literal('platform'),
        id: Type.Integer(),
        platform: Type.String(),
        eventType: Type.String(),
        normalizedType: Nullable(Type.String()),
        streamId: Nullable(Type.String()),
        userName: Nullable(Type.String()),
        summary: Nullable(Type.String()),
        receivedAt: Type.String(),
      }),
    ]),
  ),
  nextBefore: Nullable(Type.Integer()),
})

export const PublicUrlCheckSchema = Type.Object({
  url: Type.String(),
  configured: Type.Boolean(),
  https: Type.Boolean(),
  reachable: Type.Boolean(),
  ok: Type.Boolean(),
  message: Type.String(),
})
