import { describe, expect, it } from 'vitest'
import { cleanText, textLength } from './text.js'

const FAMILY = '👨\u200d👩\u200d👧'
const RAINBOW = '🏳\ufe0f\u200d🌈'
// England: black flag, tag characters g b e n g, cancel tag.
const ENGLAND = '🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}'

describe('the text rule', () => {
  it('keeps joined emoji, variation selectors, tag sequences and ZWNJ whole', () => {
    for (const text of [FAMILY, RAINBOW, ENGLAND, '☺\ufe0e', 'می\u200cخواهم', '1\ufe0f\u20e3']) {
      expect(cleanText(`hi ${text}!`)).toBe(`hi ${text}!`)
    }
    expect([FAMILY, RAINBOW, ENGLAND, '1\ufe0f\u20e3'].map(textLength)).toEqual([1, 1, 1, 1])
  })
  it('removes bidi overrides, embeddings and isolates', () => {
    expect(cleanText('abc\u202egnp.exe')).toBe('abcgnp.exe')
    expect(cleanText('\u202ax\u202by\u202cz\u202d\u2066a\u2067b\u2068c\u2069')).toBe('xyzabc')
  })
  it('removes C0 and C1 controls and the BOM; breaks become spaces on one-line fields', () => {
    expect(cleanText('a\u0000b\u0007c\u001b[31md\u0085e\u009bf\ufeffg')).toBe('abc[31md efg')
    expect(cleanText('one\r\ntwo\tthree\u2028four')).toBe('one two three four')
  })
  it('keeps line breaks where the field allows them', () => {
    expect(cleanText('one\r\ntwo\n\n\n\nthree\u0000', { multiline: true })).toBe(
      'one\ntwo\n\nthree',
    )
  })
  it('composes to NFC', () => {
    expect(cleanText('Cafe\u0301')).toBe('Caf\u00e9')
  })
  it('drops unpaired surrogates (text cut inside an emoji)', () => {
    expect(cleanText(`ab${FAMILY.slice(0, 1)}`)).toBe('ab')
  })
  it('cuts by user-perceived characters and never splits an emoji', () => {
    expect(cleanText(`${FAMILY}${RAINBOW}${FAMILY}`, { maxChars: 2 })).toBe(`${FAMILY}${RAINBOW}…`)
  })
  it('gives null when nothing printable is left', () => {
    expect(cleanText(' \u202e\u0000 ')).toBeNull()
    expect(cleanText(undefined)).toBeNull()
  })
})
