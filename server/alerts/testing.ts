import { memoryPreferences } from '../settings/preferences.js'
import { createSettingsStore } from '../settings/settingsStore.js'
import { createEventLogRepository } from '../support/eventLogRepository.js'
import { createSupportEventRepository, type NewSupportEvent } from '../support/supportRepository.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createAlertConfigStore } from './alertConfig.js'
import { createAlertQueue, type AlertQueueDeps } from './alertQueue.js'
import { createAlertStore } from './alertStore.js'
import type { OverlayAlert } from '../contracts/overlays.js'

/** A queue on an in-memory database with a recording delivery, for the unit tests of this folder. */
export function createQueueFixture(options: Partial<AlertQueueDeps> = {}) {
  const db: Db = openDatabase(':memory:')
  const supportEvents = createSupportEventRepository(db)
  const config = createAlertConfigStore(
    createSettingsStore({ db, preferences: memoryPreferences() }),
  )
  config.saveSettings({ ...config.settings(), durationMs: 0, gapMs: 0 })
  const store = createAlertStore(db)
  const shown: OverlayAlert[] = []
  const hidden: number[] = []
  const settings = { alertsPaused: false }
  let overlays = 1
  let counter = 0
  const eventLog = createEventLogRepository(db)
  const queue = createAlertQueue({
    isLargestThisStream: (event) => eventLog.isLargestThisStream(event),
    store,
    config,
    delivery: {
      show: (alert) => shown.push(alert),
      hide: (id) => hidden.push(id),
      alertOverlayCount: () => overlays,
    },
    isPaused: () => settings.alertsPaused,
    ...options,
  })
  queue.start()
  return {
    db,
    config,
    store,
    queue,
    shown,
    hidden,
    settings,
    setOverlays(count: number) {
      overlays = count
    },
    /** Records a support event (EUR, scale 2) and returns its view. */
    support(value: bigint, extra: Partial<NewSupportEvent> = {}) {
      counter += 1
      return supportEvents.record({
        sourceKey: `test-source-${counter}`,
        kind: 'tip',
        amountValue: value,
        assetCode: 'EUR',
        assetScale: 2,
        supporterName: `Viewer ${counter}`,
        message: `Message ${counter}`,
        ...extra,
      }).event
    },
    close() {
      queue.stop()
      db.close()
    },
  }
}

/** Lets queued microtasks (the zero gap between alerts) run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve))
