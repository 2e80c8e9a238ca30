import type { Feature } from '../app/feature.js'
import type { DomainEvents } from '../contracts/events.js'
import { alertsAdminRoutes } from '../contracts/alerts.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { AlertQueueService } from './alertQueueService.js'
import type { AlertService } from './alertService.js'
import { alertRoutes } from './routes.js'

export interface AlertsFeatureDeps {
  alerts: AlertService
  queue: AlertQueueService
  bus: Pick<EventBus, 'on'>
}

/**
 * The alert queue (DESIGN §8): the dashboard's controls over it, and its life: support that is
 * recorded becomes an alert, queued until an alert overlay shows it (the overlays feature delivers it).
 */
export function createAlertsFeature({ alerts, queue, bus }: AlertsFeatureDeps): Feature {
  const unsubscribe: (() => void)[] = []
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
      on('support.recorded', (event) => {
        if (event.tip) queue.enqueue(event, { source: 'tip' })
        else if (event.kind === 'web-monetization')
          queue.enqueue(event, { source: 'web-monetization' })
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
