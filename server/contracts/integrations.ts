/**
 * Types of the Owncast / OSP integration (issue 4) shared by the server's route schemas and the renderer's
 * Integrations page. Type-only safe for the renderer: no Node imports.
 */

export type PlatformName = 'owncast' | 'osp'

/** What a webhook meant, whatever format it arrived in (Owncast 0.1.x, current Owncast, OSP). */
export type NormalizedEventType =
  | 'stream.started'
  | 'stream.stopped'
  | 'stream.title_changed'
  | 'viewer.joined'
  | 'viewer.parted'
  | 'chat.message'
  | 'chat.name_changed'
  | 'chat.visibility_changed'
  | 'fediverse.followed'
  | 'stream.upvoted'
  | 'channel.subscribed'
  | 'video.published'
  | 'video.commented'
  | 'video.upvoted'
  | 'video.title_changed'
  | 'user.registered'
  | 'unknown'

/** The wire format an event arrived in. */
export type PlatformEventFormat = 'owncast-0.1' | 'owncast' | 'osp'

export interface PlatformUser {
  /** The platform's user id; null for OSP (which has none) and anonymous viewers. */
  id: string | null
  displayName: string
  /** Owncast display colour 0-7. */
  displayColor: number | null
  authenticated: boolean
  isBot: boolean
  /** OSP sends anonymous viewers as "Guest". */
  anonymous: boolean
}

/** Owncast's `status` block: the stream status when the event was sent. */
export interface PlatformStreamStatus {
  online: boolean
  viewerCount: number | null
  streamTitle: string | null
  /** ISO time the current (or last) broadcast started; identifies the session. */
  lastConnectTime: string | null
  lastDisconnectTime: string | null
  versionNumber: string | null
}

export interface NormalizedPlatformEvent {
  platform: PlatformName
  type: NormalizedEventType
  /** The type as sent ("CHAT", "NAME_CHANGE", "stream_start", ...). */
  sourceType: string
  format: PlatformEventFormat
  /** The platform's event id (Owncast), null when it sent none. */
  eventId: string | null
  /** ISO time the platform says the event happened; null when it sent none (or Go's zero time). */
  occurredAt: string | null
  user: PlatformUser | null
  status: PlatformStreamStatus | null
  serverUrl: string | null
  /** chat.message. `text` is the raw text the viewer typed: never render it as HTML. */
  chat?: { messageId: string | null; text: string; html: string | null; visible: boolean }
  /** chat.name_changed */
  nameChange?: { previousName: string | null; newName: string }
  /** chat.visibility_changed: moderation hid or showed these chat messages. */
  visibility?: { messageIds: string[]; visible: boolean }
  /** stream.* and OSP channel/video events. */
  stream?: {
    title: string | null
    name: string | null
    summary: string | null
    url: string | null
    topic: string | null
    channelName: string | null
    streamer: string | null
  }
  /** fediverse.followed */
  follow?: { name: string; username: string; image: string | null }
  /** OSP video events. */
  video?: { name: string; url: string | null; description: string | null; comment: string | null }
  /** An event sent by the dashboard's "send test event": stored, never acted on. */
  isTest?: boolean
}

/** One stored event as the dashboard lists it. */
export interface PlatformEventView {
  id: number
  platform: PlatformName
  type: NormalizedEventType
  sourceType: string
  eventId: string | null
  streamId: string | null
  receivedAt: string
  occurredAt: string | null
  processed: boolean
  /** null for events stored before they could be normalized (never for accepted events). */
  normalized: NormalizedPlatformEvent | null
}

export interface StreamSessionView {
  id: string
  platform: PlatformName
  title: string | null
  startedAt: string
  endedAt: string | null
  live: boolean
  /** 'event' (STREAM_STARTED / stream_start), 'status' (inferred from a status block). */
  startSource: string
  endSource: string | null
}

/** How the Owncast webhook authenticates requests. */
export type OwncastWebhookAuthMode =
  /** A signing secret is configured: every request needs a valid `Owncast-Signature` (Owncast 0.3.0+). */
  | 'signature'
  /** No signing secret: the secret `?key=` in the webhook URL is required (older servers). */
  | 'url-key'

export type OwncastScope = 'CAN_SEND_MESSAGES' | 'CAN_SEND_SYSTEM_MESSAGES' | 'HAS_ADMIN_ACCESS'

export interface ExternalActionJson {
  url: string
  title: string
  description: string
  icon: string
  color: string
  openExternally: boolean
}

