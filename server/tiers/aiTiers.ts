import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** Default wait for the model before the built-in generator takes over: a stream cannot wait long. */
export const AI_TIMEOUT_MS = 5_000

export interface AiEndpoint {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1. */
  baseUrl: string
  model: string
  apiKey?: string
}

export interface AiTierRequest {
  theme: string
  currency: string
  segment: string
  /** Decimal amounts, ascending; the answer must name exactly this many tiers. */
  amounts: string[]
}

const AiTier = Type.Object({
  emoji: Type.String({ minLength: 1, maxLength: 16 }),
  name: Type.String({ minLength: 1, maxLength: 40 }),
  perk: Type.String({ minLength: 1, maxLength: 120 }),
})
const AiAnswer = Type.Object({ tiers: Type.Array(AiTier, { minItems: 1, maxItems: 50 }) })
export type AiTierNames = Static<typeof AiTier>

const ChatCompletion = Type.Object({
  choices: Type.Array(Type.Object({ message: Type.Object({ content: Type.String() }) }), {
    minItems: 1,
  }),
})

export class AiAnswerError extends Error {
  override name = 'AiAnswerError'
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f<>]/g, '').trim()
}

/** Extracts the JSON object from a reply that may be wrapped in a ```json fence or prose. */
function parseJsonObject(content: string): unknown {
  const start = content.indexOf('{')
  const end = content.lastIndexOf('}')
  if (start < 0 || end <= start) throw new AiAnswerError('the answer holds no JSON object')
  try {
    return JSON.parse(content.slice(start, end + 1))
  } catch {
    throw new AiAnswerError('the answer is not valid JSON')
  }
}

/**
 * Asks an OpenAI-compatible chat endpoint for themed names and perks. Throws on any problem (network,
 * status, timeout, shape, count); the caller falls back to the built-in generator. Amounts never come
 * from the model: they stay the exact ones the generator chose.
 */
export async function requestAiTierNames(
  endpoint: AiEndpoint,
  request: AiTierRequest,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<AiTierNames[]> {
  const doFetch = options.fetch ?? fetch
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`
  const count = request.amounts.length
  const prompt =
    `Theme: ${request.theme}. Audience: ${request.segment}. Currency: ${request.currency}.\n` +
    `Name ${count} tip tiers for a live stream, one per amount, in this order: ${request.amounts.join(', ')}.\n` +
    'Reply with JSON only: {"tiers":[{"emoji":"one emoji","name":"short name (max 40 chars)",' +
    '"perk":"what the supporter gets (max 120 chars)"}]}'
  const response = await doFetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: endpoint.model,
      temperature: 0.7,
      response_format: { type: 'json_object' },
      messages: [
        {
          role: 'system',
          content: 'You write playful, family-friendly tip tier names. Answer with JSON only.',
        },
        { role: 'user', content: prompt },
      ],
    }),
    // The signal also bounds reading the body: a model that stalls mid-answer still falls back on time.
    signal: AbortSignal.timeout(options.timeoutMs ?? AI_TIMEOUT_MS),
  })
  if (!response.ok) throw new AiAnswerError(`the endpoint answered HTTP ${response.status}`)
  const completion: unknown = await response.json()
  if (!Value.Check(ChatCompletion, completion)) throw new AiAnswerError('not a chat completion')
  const answer = parseJsonObject(completion.choices[0]?.message.content ?? '')
  if (!Value.Check(AiAnswer, answer))
    throw new AiAnswerError('the tiers do not match the tier schema')
  if (answer.tiers.length !== count)
    throw new AiAnswerError(`expected ${count} tiers, got ${answer.tiers.length}`)
  const tiers = answer.tiers.map((tier) => ({
    emoji: clean(tier.emoji),
    name: clean(tier.name),
    perk: clean(tier.perk),
  }))
  if (tiers.some((tier) => !tier.emoji || !tier.name || !tier.perk))
    throw new AiAnswerError('a tier is empty once cleaned')
  return tiers
}
