import { cleanText } from '../contracts/text.js'

/**
 * Viewer-supplied text (names, messages) before it reaches an overlay. Overlays render it with
 * textContent only; the one text rule (server/contracts/text.ts) removes what could hurt the line and
 * this bounds its length in user-perceived characters.
 */
export function cleanViewerText(
  value: string | null | undefined,
  maxGraphemes: number,
): string | null {
  return cleanText(value, { maxChars: maxGraphemes })
}

export interface BlockedWordsResult {
  text: string | null
  /** True when at least one blocked word was found. */
  matched: boolean
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A matcher for the streamer's blocked words: case-insensitive, whole words (a letter or digit on
 * either side means another word), compatible forms folded (NFKC), so "ＢＡＤ" matches "bad".
 */
export function createBlockedWordMatcher(words: readonly string[]) {
  const terms = [
    ...new Set(words.map((word) => word.normalize('NFKC').trim().toLowerCase()).filter(Boolean)),
  ]
  const pattern =
    terms.length === 0
      ? null
      : new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${terms
            .sort((a, b) => b.length - a.length)
            .map(escapeRegExp)
            .join('|')})(?![\\p{L}\\p{N}])`,
          'giu',
        )
  return {
    /** The text with every blocked word replaced by asterisks of the same length. */
    mask(text: string | null): BlockedWordsResult {
      if (!text || !pattern) return { text, matched: false }
      const folded = text.normalize('NFKC')
      let matched = false
      const masked = folded.replace(pattern, (word) => {
        matched = true
        return '*'.repeat([...word].length)
      })
      return { text: matched ? masked : text, matched }
    },
    test(text: string | null): boolean {
      if (!text || !pattern) return false
      pattern.lastIndex = 0
      const found = pattern.test(text.normalize('NFKC'))
      pattern.lastIndex = 0
      return found
    },
  }
}
