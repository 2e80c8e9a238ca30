/**
 * The Owncast / OSP integration's API shapes and route tables: the admin API the Integrations page calls
 * and the two public webhooks. Each shape is a TypeBox schema, its type derived with `Static<>`, so the
 * routes' validation and serialization, the server's code and the renderer read one declaration.
 * Type-only safe for the renderer: no Node imports.
 */
import { Type, type Static } from '@sinclair/typebox'
import { ErrorBody, Nullable, NumericIdParams } from './common.js'

const NullableString = Nullable(Type.String())

export const PlatformName = Type.Union([Type.Literal('owncast'), Type.Literal('osp')])
export type PlatformName = Static<typeof PlatformName>

/** What a webhook meant, whatever format it arrived in (Owncast 0.1.x, current Owncast, OSP). */
export const NormalizedEventType = Type.Union([
  Type.Literal('stream.started'),
  Type.Literal('stream.stopped'),
  Type.Literal('stream.title_changed'),
  Type.Literal('viewer.joined'),
  Type.Literal('viewer.parted'),
  Type.Literal('chat.message'),
  Type.Literal('chat.name_changed'),
  Type.Literal('chat.visibility_changed'),
  Type.Literal('fediverse.followed'),
  Type.Literal('stream.upvoted'),
  Type.Literal('channel.subscribed'),
  Type.Literal('video.published'),
  Type.Literal('video.commented'),
  Type.Literal('video.upvoted'),
  Type.Literal('video.title_changed'),
  Type.Literal('user.registered'),
  Type.Literal('unknown'),
])
export type NormalizedEventType = Static<typeof NormalizedEventType>

/** The wire format an event arrived in. */
export const PlatformEventFormat = Type.Union([
  Type.Literal('owncast-0.1'),
  Type.Literal('owncast'),
  Type.Literal('osp'),
])
export type PlatformEventFormat = Static<typeof PlatformEventFormat>

export const PlatformUser = Type.Object({
  /** The platform's user id; null for OSP (which has none) and anonymous viewers. */
  id: NullableString,
  displayName: Type.String(),
  /** Owncast display colour 0-7. */
  displayColor: Nullable(Type.Integer()),
  authenticated: Type.Boolean(),
  isBot: Type.Boolean(),
  /** OSP sends anonymous viewers as "Guest". */
  anonymous: Type.Boolean(),
})
export type PlatformUser = Static<typeof PlatformUser>

/** Owncast's `status` block: the stream status when the event was sent. */
export const PlatformStreamStatus = Type.Object({
  online: Type.Boolean(),
  viewerCount: Nullable(Type.Number()),
  streamTitle: NullableString,
  /** ISO time the current (or last) broadcast started; identifies the session. */
  lastConnectTime: NullableString,
  lastDisconnectTime: NullableString,
  versionNumber: NullableString,
})
export type PlatformStreamStatus = Static<typeof PlatformStreamStatus>

export const NormalizedPlatformEvent = Type.Object({
  platform: PlatformName,
  type: NormalizedEventType,
  /** The type as sent ("CHAT", "NAME_CHANGE", "stream_start", ...). */
  sourceType: Type.String(),
  format: PlatformEventFormat,
  /** The platform's event id (Owncast), null when it sent none. */
  eventId: NullableString,
  /** ISO time the platform says the event happened; null when it sent none (or Go's zero time). */
  occurredAt: NullableString,
  user: Nullable(PlatformUser),
  status: Nullable(PlatformStreamStatus),
  serverUrl: NullableString,
  /** chat.message. `text` is the raw text the viewer typed: never render it as HTML. */
  chat: Type.Optional(
    Type.Object({
      messageId: NullableString,
      text: Type.String(),
      html: NullableString,
      visible: Type.Boolean(),
    }),
  ),
  /** chat.name_changed */
  nameChange: Type.Optional(Type.Object({ previousName: NullableString, newName: Type.String() })),
  /** chat.visibility_changed: moderation hid or showed these chat messages. */
  visibility: Type.Optional(
    Type.Object({ messageIds: Type.Array(Type.String()), visible: Type.Boolean() }),
  ),
  /** stream.* and OSP channel/video events. */
  stream: Type.Optional(
    Type.Object({
      title: NullableString,
      name: NullableString,
      summary: NullableString,
      url: NullableString,
      topic: NullableString,
      channelName: NullableString,
      streamer: NullableString,
    }),
  ),
  /** fediverse.followed */
  follow: Type.Optional(
    Type.Object({ name: Type.String(), username: Type.String(), image: NullableString }),
  ),
  /** OSP video events. */
  video: Type.Optional(
    Type.Object({
      name: Type.String(),
      url: NullableString,
      description: NullableString,
      comment: NullableString,
    }),
  ),
  /** An event sent by the dashboard's "send test event": stored, never acted on. */
  isTest: Type.Optional(Type.Boolean()),
  /** Owncast's id of the chat connection that sent this event (CHAT carries it), for private messages. */
  clientId: Type.Optional(Type.Integer({ minimum: 0 })),
})
export type NormalizedPlatformEvent = Static<typeof NormalizedPlatformEvent>

