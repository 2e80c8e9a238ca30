import type {
  NormalizedEventType,
  NormalizedPlatformEvent,
  PlatformStreamStatus,
  PlatformUser,
} from '../../contracts/integrations.js'
import { cleanText } from '../../contracts/text.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'

/**
 * Owncast webhook payloads, both the 0.1.x and the current format (fixtures/README.md): the type is only
 * in the body (`{"type": ..., "eventData": {...}}`); 0.1.x has no `status`/`serverURL`, a `clientId`, an
 * empty id and Go's zero time on NAME_CHANGE, and capitalised `MessageIDs`/`Visible` on VISIBILITY-UPDATE.
 */
export const OWNCAST_EVENT_TYPES: Record<string, NormalizedEventType> = {
  CHAT: 'chat.message',
  USER_JOINED: 'viewer.joined',
  USER_PARTED: 'viewer.parted',
  NAME_CHANGE: 'chat.name_changed',
  // The docs say NAME_CHANGED; the wire says NAME_CHANGE. Accept both.
  NAME_CHANGED: 'chat.name_changed',
  'VISIBILITY-UPDATE': 'chat.visibility_changed',
  STREAM_STARTED: 'stream.started',
  STREAM_STOPPED: 'stream.stopped',
  STREAM_TITLE_UPDATED: 'stream.title_changed',
  FEDIVERSE_ENGAGEMENT_FOLLOW: 'fediverse.followed',
}

/** The prefix of event ids the dashboard's "send test event" uses. */
export const TEST_EVENT_ID_PREFIX = 'wmtest_'

const TYPE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string, field: string): IntegrationError {
  return new IntegrationError(IntegrationErrorCode.InvalidEvent, message, field)
}

function optionalString(data: Json, key: string): string | null {
  const value = data[key]
  return typeof value === 'string' ? value : null
}

/** A text field a person wrote (a name, a title), under the one text rule. */
function optionalText(data: Json, key: string): string | null {
  return cleanText(optionalString(data, key))
}

/** Go's zero time and unparsable values become null; nanosecond fractions and offsets are fine. */
export function parseOwncastTime(value: unknown): number | null {
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-01-01')) return null
  // V8 reads Go's nanosecond fractions (and drops what is below a millisecond).
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? ms : null
}

function isoOrNull(value: unknown): string | null {
  const ms = parseOwncastTime(value)
  return ms === null ? null : new Date(ms).toISOString()
}

function parseUser(value: unknown, field: string, required: boolean): PlatformUser | null {
  if (value === null || value === undefined) {
    if (required) throw invalid(`${field} is required for this event type.`, field)
    return null
  }
  if (!isObject(value)) throw invalid(`${field} must be an object.`, field)
  const displayName = value.displayName
  if (typeof displayName !== 'string') {
    throw invalid(`${field}.displayName must be a string.`, `${field}.displayName`)
  }
  const id = typeof value.id === 'string' && value.id !== '' ? value.id : null
  const color = value.displayColor
  return {
    id,
    displayName: cleanText(displayName) ?? '',
    displayColor: typeof color === 'number' && Number.isInteger(color) ? color : null,
    authenticated: value.authenticated === true,
    isBot: value.isBot === true,
    anonymous: false,
  }
}

