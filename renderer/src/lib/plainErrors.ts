import { ApiError } from '../api/client.js'

/** What a screen shows for a failure: plain words, the field to highlight, the codes for a detail line. */
export interface PlainError {
  text: string
  /** The form field the failure is about, as the server names it without `body.` ("tiers.0.amount"). */
  field?: string
  /** Codes for whoever reports a problem: never the first thing a streamer reads. */
  detail: string
}

/** The request fields a screen can send, in the words of the form that shows them. */
const FIELD_LABELS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^baseUrl$/, () => 'The Owncast server address'],
  [/^value$/, () => 'The access token'],
  [/^walletAddress$/, () => 'The wallet address'],
  [/^keyId$/, () => 'The key id'],
  [/^privateKey$/, () => 'The private key'],
  [/^tiers\.(\d+)\.amount$/, (m) => `The amount of tier ${Number(m[1]) + 1}`],
  [/^tiers\.(\d+)\.name$/, (m) => `The name of tier ${Number(m[1]) + 1}`],
  [/^tiers\.(\d+)\.emoji$/, (m) => `The emoji of tier ${Number(m[1]) + 1}`],
  [/^tiers\.(\d+)\.perk$/, (m) => `The perk of tier ${Number(m[1]) + 1}`],
  [/^tiers$/, () => 'The tier list'],
  [/^chatTemplate$/, () => 'The thank-you template'],
  [/^minimumAmount/, () => 'The minimum amount'],
  [/^blockedWords/, () => 'The blocked words'],
  [/^tipLimits\.minimum/, () => 'The smallest tip'],
  [/^tipLimits\.maximum/, () => 'The largest tip'],
]

/** Ajv's phrases (the schema's words) said as a person would. */
const PROBLEMS: [RegExp, string][] = [
  [/must match format "uri"/, 'must be a full web address, such as https://live.example.org'],
  [/must match pattern/, 'has characters that are not allowed here'],
  [/must NOT have more than (\d+) characters/, 'is too long (at most $1 characters)'],
  [/must NOT have fewer than 1 characters/, 'cannot be empty'],
  [/must NOT have fewer than (\d+) characters/, 'is too short (at least $1 characters)'],
  [/must NOT have more than (\d+) items/, 'has too many entries (at most $1)'],
  [/must NOT have fewer than (\d+) items/, 'needs at least $1 entry'],
  [/must be (integer|number)/, 'must be a number'],
  [/must be string/, 'must be text'],
  [/must be boolean/, 'must be on or off'],
  [/is not a known field/, 'is not something this version understands (update the app)'],
  [/must have required property/, 'is missing'],
]

const CODE_TEXT: Record<string, string> = {
  network_error:
    'WM Companion did not answer. Is it still running? Start it again, then reload this page.',
  unauthorized: 'You are signed out. Open a new sign-in link to continue.',
  cross_origin: 'This change was refused because it did not come from the dashboard itself.',
  internal_error: 'Something went wrong inside WM Companion; the log has the details.',
  body_too_large: 'That is too much text to send at once.',
}

function fieldName(field: string | undefined): string | undefined {
  if (!field) return undefined
  return field.replace(/^(body|query|querystring|params)\.?/, '') || undefined
}

function label(field: string): string | undefined {
  for (const [pattern, say] of FIELD_LABELS) {
    const match = pattern.exec(field)
    if (match) return say(match)
  }
  return undefined
}

/**
 * One mapping from every error a screen can show to what a streamer reads. A server message already
 * written for people is kept; a schema message (`body.baseUrl must match format "uri"`) is rewritten
 * with the form's own label; the code, field and HTTP status go to the detail line.
 */
export function explainError(error: unknown): PlainError {
  const failure =
    error instanceof ApiError
      ? error
      : new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error))
  const field = fieldName(failure.field)
  const detailParts = [failure.code, field, failure.status ? `HTTP ${failure.status}` : undefined]
  const detail = detailParts.filter(Boolean).join(' · ')
  const known = CODE_TEXT[failure.code]
  if (known) return { text: known, field, detail }
  // Messages that open with the request path (`body.baseUrl must …`, the schema's and the features'
  // own) get the form's label instead, and the schema's phrase in plain words.
  const rawField = failure.field
  if (rawField && field && failure.message.startsWith(rawField)) {
    const rest = failure.message.slice(rawField.length).trim()
    const problem = PROBLEMS.find(([pattern]) => pattern.test(rest))
    const said = problem ? rest.replace(problem[0], problem[1]) : rest || 'is not valid'
    const who = label(field) ?? 'One of the fields'
    return { text: `${who} ${said}${/[.!?]$/.test(said) ? '' : '.'}`, field, detail }
  }
  return { text: failure.message, field, detail }
}
