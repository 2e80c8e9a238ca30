import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AlertQueueService } from '../alerts/alertQueueService.js'
import type { OverlayId, overlayPageRoutes, overlaysAdminRoutes } from '../contracts/overlays.js'
import { OverlayKeyQuery } from '../contracts/overlays.js'
import { HttpError } from '../http/errors.js'
import type { RouteHandlers } from '../http/routes.js'
import type { OverlayHub, OverlaySender } from './overlayHub.js'
import type { OverlayService } from './overlayService.js'
import { OVERLAY_PAGES, renderOverlayPage, type StaticFile } from './pages.js'

export interface OverlayAdminRoutesDeps {
  overlays: OverlayService
  hub: OverlayHub
  /** The display settings changed: overlays showing them refresh. */
  onDisplayChanged(): void
}

/** The dashboard's overlay controls (server/contracts/overlays.ts). */
export function overlayAdminRoutes({
  overlays,
  hub,
  onDisplayChanged,
}: OverlayAdminRoutesDeps): RouteHandlers<typeof overlaysAdminRoutes> {
  return {
    'GET /overlays/links': async () => overlays.links(),
    'GET /overlays/connections': async () => hub.connections(),
    'POST /overlays/connections/reset': async () => ({ disconnected: hub.disconnectAll() }),
    'POST /overlays/rotate-key': async () => {
      overlays.rotateKey()
      return { ok: true }
    },
    'GET /overlays/css/:overlay': async (request) => ({
      overlay: request.params.overlay,
      css: overlays.customCss(request.params.overlay),
    }),
    'PUT /overlays/css/:overlay': async (request) => ({
      overlay: request.params.overlay,
      css: overlays.saveCustomCss(request.params.overlay, request.body.css),
    }),
    'GET /overlays/settings/:overlay': async (request) => overlays.settings(request.params.overlay),
    'PUT /overlays/settings/:overlay': async (request) => {
      const saved = overlays.saveSettings(request.params.overlay, request.body)
      // A new goal changes what the goal bar shows, not only how.
      if (request.params.overlay === 'goal') onDisplayChanged()
      return saved
    },
    'GET /overlays/display': async () => overlays.display(),
    'PATCH /overlays/display': async (request) => {
      const next = overlays.updateDisplay(request.body)
      onDisplayChanged()
      return next
    },
  }
}

export interface OverlayPageRoutesDeps {
  overlays: OverlayService
  hub: OverlayHub
  queue: Pick<AlertQueueService, 'displayed'>
  /** The overlay client files and sounds, read once (server/overlays/pages.ts). */
  files: ReadonlyMap<string, StaticFile>
  /** What a page gets first on its stream: the current state, resumed from its last alert id. */
  onOpen(overlay: OverlayId, sender: OverlaySender, lastEventId: number): void
}

/** The overlay pages' HTML, one route per page (`/overlay/alerts`, ...), each needing the key. */
export function registerOverlayPages(app: FastifyInstance): void {
  for (const page of OVERLAY_PAGES) {
    app.get<{ Querystring: Static<typeof OverlayKeyQuery> }>(
      `/overlay/${page.id}`,
      { schema: { querystring: OverlayKeyQuery } },
      async (request, reply) =>
        reply.type('text/html; charset=utf-8').send(renderOverlayPage(page, request.query.key)),
    )
  }
}

/** What the overlay pages load: their files, the streamer's CSS, their stream, the alert confirmation. */
export function overlayPageRouteHandlers({
  overlays,
  hub,
  queue,
  files,
  onOpen,
}: OverlayPageRoutesDeps): RouteHandlers<typeof overlayPageRoutes> {
  return {
    'GET /overlay/static/*': async (request, reply) => {
      const name = (request.params as { '*': string })['*']
      const file = files.get(name)
      if (!file) throw new HttpError(404, 'not_found', `No overlay file ${name}`)
      return reply.type(file.type).send(file.body)
    },
    'GET /overlay/custom.css': async (request, reply) =>
      reply.type('text/css; charset=utf-8').send(overlays.pageCss(request.query.overlay)),
    'GET /overlay/events': (request, reply) => {
      const overlay = request.query.overlay
      hub.connect(request, reply, overlay, (sender, lastEventId) =>
        onOpen(overlay, sender, lastEventId),
      )
    },
    'POST /overlay/alerts/displayed': async (request, reply) => {
      queue.displayed(request.body.id)
      return reply.code(204).send(null)
    },
  }
}
