import { describe, expect, it } from 'vitest'
import type { GifterPathConfig } from '../contracts/gamification.js'
import type { GifterPathConfigError } from './gifterPath.js'
import {
  buildGifterLevels,
  gifterThresholds,
  levelProgress,
  validateGifterPath,
} from './gifterPath.js'

const base: GifterPathConfig = {
  levelCount: 3,
  baseThreshold: '5',
  growthFactor: '2',
  naming: 'ranks',
  icons: 'badges',
  colors: 'pastel',
}

describe('gifter path', () => {
  it('builds a 3-level ladder with exact thresholds in minor units', () => {
    const levels = buildGifterLevels(base, 'EUR', 2)
    expect(levels.map((level) => level.threshold)).toEqual([
      { value: '500', assetCode: 'EUR', assetScale: 2 },
      { value: '1000', assetCode: 'EUR', assetScale: 2 },
      { value: '2000', assetCode: 'EUR', assetScale: 2 },
    ])
    expect(levels.map((level) => level.name)).toEqual(['Recruit', 'Captain', 'Marshal'])
    expect(levels.map((level) => level.thresholdAmount)).toEqual([5, 10, 20])
    expect(new Set(levels.map((level) => level.color)).size).toBe(3)
  })

  it('builds a 50-level ladder, strictly increasing and exact (growth 1.5 from €0.01)', () => {
    const config = {
      ...base,
      levelCount: 50,
      baseThreshold: '0.01',
      growthFactor: '1.5',
      naming: 'fantasy' as const,
    }
    const thresholds = gifterThresholds(config, 2)
    expect(thresholds).toHaveLength(50)
    for (let i = 1; i < thresholds.length; i += 1)
      expect(thresholds[i]!).toBeGreaterThan(thresholds[i - 1]!)
    // Level 50 = round(1 × 1.5^49) cents, computed independently with integers: 3^49 / 2^49, half up.
    const exact = (3n ** 49n * 2n + 2n ** 49n) / (2n ** 49n * 2n)
    expect(thresholds[49]).toBe(exact)
    // Tiny early steps are bumped to at least one minor unit above the previous level.
    expect(thresholds.slice(0, 4)).toEqual([1n, 2n, 3n, 4n])
    const levels = buildGifterLevels(config, 'EUR', 2)
    expect(new Set(levels.map((level) => level.name)).size).toBe(50)
    expect(levels[49]!.threshold.value).toBe(exact.toString())
  })

  it('keeps yen thresholds whole (scale 0)', () => {
    const levels = buildGifterLevels(
      { ...base, baseThreshold: '500', growthFactor: '1.25', levelCount: 5 },
      'JPY',
      0,
    )
    expect(levels.map((level) => level.threshold.value)).toEqual([
      '500',
      '625',
      '781',
      '977',
      '1221',
    ])
  })

  it('reports progress exactly at the boundaries', () => {
    const levels = buildGifterLevels(base, 'EUR', 2)
    const zero = levelProgress(levels, 0n)
    expect(zero).toMatchObject({ currentLevel: null, fraction: 0, remaining: 500n, unlocked: [] })
    expect(zero.nextLevel?.level).toBe(1)

    const justBelow = levelProgress(levels, 499n)
    expect(justBelow.currentLevel).toBeNull()
    expect(justBelow.remaining).toBe(1n)
    expect(justBelow.fraction).toBe(0.998)

    const atFirst = levelProgress(levels, 500n)
    expect(atFirst.currentLevel?.level).toBe(1)
    expect(atFirst.nextLevel?.level).toBe(2)
    expect(atFirst.fraction).toBe(0)
    expect(atFirst.unlocked).toEqual([1])

    const half = levelProgress(levels, 750n)
    expect(half.fraction).toBe(0.5)
    expect(half.remaining).toBe(250n)

    const belowTop = levelProgress(levels, 1999n)
    expect(belowTop.currentLevel?.level).toBe(2)
    expect(belowTop.remaining).toBe(1n)

    const top = levelProgress(levels, 2000n)
    expect(top).toMatchObject({
      nextLevel: null,
      fraction: 1,
      remaining: null,
      unlocked: [1, 2, 3],
    })
    expect(top.currentLevel?.level).toBe(3)
    expect(levelProgress(levels, 10n ** 30n).currentLevel?.level).toBe(3)
  })

  it('rejects configs outside the rules, naming the field', () => {
    const field = (config: GifterPathConfig) => {
      try {
        validateGifterPath(config, 2)
        return undefined
      } catch (error) {
        return (error as GifterPathConfigError).field
      }
    }
    expect(field({ ...base, levelCount: 2 })).toBe('levelCount')
    expect(field({ ...base, levelCount: 51 })).toBe('levelCount')
    expect(field({ ...base, growthFactor: '1' })).toBe('growthFactor')
    expect(field({ ...base, baseThreshold: '0.001' })).toBe('baseThreshold')
    expect(field({ ...base, baseThreshold: '0' })).toBe('baseThreshold')
    expect(field({ ...base, naming: 'custom', customNames: ['a', 'b', 'c', 'd'] })).toBe(
      'customNames',
    )
    expect(field(base)).toBeUndefined()
  })

  it('uses custom names, and "Level N" for the ones not given', () => {
    const levels = buildGifterLevels(
      { ...base, naming: 'custom', customNames: ['Fan', 'Friend'] },
      'EUR',
      2,
    )
    expect(levels.map((level) => level.name)).toEqual(['Fan', 'Friend', 'Level 3'])
  })
})
