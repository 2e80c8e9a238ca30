/**
 * The subathon timer: a countdown that tips and verified Web Monetization extend. Its state is stored
 * (an end time while running, the remaining time while paused), so a restart resumes it to the second.
 */
import { Type, type Static } from '@sinclair/typebox'
import { ErrorBody, Nullable } from './common.js'

const strict = { additionalProperties: false } as const
const Seconds = Type.Integer({ minimum: 0, maximum: 100_000_000 })

export const TimerConfig = Type.Object(
  {
    /** Seconds a tip adds per whole unit of the streamer's currency (€1 → 60 s). */
    tipSecondsPerUnit: Seconds,
    /** Per tier (by id): seconds per unit instead of `tipSecondsPerUnit`. */
    tierSecondsPerUnit: Type.Record(Type.String({ maxLength: 64 }), Seconds),
    /** Seconds verified Web Monetization adds per whole unit streamed. */
    webMonetizationSecondsPerUnit: Seconds,
    /** The remaining time never goes above this (null: no cap). */
    maxRemainingSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    /** Support adds no more than this in one run (null: no cap); manual changes do not count. */
    maxAddedSeconds: Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  },
  strict,
)
export type TimerConfig = Static<typeof TimerConfig>

export const TimerStatus = Type.Union([
  Type.Literal('idle'),
  Type.Literal('running'),
  Type.Literal('paused'),
  Type.Literal('ended'),
])
export type TimerStatus = Static<typeof TimerStatus>

/** What is stored: an end time while running, the remaining time while paused. */
export const TimerState = Type.Object({
  status: TimerStatus,
  /** Epoch ms the countdown reaches zero (running only). */
  endsAt: Nullable(Type.Integer()),
  /** The remaining time while paused (and the last known one otherwise). */
  remainingMs: Type.Integer({ minimum: 0 }),
  /** What support added in this run (the `maxAddedSeconds` cap). */
  addedMs: Type.Integer({ minimum: 0 }),
})
export type TimerState = Static<typeof TimerState>

export const TimerView = Type.Object({
  status: TimerStatus,
  remainingMs: Type.Integer(),
  endsAt: Nullable(Type.String()),
  addedMs: Type.Integer(),
  /** "1:02:03" or "12:34"; what the label file and the OBS text show. */
  text: Type.String(),
  config: TimerConfig,
})
export type TimerView = Static<typeof TimerView>

/** The timer overlay's data: it counts down by itself from `remainingMs` while `running`. */
export const TimerData = Type.Object({
  status: TimerStatus,
  remainingMs: Type.Integer(),
  text: Type.String(),
})
export type TimerData = Static<typeof TimerData>

export const TimerStartBody = Type.Object(
  { durationSeconds: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
  strict,
)
export const TimerAdjustBody = Type.Object(
  {
    /** Positive adds, negative removes (never below zero). */
    seconds: Type.Integer({ minimum: -100_000_000, maximum: 100_000_000 }),
  },
  strict,
)

const answer = { 200: TimerView, 400: ErrorBody, 409: ErrorBody }

export const timerAdminRoutes = {
  'GET /timer': { response: { 200: TimerView } },
  'POST /timer/start': { body: TimerStartBody, response: answer },
  'POST /timer/pause': { response: answer },
  'POST /timer/resume': { response: answer },
  'POST /timer/stop': { response: answer },
  'POST /timer/adjust': { body: TimerAdjustBody, response: answer },
  'PUT /timer/config': { body: TimerConfig, response: answer },
} as const
