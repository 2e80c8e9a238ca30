import { describe, expect, it } from 'vitest'
import { cleanViewerText, createBlockedWordMatcher } from './viewerText.js'

describe('cleanViewerText', () => {
  it('removes right-to-left overrides and other bidi controls', () => {
    expect(cleanViewerText('abc\u202Egnp.exe', 40)).toBe('abcgnp.exe')
    expect(cleanViewerText('\u2067x\u2069', 40)).toBe('x')
  })
  it('cuts towers of combining marks to two per character', () => {
    const zalgo = 'Z' + '\u0301\u0302\u0303'.repeat(3000)
    // NFC first composes Z + U+0301 into Ź; two marks stay on it.
    expect(cleanViewerText(zalgo, 40)).toBe('\u0179\u0302\u0303')
  })
  it('bounds the length in user-perceived characters, keeping emoji whole', () => {
    expect(cleanViewerText('👩‍👩‍👧‍👦'.repeat(5), 3)).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦…')
  })
  it('returns null for nothing printable', () => {
    expect(cleanViewerText(' \u0000\u202E ', 10)).toBeNull()
    expect(cleanViewerText(null, 10)).toBeNull()
  })
})

describe('blocked words', () => {
  const words = createBlockedWordMatcher(['bad', 'very bad'])
  it('matches whole words, case-insensitively and in compatible forms', () => {
    expect(words.test('BAD day')).toBe(true)
    expect(words.test('ＢＡＤ')).toBe(true)
    expect(words.test('badge')).toBe(false)
    expect(words.test('a very bad idea')).toBe(true)
  })
  it('masks each blocked word with asterisks', () => {
    expect(words.mask('so bad, very bad').text).toBe('so ***, ********')
    expect(words.mask('fine').matched).toBe(false)
  })
  it('treats regex characters in words literally', () => {
    expect(createBlockedWordMatcher(['a.c']).test('abc')).toBe(false)
  })
})
