import type { FastifyBaseLogger } from 'fastify'
import type { Feature } from '../app/feature.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { IntegrationsService } from './integrationsService.js'
import { OSP_TOKEN_HEADER } from './osp/events.js'
import { registerIntegrationAdminRoutes, registerIntegrationWebhookRoutes } from './routes.js'

export interface IntegrationsFeatureDeps {
  /** The feature's services, built once by the composition root. */
  integrations: IntegrationsService
  /** A completed tip is thanked in chat: the thank-you is written with the support event. */
  ledger: Pick<SupportLedger, 'addRecorder'>
  log: Pick<FastifyBaseLogger, 'debug'>
  /** How often Owncast's public /api/status is read to repair sessions when webhooks were lost. */
  statusPollMs?: number
}

/**
 * Owncast and OSP: the webhooks on the public listener, the Integrations page's API, and the
 * background work (event recovery, the chat outbox, the status poll, WAL checkpoints).
 */
export function createIntegrationsFeature(deps: IntegrationsFeatureDeps): Feature {
  const { integrations } = deps
  const { processor, outbox, checkpointer, owncast, osp } = integrations
  const statusPollMs = deps.statusPollMs ?? 60_000
  let unsubscribe: (() => void) | undefined
  let poller: NodeJS.Timeout | undefined

  return {
    name: 'integrations',
    publicRoutes(app) {
      registerIntegrationWebhookRoutes(app, integrations)
    },
    adminRoutes(app) {
      registerIntegrationAdminRoutes(app, integrations)
    },
    start() {
      // The thank-you is written in the recording transaction (the outbox): a crash after the
      // commit still thanks the viewer after the restart.
      unsubscribe = deps.ledger.addRecorder('chat', (support) => {
        if (support.tip) integrations.chatBot.onTipCompleted(support)
      })
      checkpointer.start()
      processor.recover()
      outbox.start()
      poller = setInterval(() => {
        owncast
          .pollStatus()
          .catch((error: unknown) => deps.log.debug({ err: error }, 'Owncast status poll failed'))
      }, statusPollMs)
      poller.unref()
    },
    async stop() {
      unsubscribe?.()
      if (poller) clearInterval(poller)
      await integrations.platformEvents.flush()
      await processor.idle()
      processor.stop()
      await outbox.stop()
      await checkpointer.stop()
    },
    bannerLines() {
      return [
        `Owncast webhook: ${owncast.webhookUrl()}`,
        `                 (Owncast admin → Integrations → Webhooks; select the events to send)`,
        `OSP webhooks:    ${osp.webhookUrl()}?event=<event>   header ${OSP_TOKEN_HEADER}: ${osp.token()}`,
      ]
    },
  }
}