export interface OutboxMessageView {
  id: number
  platform: PlatformName
  kind: 'chat' | 'system'
  purpose: string
  body: string
  state: 'pending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

export interface OwncastSettingsView {
  /** Owncast server base URL, '' when not set. */
  baseUrl: string
  accessTokenConfigured: boolean
  signingSecretConfigured: boolean
  authMode: OwncastWebhookAuthMode
  /** Post a thank-you in chat for each completed tip. */
  thankYouEnabled: boolean
  /** Template with {name} {amount} {tier} {perk} {message}. */
  chatTemplate: string
  /** Answer `!tip` in chat with the tip page link (at most once per 30 s). */
  tipCommandEnabled: boolean
}

export interface OspTemplate {
  trigger: number
  event: string
  title: string
  /** False for triggers OSP 0.7+ never fires (upvotes, chat). */
  firedByOsp: boolean
  /** The URL to paste, event named in the query. */
  endpointUrl: string
  /** OSP "Request Type": 0 = POST. */
  requestType: 0
  /** The "Request Header" JSON to paste (the secret header included). */
  header: string
  /** The "Request Payload" template to paste. */
  payload: string
}

export interface IntegrationsOverview {
  publicUrl: string
  /** False while WM_PUBLIC_URL is unset: the URLs below only work on this machine. */
  publicUrlConfigured: boolean
  owncast: OwncastSettingsView & {
    /** The URL to paste into Owncast (admin → Integrations → Webhooks), secret key included. */
    webhookUrl: string
    lastEvent: PlatformEventView | null
    externalAction: ExternalActionJson
  }
  osp: {
    /** Base webhook URL; each template adds `?event=<name>`. */
    webhookUrl: string
    /** The header JSON to paste into OSP, secret included. */
    header: string
    lastEvent: PlatformEventView | null
  }
  outbox: { pending: number; failed: number; lastFailure: OutboxMessageView | null }
  liveStream: StreamSessionView | null
}

export interface OwncastSettingsPatch {
  baseUrl?: string
  thankYouEnabled?: boolean
  chatTemplate?: string
  tipCommandEnabled?: boolean
}

export interface SecretValueRequest {
  value: string
}

export interface OwncastConnectionReport {
  ok: boolean
  /** GET /api/status answered. */
  reachable: boolean
  version: string | null
  online: boolean | null
  tokenConfigured: boolean
  /** Owncast accepted the token for at least one scope. */
  tokenAccepted: boolean
  /** null when not checked (unreachable, no token). */
  scopes: Record<OwncastScope, boolean | null>
  /** Scopes the configured features need but the token lacks. */
  missing: OwncastScope[]
  /** One plain sentence: what works, or what is wrong and how to fix it. */
  message: string
}

export interface TestEventReport {
  arrived: boolean
  /** The URL posted to, secrets removed. */
  url: string
  httpStatus: number | null
  message: string
}

/** GET /api/integrations/osp/templates */
export interface OspTemplatesResponse {
  header: string
  templates: OspTemplate[]
}

/** GET /api/integrations/events?platform=&limit=&beforeId= (newest first) */
export interface PlatformEventsResponse {
  events: PlatformEventView[]
}

/** GET /api/integrations/streams?limit= (newest first) */
export interface StreamSessionsResponse {
  live: StreamSessionView | null
  streams: StreamSessionView[]
}

/** GET /api/integrations/outbox?limit= (newest first) */
export interface OutboxResponse {
  pending: number
  failed: number
  messages: OutboxMessageView[]
}

/**
 * The admin API of this feature (local listener, under /api; mutations need the admin session and the
 * same origin):
 * - GET    /integrations                          → IntegrationsOverview
 * - PATCH  /integrations/owncast                  OwncastSettingsPatch → OwncastSettingsView
 * - PUT    /integrations/owncast/access-token     SecretValueRequest → OwncastSettingsView (never echoed)
 * - DELETE /integrations/owncast/access-token     → OwncastSettingsView
 * - PUT    /integrations/owncast/signing-secret   SecretValueRequest → OwncastSettingsView
 * - DELETE /integrations/owncast/signing-secret   → OwncastSettingsView (back to the URL key)
 * - POST   /integrations/owncast/rotate-webhook-key → { webhookUrl }
 * - POST   /integrations/owncast/test-connection  → OwncastConnectionReport
 * - POST   /integrations/owncast/test-event       → TestEventReport
 * - POST   /integrations/owncast/test-message     → OutboxMessageView (409 when not configured)
 * - GET    /integrations/owncast/external-action  → ExternalActionJson
 * - GET    /integrations/osp/templates            → OspTemplatesResponse
 * - POST   /integrations/osp/rotate-token         → { header }
 * - GET    /integrations/events                   → PlatformEventsResponse
 * - GET    /integrations/streams                  → StreamSessionsResponse
 * - GET    /integrations/outbox                   → OutboxResponse
 * - POST   /integrations/outbox/:id/retry         → OutboxMessageView
 */ export const INTEGRATIONS_API_PREFIX = '/api/integrations'
