/**
 * Viewer-supplied text (names, messages) before it reaches an overlay. Overlays render it with
 * textContent only; this module bounds what they get: no control or bidi-override characters (a
 * right-to-left override would flip the rest of the line), no towers of combining marks, a bounded
 * length in user-perceived characters.
 */

// C0/C1 controls, bidi embeddings/overrides/isolates, Arabic letter mark, LRM/RLM, line/paragraph
// separators, BOM. Zero-width joiners stay: emoji sequences need them.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu
/** At most two combining marks on one base character ("Zalgo" text stays readable and short). */
const MARK_TOWER = /(\p{M}{2})\p{M}+/gu

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Cleans one line of viewer text; null when nothing printable is left. */
export function cleanViewerText(
  value: string | null | undefined,
  maxGraphemes: number,
): string | null {
  if (value === null || value === undefined) return null
  const cleaned = value
    .normalize('NFC')
    .replace(UNSAFE, ' ')
    .replace(MARK_TOWER, '$1')
    .replace(/\s+/gu, ' ')
    .trim()
  if (!cleaned) return null
  const graphemes: string[] = []
  for (const { segment } of segmenter.segment(cleaned)) {
    if (graphemes.length === maxGraphemes) {
      graphemes.push('…')
      break
    }
    graphemes.push(segment)
  }
  return graphemes.join('')
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
