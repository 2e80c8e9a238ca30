import type { AiSettingsPatch, AiSettingsView } from '../contracts/tiers.js'
import { AI_TIMEOUT_MS, requestAiTierNames, type AiEndpoint, type AiTierNames } from './aiTiers.js'
import { TierError, TierErrorCode as Code } from './errors.js'
import type { TierServiceDeps } from './tierService.js'

/** The model that names suggested tiers: its settings, and its answers cached for a while. */
export interface AiNames {
  settings(): AiSettingsView
  setSettings(input: AiSettingsPatch): AiSettingsView
  /** The configured endpoint, or undefined when AI naming is off. */
  endpoint(): AiEndpoint | undefined
  /** Names for a ladder, or undefined when the model failed (reported to `onAiFallback`). */
  names(
    endpoint: AiEndpoint,
    request: { theme: string; currency: string; segment: string; amounts: string[] },
  ): Promise<AiTierNames[] | undefined>
}

const AI_CACHE_TTL_MS = 10 * 60_000
const AI_CACHE_LIMIT = 200
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS

/** Counts model calls in a rolling minute and a rolling day; a call over either limit is not made. */
function createCallBudget(perMinute: number, perDay: number, now: () => number) {
  const calls: number[] = []
  return {
    take(): string | null {
      const at = now()
      while (calls.length > 0 && (calls[0] as number) <= at - DAY_MS) calls.shift()
      const lastMinute = calls.filter((t) => t > at - MINUTE_MS).length
      if (lastMinute >= perMinute) return `the AI budget of ${perMinute} calls a minute is used up`
      if (calls.length >= perDay) return `the AI budget of ${perDay} calls a day is used up`
      calls.push(at)
      return null
    },
  }
}

export function createAiNames(
  deps: Pick<
    TierServiceDeps,
    | 'settings'
    | 'secrets'
    | 'fetch'
    | 'aiTimeoutMs'
    | 'onAiFallback'
    | 'now'
    | 'aiCallsPerMinute'
    | 'aiCallsPerDay'
  >,
): AiNames {
  const now = deps.now ?? Date.now
  const cache = new Map<string, { at: number; names: AiTierNames[] }>()
  const budget = createCallBudget(deps.aiCallsPerMinute ?? 20, deps.aiCallsPerDay ?? 500, now)

  function settings(): AiSettingsView {
    let apiKeyConfigured = false
    try {
      apiKeyConfigured = deps.secrets.has('ai.apiKey')
    } catch {
      apiKeyConfigured = false
    }
    return {
      baseUrl: deps.settings.get('tiers.aiBaseUrl') ?? '',
      model: deps.settings.get('tiers.aiModel') ?? '',
      apiKeyConfigured,
    }
  }

  return {
    settings,
    setSettings(input) {
      if (input.baseUrl !== undefined && input.baseUrl !== '') {
        let url: URL
        try {
          url = new URL(input.baseUrl)
        } catch {
          throw new TierError(Code.InvalidAiSettings, 'body.baseUrl is not a URL', 'body.baseUrl')
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new TierError(
            Code.InvalidAiSettings,
            'body.baseUrl must be http or https',
            'body.baseUrl',
          )
      }
      if (input.baseUrl !== undefined) deps.settings.set('tiers.aiBaseUrl', input.baseUrl.trim())
      if (input.model !== undefined) deps.settings.set('tiers.aiModel', input.model.trim())
      if (input.apiKey === null) {
        if (deps.secrets.has('ai.apiKey')) deps.secrets.delete('ai.apiKey')
      } else if (input.apiKey !== undefined && input.apiKey !== '')
        deps.secrets.set('ai.apiKey', input.apiKey)
      cache.clear()
      return settings()
    },
    endpoint() {
      const view = settings()
      if (!view.baseUrl || !view.model) return undefined
      let apiKey: string | undefined
      try {
        apiKey = deps.secrets.get('ai.apiKey')
      } catch {
        apiKey = undefined
      }
      return { baseUrl: view.baseUrl, model: view.model, ...(apiKey ? { apiKey } : {}) }
    },
    async names(endpoint, request) {
      const key = JSON.stringify([endpoint.baseUrl, endpoint.model, request])
      const hit = cache.get(key)
      if (hit && now() - hit.at < AI_CACHE_TTL_MS) return hit.names
      const refused = budget.take()
      if (refused) {
        deps.onAiFallback?.(refused)
        return undefined
      }
      try {
        const names = await requestAiTierNames(endpoint, request, {
          timeoutMs: deps.aiTimeoutMs ?? AI_TIMEOUT_MS,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        })
        if (cache.size >= AI_CACHE_LIMIT) cache.clear()
        cache.set(key, { at: now(), names })
        return names
      } catch (error) {
        deps.onAiFallback?.((error as Error).message)
        return undefined
      }
    },
  }
}
