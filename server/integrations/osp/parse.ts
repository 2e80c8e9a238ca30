import { isUtf8 } from 'node:buffer'
import type { NormalizedPlatformEvent, PlatformUser } from '../../contracts/integrations.js'
import { cleanText } from '../../contracts/text.js'
import { IntegrationError, IntegrationErrorCode } from '../errors.js'
import { refuseDuplicateKeys } from '../strictJson.js'
import {
  OSP_ALL_VARIABLES,
  OSP_EVENTS_BY_NAME,
  templateKeys,
  type OspEventDefinition,
} from './events.js'

export interface ParsedOspBody {
  eventName: string
  definition: OspEventDefinition | null
  fields: Record<string, string>
  encoding: 'utf-8' | 'latin1'
  /** The JSON was invalid (unescaped quote, backslash or newline) and was recovered from the template. */
  recovered: boolean
  text: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const VARIABLE = /%([a-z]+)%/g
/** The OSP variables whose text may have several lines. */
const MULTILINE = new Set(['message', 'comment', 'channeldescription', 'videodescription'])

/** OSP writes empty values as the literal NA and leaves variables a call site does not pass as %name%. */
export function cleanOspValue(value: string): string {
  if (value === 'NA') return ''
  return value.replace(VARIABLE, (whole, name: string) =>
    OSP_ALL_VARIABLES.has(name) ? '' : whole,
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * OSP substitutes without escaping, so a `"`, `\` or newline in a value breaks the JSON. Our templates put
 * every key on its own line in a known order: cut the text at those keys and take each value verbatim.
 */
function recoverFromTemplate(text: string, definition: OspEventDefinition): Record<string, string> {
  const keys = ['osp', 'event', 'trigger', ...templateKeys(definition)]
  const marker = new RegExp(`(?:^|[{,])\\s*"(${keys.map(escapeRegExp).join('|')})"\\s*:\\s*`, 'g')
  const starts: { key: string; valueStart: number; markerStart: number }[] = []
  let expected = 0
  for (const match of text.matchAll(marker)) {
    const key = match[1] as string
    // Only accept keys in template order: a value that happens to contain `"user": ` is not a key.
    const index = keys.indexOf(key, expected)
    if (index === -1) continue
    expected = index + 1
    starts.push({
      key,
      valueStart: (match.index ?? 0) + match[0].length,
      markerStart: match.index ?? 0,
    })
  }
  const end = text.lastIndexOf('}')
  // Only a body that has every key of our template, in order, can be cut apart safely.
  if (starts.length !== keys.length || end === -1) return {}
  const fields: Record<string, string> = {}
  starts.forEach((start, index) => {
    const next = starts[index + 1]
    let value = text.slice(start.valueStart, next ? next.markerStart : end).trim()
    if (value.endsWith(',')) value = value.slice(0, -1).trimEnd()
    // OSP never escapes: the text between the quotes is the value, verbatim.
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1)
    fields[start.key] = value
  })
  return fields
}

function invalidJson(message: string): IntegrationError {
  return new IntegrationError(IntegrationErrorCode.InvalidJson, message, 'body')
}

/**
 * Tolerant parsing of what OSP sends: UTF-8, else Latin-1 (OSP's requests encodes text as ISO-8859-1);
 * `NA` and unreplaced `%variables%` become empty; invalid JSON is recovered when the URL names an event
 * whose template we generated, else a clear 400.
 */
export function parseOspBody(raw: Buffer, urlEvent: string | undefined): ParsedOspBody {
  const encoding = isUtf8(raw) ? 'utf-8' : 'latin1'
  let text = raw.toString(encoding === 'utf-8' ? 'utf8' : 'latin1')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') {
    throw new IntegrationError(
      IntegrationErrorCode.EmptyBody,
      'The request has no body: paste the payload template from WM Companion into OSP.',
      'body',
    )
  }
  const urlDefinition = urlEvent ? (OSP_EVENTS_BY_NAME.get(urlEvent) ?? null) : null
  let rawFields: Record<string, unknown>
  let recovered = false
  try {
    const parsed: unknown = JSON.parse(text)
    if (!isObject(parsed)) throw invalidJson('The body must be a JSON object.')
    refuseDuplicateKeys(text)
    rawFields = parsed
  } catch (error) {
    if (error instanceof IntegrationError) throw error
    if (!urlDefinition) {
      throw invalidJson(
        `The body is not valid JSON (${(error as Error).message}) and the URL names no known event to recover it with: use the webhook URL with ?event=<name> from WM Companion.`,
      )
    }
    rawFields = recoverFromTemplate(text, urlDefinition)
    if (Object.keys(rawFields).length === 0) {
      throw invalidJson(
        `The body is not valid JSON (${(error as Error).message}) and does not follow the ${urlDefinition.event} template from WM Companion.`,
      )
    }
    recovered = true
  }
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(rawFields)) {
    // Names, titles and chat are what people typed: the one text rule applies to every value.
    if (typeof value === 'string')
      fields[key] = cleanText(cleanOspValue(value), { multiline: MULTILINE.has(key) }) ?? ''
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value)
  }
  const bodyEvent = fields.event
  if (urlEvent && bodyEvent && bodyEvent !== urlEvent) {
    throw new IntegrationError(
      IntegrationErrorCode.OspEventMismatch,
      `The URL names the event "${urlEvent}" but the body says "${bodyEvent}": paste the matching template.`,
      'query.event',
    )
  }
  const eventName = urlEvent ?? bodyEvent
  if (!eventName) {
    throw new IntegrationError(
      IntegrationErrorCode.OspEventUnknown,
      'The request does not say which event it is: add ?event=<name> to the URL (copy it from WM Companion).',
      'query.event',
    )
  }
  return {
    eventName,
    definition: OSP_EVENTS_BY_NAME.get(eventName) ?? null,
    fields,
    encoding,
    recovered,
    text,
  }
}

function ospUser(fields: Record<string, string>): PlatformUser | null {
  if (!('user' in fields)) return null
  const name = fields.user ?? ''
  const anonymous = name === '' || name === 'Guest'
  return {
    id: null,
    displayName: anonymous ? 'Guest' : name,
    displayColor: null,
    authenticated: !anonymous,
    isBot: false,
    anonymous,
  }
}

const orNull = (value: string | undefined): string | null => (value ? value : null)

export function normalizeOspEvent(parsed: ParsedOspBody): NormalizedPlatformEvent {
  const { fields, definition } = parsed
  const event: NormalizedPlatformEvent = {
    platform: 'osp',
    type: definition?.type ?? 'unknown',
    sourceType: parsed.eventName,
    format: 'osp',
    eventId: null,
    occurredAt: null,
    user: ospUser(fields),
    status: null,
    serverUrl: null,
  }
  if (!definition) return event
  if ('channelname' in fields || 'streamname' in fields) {
    event.stream = {
      title: orNull(fields.streamname),
      name: orNull(fields.channelname),
      summary: orNull(fields.channeldescription),
      url: orNull(fields.streamurl ?? fields.channelurl),
      topic: orNull(fields.streamtopic),
      channelName: orNull(fields.channelname),
      streamer: orNull(fields.streamer),
    }
  }
  if ('videoname' in fields) {
    event.video = {
      name: fields.videoname ?? '',
      url: orNull(fields.videourl),
      description: orNull(fields.videodescription),
      comment: orNull(fields.comment),
    }
  }
  if (definition.type === 'chat.message') {
    if (!fields.message) {
      throw new IntegrationError(
        IntegrationErrorCode.InvalidEvent,
        'The chat message is empty: a chat message needs text.',
        'body.message',
      )
    }
    event.chat = { messageId: null, text: fields.message ?? '', html: null, visible: true }
  }
  return event
}
