import type { NormalizedEventType, OspTemplate } from '../../contracts/integrations.js'

/**
 * Open Streaming Platform 0.9.x webhooks (fixtures/README.md, OSP `functions/webhookFunc.py`): the
 * streamer pastes a URL, a header JSON and a payload template in which OSP replaces `%variable%` by
 * plain string replacement. Which variables each call site passes, and which triggers still fire.
 */
export interface OspEventDefinition {
  trigger: number
  event: string
  title: string
  type: NormalizedEventType
  firedByOsp: boolean
  variables: readonly string[]
}

const CHANNEL = [
  'channelname',
  'channelurl',
  'channeltopic',
  'channelimage',
  'streamer',
  'channeldescription',
]
const STREAM = ['streamname', 'streamurl', 'streamtopic', 'streamimage']
const VIDEO = [
  'videoname',
  'videodate',
  'videodescription',
  'videotopic',
  'videourl',
  'videothumbnail',
]
const USER = ['user', 'userpicture']

export const OSP_EVENTS: readonly OspEventDefinition[] = [
  {
    trigger: 0,
    event: 'stream_start',
    title: 'Stream start',
    type: 'stream.started',
    firedByOsp: true,
    variables: [...CHANNEL, ...STREAM],
  },
  {
    trigger: 1,
    event: 'stream_end',
    title: 'Stream end',
    type: 'stream.stopped',
    firedByOsp: true,
    variables: [...CHANNEL, ...STREAM],
  },
  {
    trigger: 2,
    event: 'stream_viewer_join',
    title: 'Viewer joins a stream',
    type: 'viewer.joined',
    firedByOsp: true,
    variables: [...CHANNEL, ...STREAM, ...USER],
  },
  {
    trigger: 3,
    event: 'stream_upvote',
    title: 'Stream upvote',
    type: 'stream.upvoted',
    firedByOsp: false,
    variables: [...CHANNEL, ...STREAM, ...USER],
  },
  {
    trigger: 4,
    event: 'stream_name_change',
    title: 'Stream name change',
    type: 'stream.title_changed',
    firedByOsp: true,
    variables: [...CHANNEL, ...STREAM],
  },
  {
    trigger: 5,
    event: 'chat_message',
    title: 'Chat message',
    type: 'chat.message',
    firedByOsp: false,
    variables: [...CHANNEL, ...STREAM, ...USER, 'message'],
  },
  {
    trigger: 6,
    event: 'new_video',
    title: 'New video',
    type: 'video.published',
    firedByOsp: true,
    variables: [...CHANNEL, ...VIDEO],
  },
  {
    trigger: 7,
    event: 'video_comment',
    title: 'Video comment',
    type: 'video.commented',
    firedByOsp: true,
    variables: [...CHANNEL, ...VIDEO, ...USER, 'comment'],
  },
  {
    trigger: 8,
    event: 'video_upvote',
    title: 'Video upvote',
    type: 'video.upvoted',
    firedByOsp: false,
    variables: [...CHANNEL, ...VIDEO, ...USER],
  },
  {
    trigger: 9,
    event: 'video_name_change',
    title: 'Video name change',
    type: 'video.title_changed',
    firedByOsp: true,
    variables: [...CHANNEL, ...VIDEO],
  },
  {
    trigger: 10,
    event: 'channel_subscription',
    title: 'Channel subscription',
    type: 'channel.subscribed',
    firedByOsp: true,
    variables: [...CHANNEL, ...USER],
  },
  {
    trigger: 20,
    event: 'new_user',
    title: 'New user (global webhook)',
    type: 'user.registered',
    firedByOsp: true,
    variables: ['user'],
  },
]

export const OSP_EVENTS_BY_NAME: ReadonlyMap<string, OspEventDefinition> = new Map(
  OSP_EVENTS.map((definition) => [definition.event, definition]),
)

export const OSP_ALL_VARIABLES: ReadonlySet<string> = new Set(
  OSP_EVENTS.flatMap((definition) => definition.variables),
)

/**
 * Fields viewers or the streamer type freely (they may hold `"`, `\` or newlines that break OSP's JSON)
 * go last in a template, so a broken value can be recovered up to the closing brace.
 */
const FREE_TEXT_ORDER = [
  'channelname',
  'streamer',
  'channeldescription',
  'streamname',
  'videoname',
  'videodescription',
  'user',
  'message',
  'comment',
]

/** The template's keys in order: fixed fields, then machine-made values, then free text. */
export function templateKeys(definition: OspEventDefinition): string[] {
  const machine = definition.variables.filter((name) => !FREE_TEXT_ORDER.includes(name))
  const free = FREE_TEXT_ORDER.filter((name) => definition.variables.includes(name))
  return [...machine, ...free]
}

export function renderTemplatePayload(definition: OspEventDefinition): string {
  const lines = [
    '  "osp": 1',
    `  "event": "${definition.event}"`,
    `  "trigger": ${definition.trigger}`,
    ...templateKeys(definition).map((name) => `  "${name}": "%${name}%"`),
  ]
  return `{\n${lines.join(',\n')}\n}`
}

export const OSP_TOKEN_HEADER = 'X-Companion-Token'

/** The "Request Header" JSON to paste: OSP sends exactly these headers. */
export function ospHeaderJson(token: string): string {
  return JSON.stringify({ 'Content-Type': 'application/json', [OSP_TOKEN_HEADER]: token }, null, 2)
}

/** One template per trigger for the streamer to paste into OSP (Channel → Webhooks). */
export function ospTemplates(webhookUrl: string, token: string): OspTemplate[] {
  const header = ospHeaderJson(token)
  return OSP_EVENTS.map((definition) => ({
    trigger: definition.trigger,
    event: definition.event,
    title: definition.title,
    firedByOsp: definition.firedByOsp,
    endpointUrl: `${webhookUrl}?event=${definition.event}`,
    requestType: 0,
    header,
    payload: renderTemplatePayload(definition),
  }))
}
