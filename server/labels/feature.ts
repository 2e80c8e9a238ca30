import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { labelsAdminRoutes, type LabelId } from '../contracts/labels.js'
import type { DomainEvents } from '../contracts/events.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { LabelService } from './labelService.js'

export interface LabelsFeatureDeps {
  labels: LabelService
  settings: Pick<SettingsStore, 'get' | 'set'>
  bus: Pick<EventBus, 'on'>
  log: { warn(detail: object, message: string): void }
}

/** Which labels an event can change: everything support-related after a support event. */
const SUPPORT_LABELS: readonly LabelId[] = [
  'latest-tipper',
  'latest-tip',
  'top-supporter',
  'session-total',
  'goal-progress',
  'web-monetization',
]

/** Stream labels: the files, their formats on the Overlays page, rewritten as support arrives. */
export function createLabelsFeature(deps: LabelsFeatureDeps): Feature {
  const { labels, settings, bus } = deps
  const unsubscribe: (() => void)[] = []
  // A full disk or a locked file must not stop the event that triggered the write.
  const update = (ids?: readonly LabelId[]) => {
    try {
      labels.update(ids)
    } catch (error) {
      deps.log.warn({ error: (error as Error).message }, 'Stream label files not written')
    }
  }

  return {
    name: 'labels',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, labelsAdminRoutes, {
        'GET /labels': async () => labels.list(),
        'PATCH /labels/formats': async (request) => {
          settings.set('labels.formats', { ...settings.get('labels.formats'), ...request.body })
          update()
          return labels.list()
        },
      })
    },
    start() {
      const on = <K extends keyof DomainEvents>(name: K, ids?: readonly LabelId[]) =>
        unsubscribe.push(bus.on(name, () => update(ids)))
      on('support.recorded', SUPPORT_LABELS)
      on('goal.progress', ['goal-progress'])
      on('stream.started')
      on('stream.stopped')
      update()
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
    },
  }
}
