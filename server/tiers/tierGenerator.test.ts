import { describe, expect, it } from 'vitest'
import { decimalToMinor, minorToDecimal } from '../contracts/money.js'
import { CURRENCIES, currencyForAsset, findCurrency, nicePointsMinor } from './currencies.js'
import { THEMES, findTheme } from './themes.js'
import { buildLadder, namedFromTemplates, toTierSet } from './tierGenerator.js'

/** The decimal a JSON number prints as, parsed back exactly at the scale: no float drift allowed. */
function exactMinor(amount: number, scale: number): bigint {
  return decimalToMinor(String(amount), scale)
}

describe('tip tier ladders', () => {
  it('has 10 themes and a table of currencies with their ISO scales', () => {
    expect(THEMES.map((theme) => theme.id)).toEqual([
      'fun',
      'fantasy',
      'sci-fi',
      'gaming',
      'retro',
      'space',
      'nature',
      'food',
      'music',
      'crypto',
    ])
    expect(findCurrency('JPY')?.scale).toBe(0)
    expect(findCurrency('KRW')?.scale).toBe(0)
    expect(findCurrency('EUR')?.scale).toBe(2)
    expect(findCurrency('mxn')?.code).toBe('MXN')
  })

  for (const theme of THEMES) {
    for (const currency of CURRENCIES) {
      it(`${theme.id} × ${currency.code}: price points, exact at scale ${currency.scale}, ascending`, () => {
        const rungs = buildLadder({ theme, currency })
        expect(rungs).toHaveLength(theme.tiers.length)
        const set = toTierSet(theme.id, currency, namedFromTemplates(theme.id, rungs))
        const points = new Set(nicePointsMinor(currency))
        let previous = 0n
        set.tiers.forEach((tier, index) => {
          const rung = rungs[index]!
          // The number printed in JSON is exactly the minor units at the scale.
          expect(exactMinor(tier.amount, currency.scale)).toBe(rung.amount)
          expect(String(tier.amount)).toBe(
            minorToDecimal(rung.amount, currency.scale)
              .replace(/(\.\d*?)0+$/, '$1')
              .replace(/\.$/, ''),
          )
          expect(points.has(rung.amount)).toBe(true)
          expect(rung.amount).toBeGreaterThan(previous)
          previous = rung.amount
          expect(tier.currency).toBe(currency.code)
          expect(tier.theme).toBe(theme.id)
          expect(tier.name).not.toBe('')
          expect(tier.emoji).not.toBe('')
        })
        expect(new Set(set.tiers.map((tier) => tier.id)).size).toBe(set.tiers.length)
      })
    }
  }

  it('places the fun ladder on the seed amounts in EUR and on whole yen in JPY', () => {
    const fun = findTheme('fun')!
    const eur = toTierSet(
      'fun',
      findCurrency('EUR')!,
      namedFromTemplates('fun', buildLadder({ theme: fun, currency: findCurrency('EUR')! })),
    )
    expect(eur.tiers.slice(0, 2)).toMatchObject([
      { name: 'Spark', amount: 0.5, emoji: '✨', perk: 'You lit the flame!' },
      { name: 'Coffee Shot', amount: 1 },
    ])
    const jpy = buildLadder({ theme: fun, currency: findCurrency('JPY')! })
    for (const rung of jpy) expect(rung.amount % 50n).toBe(0n)
  })

  it('keeps every amount inside the requested range, for every segment', () => {
    const eur = findCurrency('EUR')!
    for (const theme of THEMES) {
      for (const segment of [
        'all-viewers',
        'new-viewers',
        'returning-supporters',
        'top-supporters',
      ] as const) {
        const rungs = buildLadder({
          theme,
          currency: eur,
          min: 50n,
          max: 2000n,
          segment,
          anchor: 500n,
        })
        expect(rungs.length).toBeGreaterThan(0)
        for (const rung of rungs) {
          expect(rung.amount).toBeGreaterThanOrEqual(50n)
          expect(rung.amount).toBeLessThanOrEqual(2000n)
        }
      }
    }
  })

  it('changes the ladder with the viewer segment; returning supporters start near their usual tip', () => {
    const theme = findTheme('fun')!
    const eur = findCurrency('EUR')!
    const amounts = (segment: Parameters<typeof buildLadder>[0]['segment'], anchor?: bigint) =>
      buildLadder({
        theme,
        currency: eur,
        min: 50n,
        max: 2000n,
        segment,
        anchor: anchor ?? null,
      }).map((rung) => Number(rung.amount))
    const all = amounts('all-viewers')
    expect(all).toEqual([50, 100, 300, 500, 1000, 2000])
    expect(amounts('new-viewers')).toEqual([50, 100, 200, 300, 500, 750])
    const returning = amounts('returning-supporters', 500n)
    expect(returning[0]).toBe(500)
    expect(returning.at(-1)).toBe(2000)
    expect(amounts('top-supporters')[0]).toBeGreaterThan(all[0]!)
  })

  it('uses the range bounds themselves when no price point fits between them', () => {
    const rungs = buildLadder({
      theme: findTheme('food')!,
      currency: findCurrency('EUR')!,
      min: 51n,
      max: 99n,
    })
    expect(rungs.map((rung) => rung.amount)).toEqual([51n, 99n])
  })

  it('holds a wallet currency the table does not list at its own scale', () => {
    const xrp = currencyForAsset('XRP', 9)
    const rungs = buildLadder({ theme: findTheme('crypto')!, currency: xrp })
    expect(rungs[0]!.amount).toBe(10n ** 9n)
    const usd9 = currencyForAsset('USD', 9)
    expect(buildLadder({ theme: findTheme('fun')!, currency: usd9 })[0]!.amount).toBe(500_000_000n)
  })
})