/** One stored event as the dashboard lists it. */
export const PlatformEventView = Type.Object({
  id: Type.Integer(),
  platform: PlatformName,
  type: NormalizedEventType,
  sourceType: Type.String(),
  eventId: NullableString,
  streamId: NullableString,
  receivedAt: Type.String(),
  occurredAt: NullableString,
  processed: Type.Boolean(),
  /** null for events stored before they could be normalized (never for accepted events). */
  normalized: Nullable(NormalizedPlatformEvent),
})
export type PlatformEventView = Static<typeof PlatformEventView>

export const StreamSessionView = Type.Object({
  id: Type.String(),
  platform: PlatformName,
  title: NullableString,
  startedAt: Type.String(),
  endedAt: NullableString,
  live: Type.Boolean(),
  /** 'event' (STREAM_STARTED / stream_start), 'status' (inferred from a status block). */
  startSource: Type.String(),
  endSource: NullableString,
})
export type StreamSessionView = Static<typeof StreamSessionView>

/**
 * How the Owncast webhook authenticates requests. 'signature': a signing secret is configured, every
 * request needs a valid `Owncast-Signature` (Owncast 0.3.0+). 'url-key': no signing secret, the secret
 * `?key=` in the webhook URL is required (older servers).
 */
export const OwncastWebhookAuthMode = Type.Union([
  Type.Literal('signature'),
  Type.Literal('url-key'),
])
export type OwncastWebhookAuthMode = Static<typeof OwncastWebhookAuthMode>

export const OwncastScope = Type.Union([
  Type.Literal('CAN_SEND_MESSAGES'),
  Type.Literal('CAN_SEND_SYSTEM_MESSAGES'),
  Type.Literal('HAS_ADMIN_ACCESS'),
])
export type OwncastScope = Static<typeof OwncastScope>

/** Owncast's External Action JSON: the tip button Owncast shows beside the player. */
export const ExternalActionJson = Type.Object({
  url: Type.String(),
  title: Type.String(),
  description: Type.String(),
  icon: Type.String(),
  color: Type.String(),
  openExternally: Type.Boolean(),
})
export type ExternalActionJson = Static<typeof ExternalActionJson>

export const OutboxMessageView = Type.Object({
  id: Type.Integer(),
  platform: PlatformName,
  kind: Type.Union([Type.Literal('chat'), Type.Literal('system')]),
  purpose: Type.String(),
  body: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAt: NullableString,
  lastError: NullableString,
  createdAt: Type.String(),
  sentAt: NullableString,
})
export type OutboxMessageView = Static<typeof OutboxMessageView>

export const OutboxRetryAllResponse = Type.Object({ requeued: Type.Integer() })
export type OutboxRetryAllResponse = Static<typeof OutboxRetryAllResponse>

export const OwncastSettingsView = Type.Object({
  /** Owncast server base URL, '' when not set. */
  baseUrl: Type.String(),
  accessTokenConfigured: Type.Boolean(),
  signingSecretConfigured: Type.Boolean(),
  authMode: OwncastWebhookAuthMode,
  /** Post a thank-you in chat for each completed tip. */
  thankYouEnabled: Type.Boolean(),
  /** Template with {name} {amount} {tier} {perk} {message}. */
  chatTemplate: Type.String(),
  /** Answer `!tip` in chat with the tip page link (at most once per 30 s). */
  tipCommandEnabled: Type.Boolean(),
  /** Thank a tipper who came from Owncast chat with a system message only they see. */
  privateThanks: Type.Boolean(),
})
export type OwncastSettingsView = Static<typeof OwncastSettingsView>

export const OspTemplate = Type.Object({
  trigger: Type.Integer(),
  event: Type.String(),
  title: Type.String(),
  /** False for triggers OSP 0.7+ never fires (upvotes, chat). */
  firedByOsp: Type.Boolean(),
  /** The URL to paste, event named in the query. */
  endpointUrl: Type.String(),
  /** OSP "Request Type": 0 = POST. */
  requestType: Type.Literal(0),
  /** The "Request Header" JSON to paste (the secret header included). */
  header: Type.String(),
  /** The "Request Payload" template to paste. */
  payload: Type.String(),
})
export type OspTemplate = Static<typeof OspTemplate>

