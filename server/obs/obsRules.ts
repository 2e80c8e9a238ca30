import { cleanViewerText } from '../alerts/viewerText.js'
import type { RecordedSupport } from '../contracts/events.js'
import { decimalToMinor, formatAmount } from '../contracts/money.js'
import type { ObsRule } from '../contracts/obs.js'

/** The rules a tip sets off: its tier (or any), its amount inside the range, both ends included. */
export function matchingRules(rules: readonly ObsRule[], event: RecordedSupport): ObsRule[] {
  if (event.kind !== 'tip' || event.isTest) return []
  const scale = event.amount.assetScale
  const value = BigInt(event.amount.value)
  return rules.filter((rule) => {
    if (rule.tierId !== null && rule.tierId !== event.tierId) return false
    if (rule.minAmount !== null && value < decimalToMinor(rule.minAmount, scale)) return false
    if (rule.maxAmount !== null && value > decimalToMinor(rule.maxAmount, scale)) return false
    return true
  })
}

/** A text source's text for a tip: viewer text is cleaned and cut, never interpreted. */
export function renderRuleText(template: string, event: RecordedSupport): string {
  const values: Record<string, string> = {
    name: cleanViewerText(event.supporterName, 40) ?? 'Anonymous',
    amount: formatAmount(event.amount),
    tier: cleanViewerText(event.tip?.tierName ?? null, 40) ?? '',
    message: cleanViewerText(event.message, 280) ?? '',
  }
  return template.replace(
    /\{(name|amount|tier|message)\}/g,
    (_match, key: string) => values[key] ?? '',
  )
}

/**
 * Whether a browser source's URL is one of this app's overlays: the overlay listener (127.0.0.1 or
 * localhost on its port) and an `/overlay/` path. Other pages in the streamer's OBS are never touched.
 */
export function isOwnOverlayUrl(url: unknown, localUrl: string): boolean {
  if (typeof url !== 'string') return false
  let parsed: URL
  let local: URL
  try {
    parsed = new URL(url)
    local = new URL(localUrl)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'http:' &&
    (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost') &&
    parsed.port === local.port &&
    parsed.pathname.startsWith('/overlay/')
  )
}
