import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { timerAdminRoutes } from '../contracts/timer.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { TimerService } from './timerService.js'

export interface TimerFeatureDeps {
  timer: TimerService
  /** Support buys time inside its own recording transaction (a recorder), announced after it. */
  ledger: Pick<SupportLedger, 'addRecorder'>
  bus: Pick<EventBus, 'on'>
}

/** The subathon timer: the dashboard's controls, time bought by tips and Web Monetization. */
export function createTimerFeature({ timer, ledger, bus }: TimerFeatureDeps): Feature {
  const unsubscribe: (() => void)[] = []
  return {
    name: 'timer',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, timerAdminRoutes, {
        'GET /timer': async () => timer.view(),
        'POST /timer/start': async (request) => timer.start(request.body.durationSeconds),
        'POST /timer/pause': async () => timer.pause(),
        'POST /timer/resume': async () => timer.resume(),
        'POST /timer/stop': async () => timer.stop(),
        'POST /timer/adjust': async (request) => timer.adjust(request.body.seconds),
        'PUT /timer/config': async (request) => timer.setConfig(request.body),
      })
    },
    start() {
      unsubscribe.push(ledger.addRecorder('timer', (event) => void timer.credit(event)))
      unsubscribe.push(bus.on('support.recorded', () => timer.announce()))
      timer.startTicking()
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off()
      timer.stopTicking()
    },
  }
}