export const IntegrationsOverview = Type.Object({
  publicUrl: Type.String(),
  /** False while WM_PUBLIC_URL is unset: the URLs below only work on this machine. */
  publicUrlConfigured: Type.Boolean(),
  owncast: Type.Composite([
    OwncastSettingsView,
    Type.Object({
      /** The URL to paste into Owncast (admin → Integrations → Webhooks), secret key included. */
      webhookUrl: Type.String(),
      lastEvent: Nullable(PlatformEventView),
      externalAction: ExternalActionJson,
    }),
  ]),
  osp: Type.Object({
    /** Base webhook URL; each template adds `?event=<name>`. */
    webhookUrl: Type.String(),
    /** The header JSON to paste into OSP, secret included. */
    header: Type.String(),
    lastEvent: Nullable(PlatformEventView),
  }),
  outbox: Type.Object({
    pending: Type.Integer(),
    failed: Type.Integer(),
    lastFailure: Nullable(OutboxMessageView),
    /** The last error of a message not sent yet (waiting for a retry, or given up): the reason. */
    lastProblem: Nullable(OutboxMessageView),
    /** The latest message sent otherwise than asked (a private thank-you posted publicly); lastError says why. */
    lastNote: Nullable(OutboxMessageView),
  }),
  liveStream: Nullable(StreamSessionView),
})
export type IntegrationsOverview = Static<typeof IntegrationsOverview>

export const OwncastSettingsPatch = Type.Object(
  {
    baseUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    thankYouEnabled: Type.Optional(Type.Boolean()),
    chatTemplate: Type.Optional(Type.String({ maxLength: 300 })),
    tipCommandEnabled: Type.Optional(Type.Boolean()),
    privateThanks: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type OwncastSettingsPatch = Static<typeof OwncastSettingsPatch>

/** A secret pasted by the streamer (never echoed back). */
export const SecretValueRequest = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
)
export type SecretValueRequest = Static<typeof SecretValueRequest>

/** null when not checked (unreachable, no token). */
const ScopeFlag = Nullable(Type.Boolean())

export const OwncastConnectionReport = Type.Object({
  ok: Type.Boolean(),
  /** GET /api/status answered. */
  reachable: Type.Boolean(),
  version: NullableString,
  online: Nullable(Type.Boolean()),
  tokenConfigured: Type.Boolean(),
  /** Owncast accepted the token for at least one scope. */
  tokenAccepted: Type.Boolean(),
  scopes: Type.Object({
    CAN_SEND_MESSAGES: ScopeFlag,
    CAN_SEND_SYSTEM_MESSAGES: ScopeFlag,
    HAS_ADMIN_ACCESS: ScopeFlag,
  }),
  /** Scopes the configured features need but the token lacks. */
  missing: Type.Array(OwncastScope),
  /** One plain sentence: what works, or what is wrong and how to fix it. */
  message: Type.String(),
})
export type OwncastConnectionReport = Static<typeof OwncastConnectionReport>

export const TestEventReport = Type.Object({
  arrived: Type.Boolean(),
  /**
   * What the test proved: `public-url` went out through WM_PUBLIC_URL (a tunnel or this server's own
   * address), so Owncast elsewhere can reach the app; `loopback` only reached the public listener on
   * this machine because no public URL is set.
   */
  reach: Type.Union([Type.Literal('public-url'), Type.Literal('loopback')]),
  /** The URL posted to, secrets removed. */
  url: Type.String(),
  httpStatus: Nullable(Type.Integer()),
  message: Type.String(),
})
export type TestEventReport = Static<typeof TestEventReport>

export const OspTemplatesResponse = Type.Object({
  header: Type.String(),
  templates: Type.Array(OspTemplate),
})
export type OspTemplatesResponse = Static<typeof OspTemplatesResponse>

export const OwncastWebhookUrlResponse = Type.Object({ webhookUrl: Type.String() })
export type OwncastWebhookUrlResponse = Static<typeof OwncastWebhookUrlResponse>

export const OspHeaderResponse = Type.Object({ header: Type.String() })
export type OspHeaderResponse = Static<typeof OspHeaderResponse>

const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500 }))

