/**
 * The one rule for text that people outside the streamer's machine wrote (tip names and messages,
 * Owncast and OSP chat, names and titles): what is kept, what is removed, how length is counted. Every
 * path that stores or shows such text uses it: the tip API, the webhooks, the alerts, the dashboard's
 * event list. Plain functions, no Node or schema imports, so the renderer may import it too.
 *
 * Kept: everything printable, including the joiners and selectors that emoji sequences are built from
 * (ZWJ U+200D, ZWNJ U+200C, variation selectors U+FE0E/U+FE0F, tag characters U+E0020–E007F, skin tones),
 * and the left-to-right / right-to-left marks that right-to-left writing needs.
 * Removed: what can hurt the text around it: bidi embeddings, overrides and isolates (U+202A–202E,
 * U+2066–2069; an override flips the rest of a line in a table or overlay), C0 and C1 control characters,
 * the byte order mark, unpaired surrogates. Line breaks become spaces unless the field is multi-line.
 */

// C0 (but \n, handled by the whitespace rule) and C1 controls, bidi embeddings/overrides/isolates, BOM.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/gu
/** An unpaired surrogate (broken UTF-16, e.g. a string cut in the middle of an emoji). */
const LONE_SURROGATE = /\p{Cs}/gu
/** At most two combining marks on one base character: "Zalgo" towers stay short and readable. */
const MARK_TOWER = /(\p{M}{2})\p{M}+/gu

export interface CleanTextOptions {
  /** Keep line breaks (at most one empty line in a row); else every break becomes a space. */
  multiline?: boolean
  /** Cut to this many user-perceived characters, ending with "…". */
  maxChars?: number
}

let segmenter: Intl.Segmenter | null = null
function graphemes(text: string): Iterable<{ segment: string }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  return segmenter.segment(text)
}

/**
 * How long a text is as a person counts it: one per user-perceived character, so 👨‍👩‍👧 or 🏳️‍🌈 count
 * once. Length limits (the tip page's counter, the tip API's check) use this count.
 */
export function textLength(text: string): number {
  let count = 0
  for (const _ of graphemes(text)) count += 1
  return count
}

/** Applies the rule to one field; null when nothing printable is left. */
export function cleanText(
  value: string | null | undefined,
  options: CleanTextOptions = {},
): string | null {
  if (value === null || value === undefined) return null
  let cleaned = value
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/gu, '\n')
    .replace(UNSAFE, '')
    .replace(MARK_TOWER, '$1')
  if (options.multiline) {
    cleaned = cleaned
      .split('\n')
      .map((line) => line.replace(/\s+/gu, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  } else {
    cleaned = cleaned.replace(/\s+/gu, ' ').trim()
  }
  if (!cleaned) return null
  const max = options.maxChars
  if (max === undefined) return cleaned
  const kept: string[] = []
  for (const { segment } of graphemes(cleaned)) {
    if (kept.length === max) {
      kept.push('…')
      break
    }
    kept.push(segment)
  }
  return kept.join('')
}
