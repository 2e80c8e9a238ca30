import { Type } from '@sinclair/typebox'

/** Route schemas mirroring server/contracts/integrations.ts (responses are serialized through them). */
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()])
const NullableString = Nullable(Type.String())

const PlatformName = Type.Union([Type.Literal('owncast'), Type.Literal('osp')])

const PlatformUser = Type.Object({
  id: NullableString,
  displayName: Type.String(),
  displayColor: Type.Union([Type.Integer(), Type.Null()]),
  authenticated: Type.Boolean(),
  isBot: Type.Boolean(),
  anonymous: Type.Boolean(),
})

const StreamStatus = Type.Object({
  online: Type.Boolean(),
  viewerCount: Type.Union([Type.Number(), Type.Null()]),
  streamTitle: NullableString,
  lastConnectTime: NullableString,
  lastDisconnectTime: NullableString,
  versionNumber: NullableString,
})

export const NormalizedEvent = Type.Object({
  platform: PlatformName,
  type: Type.String(),
  sourceType: Type.String(),
  format: Type.String(),
  eventId: NullableString,
  occurredAt: NullableString,
  user: Type.Union([PlatformUser, Type.Null()]),
  status: Type.Union([StreamStatus, Type.Null()]),
  serverUrl: NullableString,
  chat: Type.Optional(
    Type.Object({
      messageId: NullableString,
      text: Type.String(),
      html: NullableString,
      visible: Type.Boolean(),
    }),
  ),
  nameChange: Type.Optional(Type.Object({ previousName: NullableString, newName: Type.String() })),
  visibility: Type.Optional(
    Type.Object({ messageIds: Type.Array(Type.String()), visible: Type.Boolean() }),
  ),
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
  follow: Type.Optional(
    Type.Object({ name: Type.String(), username: Type.String(), image: NullableString }),
  ),
  video: Type.Optional(
    Type.Object({
      name: Type.String(),
      url: NullableString,
      description: NullableString,
      comment: NullableString,
    }),
  ),
  isTest: Type.Optional(Type.Boolean()),
})

export const PlatformEventView = Type.Object({
  id: Type.Integer(),
  platform: PlatformName,
  type: Type.String(),
  sourceType: Type.String(),
  eventId: NullableString,
  streamId: NullableString,
  receivedAt: Type.String(),
  occurredAt: NullableString,
  processed: Type.Boolean(),
  normalized: Type.Union([NormalizedEvent, Type.Null()]),
})

export const StreamSessionView = Type.Object({
  id: Type.String(),
  platform: PlatformName,
  title: NullableString,
  startedAt: Type.String(),
  endedAt: NullableString,
  live: Type.Boolean(),
  startSource: Type.String(),
  endSource: NullableString,
})

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

export const ExternalActionJson = Type.Object({
  url: Type.String(),
  title: Type.String(),
  description: Type.String(),
  icon: Type.String(),
  color: Type.String(),
  openExternally: Type.Boolean(),
})

const AuthMode = Type.Union([Type.Literal('signature'), Type.Literal('url-key')])

export const OwncastSettingsView = Type.Object({
  baseUrl: Type.String(),
  accessTokenConfigured: Type.Boolean(),
  signingSecretConfigured: Type.Boolean(),
  authMode: AuthMode,
  thankYouEnabled: Type.Boolean(),
  chatTemplate: Type.String(),
  tipCommandEnabled: Type.Boolean(),
})

export const IntegrationsOverview = Type.Object({
  publicUrl: Type.String(),
  publicUrlConfigured: Type.Boolean(),
  owncast: Type.Composite([
    OwncastSettingsView,
    Type.Object({
      webhookUrl: Type.String(),
      lastEvent: Type.Union([PlatformEventView, Type.Null()]),
      externalAction: ExternalActionJson,
    }),
  ]),
  osp: Type.Object({
    webhookUrl: Type.String(),
    header: Type.String(),
    lastEvent: Type.Union([PlatformEventView, Type.Null()]),
  }),
  outbox: Type.Object({
    pending: Type.Integer(),
    failed: Type.Integer(),
    lastFailure: Type.Union([OutboxMessageView, Type.Null()]),
  }),
  liveStream: Type.Union([StreamSessionView, Type.Null()]),
})

export const OwncastSettingsPatch = Type.Object(
  {
    baseUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    thankYouEnabled: Type.Optional(Type.Boolean()),
    chatTemplate: Type.Optional(Type.String({ maxLength: 300 })),
    tipCommandEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const SecretValue = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
)

const ScopeFlag = Type.Union([Type.Boolean(), Type.Null()])
const ScopeName = Type.Union([
  Type.Literal('CAN_SEND_MESSAGES'),
  Type.Literal('CAN_SEND_SYSTEM_MESSAGES'),
  Type.Literal('HAS_ADMIN_ACCESS'),
])

export const ConnectionReport = Type.Object({
  ok: Type.Boolean(),
  reachable: Type.Boolean(),
  version: NullableString,
  online: Type.Union([Type.Boolean(), Type.Null()]),
  tokenConfigured: Type.Boolean(),
  tokenAccepted: Type.Boolean(),
  scopes: Type.Object({
    CAN_SEND_MESSAGES: ScopeFlag,
    CAN_SEND_SYSTEM_MESSAGES: ScopeFlag,
    HAS_ADMIN_ACCESS: ScopeFlag,
  }),
  missing: Type.Array(ScopeName),
  message: Type.String(),
})

export const TestEventReport = Type.Object({
  arrived: Type.Boolean(),
  url: Type.String(),
  httpStatus: Type.Union([Type.Integer(), Type.Null()]),
  message: Type.String(),
})

export const OspTemplate = Type.Object({
  trigger: Type.Integer(),
  event: Type.String(),
  title: Type.String(),
  firedByOsp: Type.Boolean(),
  endpointUrl: Type.String(),
  requestType: Type.Literal(0),
  header: Type.String(),
  payload: Type.String(),
})

export const EventsQuery = Type.Object({
  platform: Type.Optional(PlatformName),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
})

export const LimitQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