/** ?platform=&limit=&beforeId= (newest first) */
export const PlatformEventsQuery = Type.Object({
  platform: Type.Optional(PlatformName),
  limit: Limit,
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type PlatformEventsQuery = Static<typeof PlatformEventsQuery>

export const LimitQuery = Type.Object({ limit: Limit })
export type LimitQuery = Static<typeof LimitQuery>

export const PlatformEventsResponse = Type.Object({ events: Type.Array(PlatformEventView) })
export type PlatformEventsResponse = Static<typeof PlatformEventsResponse>

export const StreamSessionsResponse = Type.Object({
  live: Nullable(StreamSessionView),
  streams: Type.Array(StreamSessionView),
})
export type StreamSessionsResponse = Static<typeof StreamSessionsResponse>

export const OutboxResponse = Type.Object({
  pending: Type.Integer(),
  failed: Type.Integer(),
  messages: Type.Array(OutboxMessageView),
})
export type OutboxResponse = Static<typeof OutboxResponse>

const Errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } as const

/**
 * The admin API of this feature (local listener, under /api; mutations need the admin session and the
 * same origin). Secrets are accepted by PUT and never echoed; DELETE of the signing secret goes back to
 * the URL key. Lists are newest first.
 */
export const integrationAdminRoutes = {
  'GET /integrations': { response: { 200: IntegrationsOverview } },
  'PATCH /integrations/owncast': {
    body: OwncastSettingsPatch,
    response: { 200: OwncastSettingsView, ...Errors },
  },
  'PUT /integrations/owncast/access-token': {
    body: SecretValueRequest,
    response: { 200: OwncastSettingsView, ...Errors },
  },
  'DELETE /integrations/owncast/access-token': { response: { 200: OwncastSettingsView } },
  'PUT /integrations/owncast/signing-secret': {
    body: SecretValueRequest,
    response: { 200: OwncastSettingsView, ...Errors },
  },
  'DELETE /integrations/owncast/signing-secret': { response: { 200: OwncastSettingsView } },
  'POST /integrations/owncast/rotate-webhook-key': {
    response: { 200: OwncastWebhookUrlResponse },
  },
  'POST /integrations/owncast/test-connection': { response: { 200: OwncastConnectionReport } },
  'POST /integrations/owncast/test-event': { response: { 200: TestEventReport } },
  /** 409 while the Owncast address or access token is missing. */
  'POST /integrations/owncast/test-message': { response: { 200: OutboxMessageView, ...Errors } },
  'GET /integrations/owncast/external-action': { response: { 200: ExternalActionJson } },
  'GET /integrations/osp/templates': { response: { 200: OspTemplatesResponse } },
  'POST /integrations/osp/rotate-token': { response: { 200: OspHeaderResponse } },
  'GET /integrations/events': {
    querystring: PlatformEventsQuery,
    response: { 200: PlatformEventsResponse, ...Errors },
  },
  'GET /integrations/streams': {
    querystring: LimitQuery,
    response: { 200: StreamSessionsResponse, ...Errors },
  },
  'GET /integrations/outbox': {
    querystring: LimitQuery,
    response: { 200: OutboxResponse, ...Errors },
  },
  /** Tries every unsent chat message again now. */
  'POST /integrations/outbox/retry': { response: { 200: OutboxRetryAllResponse } },
  'POST /integrations/outbox/:id/retry': {
    params: NumericIdParams,
    response: { 200: OutboxMessageView, ...Errors },
  },
} as const

/** A webhook's answer once the raw event is durably stored (processing comes after). */
export const WebhookAccepted = Type.Object({
  status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate')]),
  /** The normalized type; kept a plain string so the hot path serializes it without a union check. */
  type: Type.String(),
  eventId: NullableString,
})
export type WebhookAccepted = Static<typeof WebhookAccepted>

export const OwncastWebhookQuery = Type.Object({
  key: Type.Optional(Type.String({ maxLength: 256 })),
})
export type OwncastWebhookQuery = Static<typeof OwncastWebhookQuery>

export const OspWebhookQuery = Type.Object({
  event: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
  key: Type.Optional(Type.String({ maxLength: 256 })),
})
export type OspWebhookQuery = Static<typeof OspWebhookQuery>

const WebhookErrors = { 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 429: ErrorBody } as const

/**
 * The Owncast webhook on the public listener. The body is read raw (signatures cover the exact bytes),
 * so it declares no body schema.
 */
export const owncastWebhookRoutes = {
  'POST /webhooks/owncast': {
    querystring: OwncastWebhookQuery,
    response: { 202: WebhookAccepted, ...WebhookErrors, 415: ErrorBody },
  },
} as const

const ospWebhook = {
  querystring: OspWebhookQuery,
  response: { 202: WebhookAccepted, ...WebhookErrors },
} as const

/**
 * The OSP webhook: OSP's request types 0..3 are POST, GET, PUT and DELETE with the same body, so one
 * route answers all four (and shares one rate limit).
 */
export const ospWebhookRoutes = {
  'POST /webhooks/osp': ospWebhook,
  'PUT /webhooks/osp': ospWebhook,
  'GET /webhooks/osp': ospWebhook,
  'DELETE /webhooks/osp': ospWebhook,
} as const
