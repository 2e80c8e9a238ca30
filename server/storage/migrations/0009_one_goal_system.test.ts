import { afterEach, describe, expect, it } from 'vitest'
import { createEventBus } from '../../events/bus.js'
import { createGoalRepository } from '../../gamification/goalRepository.js'
import { createGoalService } from '../../gamification/goalService.js'
import { createTotalsRepository } from '../../support/totalsRepository.js'
import { settingsFor } from '../../testing/settings.js'
import { migrate, openDatabase, type Db } from '../db.js'
import { migrations } from './index.js'

const opened: Db[] = []
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

/** A database at migration 0008 with the display settings 0.1.0 kept, then migrated to the end. */
function upgrade(goal: unknown, asset = { assetCode: 'EUR', assetScale: 2 }) {
  const db = openDatabase(':memory:', migrations.slice(0, 8))
  opened.push(db)
  const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
  insert.run('wallet.streamerAsset', JSON.stringify(asset))
  insert.run(
    'overlays.display',
    JSON.stringify({
      goal,
      leaderboard: { title: 'Night crew', window: 'all', size: 7 },
      ticker: { title: 'Thanks to', size: 12 },
    }),
  )
  expect(migrate(db)).toBe(migrations.length - 8)
  const settings = settingsFor(db)
  const goals = createGoalService({
    goals: createGoalRepository(db),
    totals: createTotalsRepository(db),
    bus: createEventBus(),
    streamerAsset: () => settings.get('wallet.streamerAsset'),
  })
  return { db, settings, goals }
}

describe('migration 0009: one goal system', () => {
  it("moves the goal overlay's goal into the goals table, off the listed goals", () => {
    const startAt = '2026-12-01T20:55:30.648Z'
    const t = upgrade({ title: 'Synth fund', target: '80', startAt })
    expect(t.goals.overlayGoal()).toMatchObject({
      title: 'Synth fund',
      target: '80',
      startAt,
      targetAmount: { value: '8000', assetCode: 'EUR', assetScale: 2 },
    })
    expect(t.goals.list()).toEqual([])
    expect(t.settings.get('overlays.display')).toEqual({
      leaderboard: { title: 'Night crew', window: 'all', size: 7 },
      ticker: { title: 'Thanks to', size: 12 },
    })
  })

  it('reads the target in the asset of the day, whole units included', () => {
    const t = upgrade(
      { title: 'Yen', target: '500', startAt: '2026-01-01T00:00:00.000Z' },
      { assetCode: 'JPY', assetScale: 0 },
    )
    expect(t.goals.overlayGoal().targetAmount).toEqual({
      value: '500',
      assetCode: 'JPY',
      assetScale: 0,
    })
    expect(
      upgrade({
        title: 'Cents',
        target: '12.50',
        startAt: '2026-01-01T00:00:00Z',
      }).goals.overlayGoal(),
    ).toMatchObject({ target: '12.5', targetAmount: { value: '1250' } })
  })

  it('drops a target that no longer fits the asset: the overlay shows its default goal', () => {
    const t = upgrade({ title: 'Odd', target: '1.234', startAt: '2026-01-01T00:00:00.000Z' })
    expect(t.goals.overlayGoal()).toMatchObject({ title: 'Stream goal', target: '100' })
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM goals').get()).toEqual({ n: 0 })
  })
})
