import type { Feature } from '../app/feature.js'
import type { DomainEvents, RecordedSupport } from '../contracts/events.js'
import { alertsAdminRoutes } from '../contracts/alerts.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { AlertQueueService } from './alertQueueService.js'
import type { AlertService } from './alertService.js'
import { alertRoutes } from './routes.js'

export interface AlertsFeatureDeps {
  alerts: AlertService
  queue: AlertQueueService
  bus: Pick<EventBus, 'on'>
  /** Where recorded support gets its alert, in the recording transaction. */
  ledger: Pick<SupportLedger, 'addRecorder'>
}

/**
 * Which alert a recorded support event gets, if any. Web Monetization never alerts per payment: its
 * feature stages alerts by step and interval (server/webMonetization/wmAlerts.ts).
 */
function alertSource(event: RecordedSupport): 'tip' | null {
  if (event.tip) return 'tip'
  return null
}

/**
 * The alert queue (DESIGN §8): the dashboard's controls over it, and its life: support that is
 * recorded becomes an alert, queued until an alert overlay shows it (the overlays feature delivers it).
 */
export function createAlertsFeature({ alerts, queue, bus, ledger }: AlertsFeatureDeps): Feature {
  const unsubscribe: (() => void)[] = []
  // Staged in the recording transaction (an outbox: a crash after the commit keeps the alert),
  // announced once the commit is done.
  const staged = new Map<number, number>()
  return {
    name: 'alerts',

    adminRoutes(app) {
      registerRoutes(app, alertsAdminRoutes, alertRoutes({ alerts, queue }))
    },

    start() {
      const on = <K extends keyof DomainEvents>(
        name: K,
        listener: (payload: DomainEvents[K]) => void,
      ) => unsubscribe.push(bus.on(name, listener))
      unsubscribe.push(
        ledger.addRecorder('alerts', (event) => {
          const source = alertSource(event)
          const view = source ? queue.stage(event, { source }) : null
          if (view) staged.set(event.id, view.id)
        }),
      )
      on('support.recorded', (event) => {
        const id = staged.get(event.id)
        if (id === undefined) return
        staged.delete(event.id)
        queue.announce(id)
      })
      // sendTest queues its own alert; a test event announced by anyone else (the latency bench
      // announces ledger events itself) is queued here. The queue alerts once per event either way.
      on('alert.test', (event) => queue.enqueue(event, { source: 'test' }))
      queue.start()
    },

    stop() {
      queue.stop()
      for (const off of unsubscribe.splice(0)) off()
    },
  }
}
