import type { alertsAdminRoutes } from '../contracts/alerts.js'
import type { RouteHandlers } from '../http/routes.js'
import type { AlertQueueService } from './alertQueueService.js'
import type { AlertService } from './alertService.js'
import { ALERT_SOUNDS } from './variants.js'

export interface AlertRoutesDeps {
  alerts: AlertService
  queue: AlertQueueService
}

/** Text typed into a dashboard form: control characters removed, trimmed, bounded; null when empty. */
export function cleanFormText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()
  return cleaned ? [...cleaned].slice(0, max).join('') : undefined
}

/** The dashboard's alert controls (server/contracts/alerts.ts): HTTP in, the alert services out. */
export function alertRoutes({
  alerts,
  queue,
}: AlertRoutesDeps): RouteHandlers<typeof alertsAdminRoutes> {
  return {
    'GET /alerts/queue': async () => queue.view(),
    'POST /alerts/skip': async () => queue.skip(),
    'POST /alerts/:id/skip': async (request) => queue.skip(request.params.id),
    'POST /alerts/:id/replay': async (request, reply) =>
      reply.code(201).send(queue.replay(request.params.id)),
    'POST /alerts/:id/approve': async (request) => queue.approve(request.params.id),
    'POST /alerts/:id/reject': async (request) => queue.reject(request.params.id),
    'GET /alerts/settings': async () => alerts.settings(),
    'PATCH /alerts/settings': async (request) => alerts.updateSettings(request.body),
    'GET /alerts/variants': async () => ({
      variants: alerts.variants(),
      sounds: [...ALERT_SOUNDS],
    }),
    'PUT /alerts/variants': async (request) => ({
      variants: alerts.saveVariants(request.body.variants),
      sounds: [...ALERT_SOUNDS],
    }),
    'POST /alerts/variants/:variantId/test': async (request, reply) => {
      const { alert } = alerts.sendTest({ ...request.body, variantId: request.params.variantId })
      if (!alert) throw new Error('a new test event produced no alert')
      return reply.code(201).send(alert)
    },
    // The quick test of the dashboard and the setup wizard: its text is a form field's.
    'POST /alerts/test': async (request, reply) => {
      const { event } = alerts.sendTest({
        name: cleanFormText(request.body.name, 32),
        message: cleanFormText(request.body.message, 200),
        amount: request.body.amount,
      })
      return reply.code(201).send(event)
    },
    'POST /alerts/pause': async (request) => ({ paused: alerts.setPaused(request.body.paused) }),
  }
}
