import type { AlertSettings, AlertVariant, OverlayAlert } from '../contracts/alerts.js'
import { createAlertQueueService, type AlertQueueServiceDeps } from '../alerts/alertQueueService.js'
import { createAlertRepository } from '../alerts/alertRepository.js'
import { createEventLogRepository } from '../support/eventLogRepository.js'
import { createSupportEventRepository, type NewSupportEvent } from '../support/supportRepository.js'
import { openDatabase, type Db } from '../storage/db.js'
import { settingsFor } from './settings.js'

/** A queue on an in-memory database with a recording delivery, for the alert queue's unit tests. */
export function createQueueFixture(options: Partial<AlertQueueServiceDeps> = {}) {
  const db: Db = openDatabase(':memory:')
  const supportEvents = createSupportEventRepository(db)
  const settingsStore = settingsFor(db)
  const config = {
    settings: (): AlertSettings => settingsStore.get('alerts.settings'),
    saveSettings: (value: AlertSettings) => settingsStore.set('alerts.settings', value),
    variants: (): AlertVariant[] => settingsStore.get('alerts.variants'),
    saveVariants: (variants: AlertVariant[]) => settingsStore.set('alerts.variants', variants),
  }
  config.saveSettings({ ...config.settings(), durationMs: 0, gapMs: 0 })
  const store = createAlertRepository(db)
  const shown: OverlayAlert[] = []
  const hidden: number[] = []
  const settings = { alertsPaused: false }
  let overlays = 1
  let counter = 0
  const eventLog = createEventLogRepository(db)
  const queue = createAlertQueueService({
    isLargestThisStream: (event) => eventLog.isLargestThisStream(event),
    repository: store,
    rules: config,
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
