import type { DomainEvents } from '../../contracts/events.js'
import { formatAmount } from '../../contracts/money.js'

/**
 * Owncast renders chat bodies sent through its API as markdown and does not sanitise them (DESIGN §7).
 * Text a viewer chose (name, message) and data (tier names, perks, amounts) is escaped: HTML special
 * characters become entities and markdown punctuation gets a backslash, so it shows as typed and can
 * neither format, link, embed images nor inject HTML. Control characters and newlines become spaces.
 */
export function escapeOwncastMarkdown(text: string): string {
  const HTML: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
  }
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      // One pass, so the `#` and `;` of an entity are never escaped again.
      .replace(/[&<>"'\\`*_{}[\]()#+\-.!|~:=^$%@/]/g, (char) => HTML[char] ?? `\\${char}`)
  )
}

export type TipCompleted = DomainEvents['support.recorded']

function clip(text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text
}

/**
 * Fills the streamer's template ({name} {amount} {tier} {perk} {message}). The template's own text is the
 * streamer's markdown; every value is escaped. A missing value leaves no dangling separator.
 */
export function renderThankYou(template: string, tip: TipCompleted): string {
  const values: Record<string, string> = {
    name: escapeOwncastMarkdown(clip(tip.supporterName?.trim() || 'Someone', 32)),
    amount: escapeOwncastMarkdown(formatAmount(tip.amount, 'en')),
    tier: tip.tip?.tierName ? escapeOwncastMarkdown(tip.tip.tierName) : '',
    perk: tip.tip?.perk ? escapeOwncastMarkdown(tip.tip.perk) : '',
    message: tip.message ? escapeOwncastMarkdown(clip(tip.message, 200)) : '',
  }
  let text = template
  for (const [key, value] of Object.entries(values)) {
    // "{amount} — {tier}!" without a tier becomes "{amount}!": drop the separator leading to it.
    if (value === '') text = text.replace(new RegExp(`\\s*[—–-]?\\s*\\{${key}\\}`, 'g'), '')
  }
  const tidy = text
    .replace(/\{(name|amount|tier|perk|message)\}/g, (_m, key: string) => values[key] ?? '')
    .replace(/ {2,}/g, ' ')
    .trim()
  return tidy
}

export function tipLinkMessage(tipUrl: string): string {
  return `Support the stream with a tip: ${tipUrl}`
}
