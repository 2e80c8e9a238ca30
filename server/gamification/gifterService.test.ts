import { describe, expect, it } from 'vitest'
import type { LevelUpEvent } from '../contracts/gamification.js'
import { createEventBus } from '../events/bus.js'
import { openDatabase } from '../storage/db.js'
import { createSupporterRepository } from '../support/supporterRepository.js'
import { createSupporterIdentity } from '../support/supporters.js'
import { createSupportEventRepository } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { createGifterRepository } from './gifterRepository.js'
import { createGifterService } from './gifterService.js'

function setup(assetCode: string, assetScale: number) {
  const db = openDatabase(':memory:')
  const settings = settingsFor(db)
  const bus = createEventBus()
  const levelUps: LevelUpEvent[] = []
  bus.on('supporter.levelUp', (event) => levelUps.push(event))
  const repo = createSupportEventRepository(db)
  const gifter = createGifterService({
    settings,
    bus,
    identity: createSupporterIdentity(db, settings),
    supporters: createSupporterRepository(db),
    events: repo,
    levels: createGifterRepository(db),
    streamerAsset: () => ({ assetCode, assetScale }),
  })
  return { db, gifter, levelUps, repo }
}

describe('gifter service', () => {
  it('starts the default path at a sensible first level in the wallet currency', () => {
    expect(setup('EUR', 2).gifter.levels()[0]!.threshold).toEqual({
      value: '500',
      assetCode: 'EUR',
      assetScale: 2,
    })
    expect(setup('JPY', 0).gifter.levels()[0]!.threshold).toEqual({
      value: '700',
      assetCode: 'JPY',
      assetScale: 0,
    })
    expect(setup('KRW', 0).gifter.levels()[0]!.thresholdAmount).toBe(10_000)
  })

  it('counts only verified support in the wallet asset towards levels', () => {
    const { gifter, levelUps, repo } = setup('EUR', 2)
    const record = (sourceKey: string, cents: bigint, extra: object = {}) =>
      repo.record({
        sourceKey,
        kind: 'tip',
        amountValue: cents,
        assetCode: 'EUR',
        assetScale: 2,
        supporterKey: 'https://wallet.example/x',
        ...extra,
      }).event
    const test = record('t', 100_000n, { isTest: true })
    const usd = record('u', 100_000n, { assetCode: 'USD' })
    expect(gifter.checkLevelUp(test.id)).toBeUndefined()
    expect(gifter.checkLevelUp(usd.id)).toBeUndefined()
    expect(gifter.progressForKey('https://wallet.example/x')).toMatchObject({
      total: { value: '0' },
      currentLevel: null,
      supportCount: 0,
    })
    const real = record('r', 500n)
    expect(gifter.checkLevelUp(real.id)?.level.level).toBe(1)
    expect(gifter.checkLevelUp(real.id)).toBeUndefined() // announced once
    expect(levelUps).toHaveLength(1)
  })
})
