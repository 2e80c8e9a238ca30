import { describe, expect, it } from 'vitest'
import type { AlertVariant, VariantRule } from '../contracts/alerts.js'
import { chooseVariant, renderHeadline } from './variants.js'

const variant = (id: string, rule: VariantRule, enabled = true): AlertVariant => ({
  id,
  name: id,
  enabled,
  rule,
  template: '{name}',
  emoji: null,
  imageUrl: null,
  sound: null,
  volume: 1,
  animation: 'none',
  durationMs: null,
})

const variants = [
  variant('default', { type: 'default' }),
  variant('five', { type: 'atLeast', amount: '5' }),
  variant('twenty', { type: 'atLeast', amount: '20' }),
  variant('ten', { type: 'atLeast', amount: '10.00' }),
  variant('exactly-7', { type: 'exactly', amount: '7' }),
  variant('top', { type: 'largestThisStream' }),
]
const pick = (amount: bigint, largestThisStream = false, list = variants) =>
  chooseVariant(list, { amount, assetScale: 2, largestThisStream })?.id

describe('chooseVariant', () => {
  it('falls back to the default below every threshold', () => {
    expect(pick(499n)).toBe('default')
  })
  it('takes the highest "at least" the amount reaches, whatever the list order', () => {
    expect(pick(500n)).toBe('five')
    expect(pick(999n)).toBe('five')
    expect(pick(1000n)).toBe('ten')
    expect(pick(2000n)).toBe('twenty')
    expect(pick(1_000_000n)).toBe('twenty')
  })
  it('prefers an exact match over thresholds and over "largest this stream"', () => {
    expect(pick(700n)).toBe('exactly-7')
    expect(pick(700n, true)).toBe('exactly-7')
    expect(pick(701n)).toBe('five')
  })
  it('prefers "largest this stream" over thresholds', () => {
    expect(pick(2500n, true)).toBe('top')
  })
  it('ignores disabled variants and returns null when nothing applies', () => {
    const list = [variant('default', { type: 'default' }, false), variants[1] as AlertVariant]
    expect(pick(100n, false, list)).toBeUndefined()
    expect(pick(600n, false, list)).toBe('five')
  })
  it('compares exactly at the asset scale (no float rounding)', () => {
    const list = [variant('cents', { type: 'exactly', amount: '0.1' })]
    expect(chooseVariant(list, { amount: 10n, assetScale: 2, largestThisStream: false })?.id).toBe(
      'cents',
    )
    // JPY has no minor unit: "0.1" cannot be an amount there, so the rule never matches.
    expect(chooseVariant(list, { amount: 0n, assetScale: 0, largestThisStream: false })).toBeNull()
  })
})

describe('renderHeadline', () => {
  it('splits the template into text parts, markup and all staying text', () => {
    expect(
      renderHeadline('<i>{name}</i> gave {amount} ({tier}) {unknown}', {
        name: '<script>x</script>',
        amount: '€5.00',
        tier: null,
      }),
    ).toEqual([
      { kind: 'text', text: '<i>' },
      { kind: 'name', text: '<script>x</script>' },
      { kind: 'text', text: '</i> gave ' },
      { kind: 'amount', text: '€5.00' },
      { kind: 'text', text: ' (' },
      { kind: 'text', text: ') {unknown}' },
    ])
  })
})
