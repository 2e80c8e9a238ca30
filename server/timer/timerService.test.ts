import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RecordedSupport } from '../contracts/events.js'
import type { TimerView } from '../contracts/timer.js'
import { openDatabase, type Db } from '../storage/db.js'
import { settingsFor } from '../testing/settings.js'
import { createTimerService, formatTimer, timeBought } from './timerService.js'

const dbs: Db[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})

/** A timer on a real SQLite file, with a clock the test moves; "restart" opens the file anew. */
function timerOn(file: string, clock: { now: number }) {
  const db = openDatabase(file)
  dbs.push(db)
  const changes: TimerView[] = []
  const texts: string[] = []
  const timer = createTimerService({
    settings: settingsFor(db),
    onChange: (view) => changes.push(view),
    onText: (text) => texts.push(text),
    now: () => clock.now,
  })
  return { db, timer, changes, texts }
}

function support(
  kind: RecordedSupport['kind'],
  value: string,
  scale = 2,
  tierId: string | null = null,
): RecordedSupport {
  return {
    id: 1,
    kind,
    amount: { value, assetCode: 'EUR', assetScale: scale },
    supporterName: null,
    message: null,
    tierId,
    streamId: null,
    isTest: false,
    occurredAt: new Date(0).toISOString(),
    tip: null,
  }
}

describe('subathon timer', () => {
  it('is right to the millisecond after a restart in the middle of a run, paused or not', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-timer-')), 'app.sqlite')
    const clock = { now: 1_700_000_000_000 }
    const first = timerOn(file, clock)
    first.timer.start(600)
    clock.now += 90_500
    expect(first.timer.view().remainingMs).toBe(509_500)
    first.db.close()
    dbs.length = 0

    // Closed for 30 s: the countdown went on, as the stream did.
    clock.now += 30_000
    const second = timerOn(file, clock)
    expect(second.timer.view()).toMatchObject({ status: 'running', remainingMs: 479_500 })
    expect(second.timer.text()).toBe('08:00')

    second.timer.pause()
    clock.now += 3_600_000
    second.db.close()
    dbs.length = 0
    const third = timerOn(file, clock)
    expect(third.timer.view()).toMatchObject({ status: 'paused', remainingMs: 479_500 })
    third.timer.resume()
    clock.now += 479_499
    expect(third.timer.view()).toMatchObject({ status: 'running', remainingMs: 1, text: '00:01' })
    clock.now += 1
    expect(third.timer.view()).toMatchObject({ status: 'ended', remainingMs: 0, text: '00:00' })
  })

  it('adds exactly the configured time per currency unit, with tier overrides and caps', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-timer-')), 'app.sqlite')
    const clock = { now: 1_700_000_000_000 }
    const { timer } = timerOn(file, clock)
    timer.setConfig({
      tipSecondsPerUnit: 60,
      tierSecondsPerUnit: { coffee: 120 },
      webMonetizationSecondsPerUnit: 600,
      maxRemainingSeconds: null,
      maxAddedSeconds: null,
    })
    expect(timer.credit(support('tip', '250'))).toBe(0) // not started: nothing to extend
    timer.start(60)
    expect(timer.credit(support('tip', '250'))).toBe(150_000) // €2.50 × 60 s
    expect(timer.credit(support('tip', '250', 2, 'coffee'))).toBe(300_000) // €2.50 × 120 s
    expect(timer.credit(support('web-monetization', '3', 2))).toBe(18_000) // €0.03 × 600 s
    expect(timer.credit(support('web-monetization', '1', 9))).toBe(0) // 6e-7 s floors to nothing
    expect(timer.credit(support('redemption', '500'))).toBe(0)
    expect(timer.view().remainingMs).toBe(60_000 + 150_000 + 300_000 + 18_000)

    timer.setConfig({
      tipSecondsPerUnit: 60,
      tierSecondsPerUnit: {},
      webMonetizationSecondsPerUnit: 600,
      maxRemainingSeconds: 600,
      maxAddedSeconds: 500,
    })
    // 468 s added so far: the total cap leaves 32 s.
    expect(timer.credit(support('tip', '100'))).toBe(32_000)
    expect(timer.credit(support('tip', '100'))).toBe(0)
    timer.adjust(-400)
    expect(timer.view().remainingMs).toBe(160_000)
    timer.adjust(1000) // by hand: caps do not apply
    expect(timer.view().remainingMs).toBe(1_160_000)
    timer.adjust(-5000)
    expect(timer.view().remainingMs).toBe(0)
  })

  it('refuses to pause a timer that is not running', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wm-timer-')), 'app.sqlite')
    const { timer } = timerOn(file, { now: 0 })
    expect(() => timer.pause()).toThrow(/not running/)
  })

  it('formats like a countdown and buys time with integer arithmetic only', () => {
    expect(formatTimer(0)).toBe('00:00')
    expect(formatTimer(1)).toBe('00:01')
    expect(formatTimer(3_723_000)).toBe('1:02:03')
    const config = {
      tipSecondsPerUnit: 7,
      tierSecondsPerUnit: {},
      webMonetizationSecondsPerUnit: 1,
      maxRemainingSeconds: null,
      maxAddedSeconds: null,
    }
    expect(timeBought(support('tip', '333'), config)).toBe(23_310)
    expect(timeBought(support('tip', '99999999999999999999'), config)).toBe(100_000_000_000)
  })
})