function parseStatus(value: unknown): PlatformStreamStatus | null {
  if (!isObject(value)) return null
  const viewers = value.viewerCount
  return {
    online: value.online === true,
    viewerCount: typeof viewers === 'number' && Number.isFinite(viewers) ? viewers : null,
    streamTitle: optionalText(value, 'streamTitle'),
    lastConnectTime: isoOrNull(value.lastConnectTime),
    lastDisconnectTime: isoOrNull(value.lastDisconnectTime),
    versionNumber: optionalString(value, 'versionNumber'),
  }
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${field} must be an array of message ids.`, field)
  }
  return value as string[]
}

export interface ParsedOwncastEvent {
  /** Known types map to their meaning; a well-formed unknown type is 'unknown' (stored, ignored). */
  normalized: NormalizedPlatformEvent
}

/**
 * Validates an already JSON-parsed Owncast webhook body and normalises it. Throws an IntegrationError
 * (400, naming the field) for anything malformed; a well-formed body of an unknown type is accepted.
 */
export function normalizeOwncastEvent(body: unknown): NormalizedPlatformEvent {
  if (!isObject(body)) throw invalid('The body must be a JSON object.', 'body')
  const sourceType = body.type
  if (typeof sourceType !== 'string' || !TYPE_PATTERN.test(sourceType)) {
    throw invalid('body.type must be the event type, such as "CHAT".', 'body.type')
  }
  const data = body.eventData
  if (data === undefined) throw invalid('body.eventData is missing.', 'body.eventData')
  if (!isObject(data)) {
    throw invalid('body.eventData must be an object (not a string or array).', 'body.eventData')
  }
  const type: NormalizedEventType = OWNCAST_EVENT_TYPES[sourceType] ?? 'unknown'
  const status = parseStatus(data.status)
  const serverUrl = optionalString(data, 'serverURL')
  const format =
    type !== 'fediverse.followed' &&
    type !== 'unknown' &&
    (status === null || status.versionNumber?.startsWith('0.1.')) &&
    serverUrl === null
      ? 'owncast-0.1'
      : 'owncast'
  const rawId = data.id
  if (rawId !== undefined && rawId !== null && typeof rawId !== 'string') {
    throw invalid('body.eventData.id must be a string.', 'body.eventData.id')
  }
  const eventId = typeof rawId === 'string' && rawId !== '' ? rawId : null

  const event: NormalizedPlatformEvent = {
    platform: 'owncast',
    type,
    sourceType,
    format,
    eventId,
    occurredAt: isoOrNull(data.timestamp),
    user: null,
    status,
    serverUrl,
  }
  if (eventId?.startsWith(TEST_EVENT_ID_PREFIX)) event.isTest = true
  // Owncast's client ids are unsigned 32-bit numbers; anything else cannot address a connection.
  const clientId = data.clientId
  if (
    typeof clientId === 'number' &&
    Number.isInteger(clientId) &&
    clientId >= 0 &&
    clientId <= 0xffffffff
  )
    event.clientId = clientId

  switch (type) {
    case 'chat.message': {
      event.user = parseUser(data.user, 'body.eventData.user', true)
      const raw = data.rawBody
      const html = data.body
      if (typeof raw !== 'string' && typeof html !== 'string') {
        throw invalid(
          'body.eventData.rawBody (or body) must be a string.',
          'body.eventData.rawBody',
        )
      }
      // Owncast never sends an empty message; a CHAT without text is not a chat message.
      const text = cleanText(typeof raw === 'string' ? raw : null, { multiline: true })
      if (text === null && cleanText(typeof html === 'string' ? html : null) === null) {
        throw invalid(
          'body.eventData.rawBody is empty: a chat message needs text.',
          'body.eventData.rawBody',
        )
      }
      event.chat = {
        messageId: eventId,
        text: text ?? '',
        html: typeof html === 'string' ? html : null,
        visible: data.visible !== false,
      }
      break
    }
    case 'viewer.joined':
    case 'viewer.parted':
      event.user = parseUser(data.user, 'body.eventData.user', true)
      break
    case 'chat.name_changed': {
      event.user = parseUser(data.user, 'body.eventData.user', true)
      const newName = data.newName
      if (typeof newName !== 'string') {
        throw invalid('body.eventData.newName must be a string.', 'body.eventData.newName')
      }
      const previousNames = isObject(data.user) ? data.user.previousNames : undefined
      let previousName: string | null = null
      if (Array.isArray(previousNames)) {
        // previousNames ends with the new name; the one before it is the old name.
        const names = previousNames.filter((name): name is string => typeof name === 'string')
        const last = names[names.length - 1]
        previousName = (last === newName ? names[names.length - 2] : last) ?? null
      }
      event.nameChange = {
        previousName: cleanText(previousName),
        newName: cleanText(newName) ?? '',
      }
      break
    }
    case 'chat.visibility_changed': {
      const idsKey = 'ids' in data ? 'ids' : 'MessageIDs'
      const visibleKey = 'visible' in data ? 'visible' : 'Visible'
      const ids = stringArray(data[idsKey], `body.eventData.${idsKey}`)
      const visible = data[visibleKey]
      if (typeof visible !== 'boolean') {
        throw invalid(
          `body.eventData.${visibleKey} must be true or false.`,
          `body.eventData.${visibleKey}`,
        )
      }
      event.user = parseUser(data.user, 'body.eventData.user', false)
      event.visibility = { messageIds: ids, visible }
      break
    }
    case 'stream.started':
    case 'stream.stopped':
    case 'stream.title_changed':
      event.stream = {
        title: optionalText(data, 'streamTitle') ?? status?.streamTitle ?? null,
        name: optionalText(data, 'name'),
        summary: cleanText(optionalString(data, 'summary'), { multiline: true }),
        url: serverUrl,
        topic: null,
        channelName: optionalText(data, 'name'),
        streamer: null,
      }
      break
    case 'fediverse.followed': {
      const name = optionalText(data, 'name') ?? ''
      const username = optionalText(data, 'username') ?? ''
      if (name === '' && username === '') {
        throw invalid(
          'body.eventData.username (or name) is required for a follow.',
          'body.eventData.username',
        )
      }
      event.follow = { name, username, image: optionalString(data, 'image') }
      break
    }
    case 'unknown':
    default:
      break
  }
  return event
}
