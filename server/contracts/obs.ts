/**
 * OBS control over obs-websocket 5 (OBS 28+): the connection settings, the rules that act on a tip,
 * and the connection's status for the dashboard. The password is a secret: it is written here, never
 * read back (only whether one is saved).
 */
import { Type, type Static } from '@sinclair/typebox'
import { DecimalString, ErrorBody, Nullable } from './common.js'

const strict = { additionalProperties: false } as const
const Name = Type.String({ minLength: 1, maxLength: 200 })

/** Switch to a scene for some seconds, then back to the scene that was live. */
export const ObsSwitchSceneAction = Type.Object(
  {
    type: Type.Literal('switchScene'),
    sceneName: Name,
    seconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  },
  strict,
)
/** Show or hide a source in a scene, for some seconds (null: for good). */
export const ObsSourceVisibilityAction = Type.Object(
  {
    type: Type.Literal('setSourceVisible'),
    sceneName: Name,
    sourceName: Name,
    visible: Type.Boolean(),
    seconds: Nullable(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  strict,
)
/** Set a text source's text; `{name}`, `{amount}`, `{tier}` and `{message}` are filled in. */
export const ObsSetTextAction = Type.Object(
  {
    type: Type.Literal('setText'),
    inputName: Name,
    text: Type.String({ maxLength: 500 }),
  },
  strict,
)
export const ObsAction = Type.Union([
  ObsSwitchSceneAction,
  ObsSourceVisibilityAction,
  ObsSetTextAction,
])
export type ObsAction = Static<typeof ObsAction>

/** A rule: a tip of this tier (null: any) whose amount is in the range (decimals, ends included). */
export const ObsRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    tierId: Nullable(Type.String({ maxLength: 64 })),
    minAmount: Nullable(DecimalString),
    maxAmount: Nullable(DecimalString),
    action: ObsAction,
  },
  strict,
)
export type ObsRule = Static<typeof ObsRule>

export const ObsSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    /** obs-websocket's address (Tools → WebSocket Server Settings): ws://127.0.0.1:4455 by default. */
    address: Type.String({ maxLength: 300 }),
    /** Alerts wait in the queue while OBS is not streaming (or not connected). */
    holdAlertsWhileNotStreaming: Type.Boolean(),
    /** A text source that shows the subathon timer (null: none). */
    timerTextSource: Nullable(Type.String({ maxLength: 200 })),
    rules: Type.Array(ObsRule, { maxItems: 50 }),
  },
  strict,
)
export type ObsSettings = Static<typeof ObsSettings>

export const ObsConnectionState = Type.Union([
  Type.Literal('off'),
  Type.Literal('connecting'),
  Type.Literal('connected'),
  Type.Literal('disconnected'),
  Type.Literal('auth_failed'),
])
export type ObsConnectionState = Static<typeof ObsConnectionState>

export const ObsStatus = Type.Object({
  state: ObsConnectionState,
  /** Null while not connected: nobody knows. */
  streaming: Nullable(Type.Boolean()),
  currentScene: Nullable(Type.String()),
  /** The last failure in plain words, with the OBS code in `lastErrorCode`. */
  lastError: Nullable(Type.String()),
  lastErrorCode: Nullable(Type.Integer()),
  /** When the next attempt is made (ISO), while waiting to reconnect. */
  nextAttemptAt: Nullable(Type.String()),
  /** The app's own browser sources found in OBS (by URL) at the last refresh. */
  ownSources: Type.Array(Type.String()),
  holdingAlerts: Type.Boolean(),
})
export type ObsStatus = Static<typeof ObsStatus>

export const ObsView = Type.Object({
  settings: ObsSettings,
  passwordSaved: Type.Boolean(),
  status: ObsStatus,
})
export type ObsView = Static<typeof ObsView>

export const ObsSettingsBody = Type.Object(
  {
    ...ObsSettings.properties,
    /** Absent: keep the saved password; "": remove it; otherwise the new password. */
    password: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
)
export type ObsSettingsBody = Static<typeof ObsSettingsBody>

export const obsAdminRoutes = {
  'GET /obs': { response: { 200: ObsView } },
  'PUT /obs': { body: ObsSettingsBody, response: { 200: ObsView, 400: ErrorBody } },
  'GET /obs/status': { response: { 200: ObsStatus } },
  /** Try to connect now instead of waiting for the next attempt. */
  'POST /obs/reconnect': { response: { 200: ObsStatus } },
} as const
