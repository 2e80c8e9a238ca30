/**
 * Web Monetization on HTTP: the report endpoint on the public listener (CORS for the pages allowed to
 * report), the list-all callback page, the admin API for the Integrations page, and the `/overlay/wm`
 * counter for OBS.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findAppRoot } from '../app/appRoot.js'
import type { WebMonetizationResponse, WmLive, WmSettings } from '../contracts/webMonetization.js'
import {
  webMonetizationAdminRoutes,
  webMonetizationPublicRoutes,
} from '../contracts/webMonetization.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import { escapeHtml } from '../http/html.js'
import { registerRoutes } from '../http/routes.js'
import { overlayCsp } from '../overlays/pages.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { WmError, WmErrorCode } from './errors.js'
import type { WmListAll } from './wmListAll.js'
import type { WmService } from './wmService.js'

export interface WmRoutesDeps {
  service: WmService
  listAll: WmListAll
  settings: Pick<SettingsStore, 'get' | 'set'>
  page(): Promise<WebMonetizationResponse>
  live(): WmLive
  localPort(): number
}

function corsFor(request: FastifyRequest, reply: FastifyReply, service: WmService): void {
  const origin = request.headers.origin
  if (typeof origin === 'string' && service.originAllowed(origin)) {
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600')
  }
  void reply.header('vary', 'origin')
}

export function registerWmPublicRoutes(app: FastifyInstance, deps: WmRoutesDeps): void {
  const { service, listAll } = deps
  // The preflight of a cross-origin JSON POST: answered for allowed origins only.
  app.options('/api/wm/reports', async (request, reply) => {
    corsFor(request, reply, service)
    return reply.code(204).send()
  })
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/wm/reports')) corsFor(request, reply, service)
  })
  registerRoutes(app, webMonetizationPublicRoutes, {
    'POST /api/wm/reports': async (request, reply) => {
      const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined
      return reply.code(202).send(await service.report(request.body, origin))
    },
  })
  app.get<{
    Params: { id: string }
    Querystring: { hash?: string; interact_ref?: string; result?: string }
  }>('/wm/list-all/callback/:id', async (request, reply) => {
    const query = request.query ?? {}
    const outcome = await listAll.finish(request.params.id, {
      hash: typeof query.hash === 'string' ? query.hash : undefined,
      interact_ref: typeof query.interact_ref === 'string' ? query.interact_ref : undefined,
      result: typeof query.result === 'string' ? query.result : undefined,
    })
    const title = outcome.ok ? 'Listing approved' : 'Listing not approved'
    return reply
      .code(outcome.ok ? 200 : 400)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
      .send(
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
          `<body style="font-family:system-ui;padding:24px"><h1 class="${outcome.ok ? 'ok' : 'failed'}">${escapeHtml(title)}</h1>` +
          `<p>${escapeHtml(outcome.message)}</p><p>You can close this window.</p></body></html>`,
      )
  })
}

function checkSettings(settings: WmSettings): WmSettings {
  const origins = settings.reportOrigins.map((raw, index) => {
    try {
      const url = new URL(raw)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
      return url.origin
    } catch {
      throw new WmError(
        WmErrorCode.InvalidSetting,
        `"${raw}" is not a page origin such as https://owncast.example.`,
        `body.reportOrigins.${index}`,
      )
    }
  })
  try {
    if (decimalToMinor(settings.supporterStep, 6) <= 0n) throw new MoneyFormatError('zero')
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error
    throw new WmError(
      WmErrorCode.InvalidSetting,
      'The streaming supporter step must be an amount above zero, such as 0.50.',
      'body.supporterStep',
    )
  }
  return { ...settings, reportOrigins: origins }
}

export function registerWmAdminRoutes(app: FastifyInstance, deps: WmRoutesDeps): void {
  registerRoutes(app, webMonetizationAdminRoutes, {
    'GET /web-monetization': async () => deps.page(),
    'PUT /web-monetization/settings': async (request) => {
      const settings = checkSettings(request.body)
      deps.settings.set('webMonetization.settings', settings)
      return settings
    },
    'POST /web-monetization/list-all': async () => deps.listAll.begin(),
    'DELETE /web-monetization/list-all': async () => {
      deps.listAll.forget()
      return { ok: true }
    },
  })
}

const OVERLAY_SCRIPT = path.join(
  findAppRoot(),
  'server',
  'webMonetization',
  'client',
  'wm-overlay.js',
)

/** `/overlay/wm?key=`: "streaming now: N viewers, €x this stream" for an OBS browser source. */
export function registerWmOverlay(app: FastifyInstance, deps: WmRoutesDeps): void {
  const csp = () => overlayCsp(deps.localPort())
  app.get<{ Querystring: { key?: string } }>('/overlay/wm', async (request, reply) => {
    const key = encodeURIComponent(String(request.query.key ?? ''))
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', csp())
      .header('cache-control', 'no-store').send(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>WM Companion · Web Monetization</title>
<link rel="stylesheet" href="/overlay/static/overlay.css?key=${key}">
<link rel="stylesheet" href="/overlay/custom.css?key=${key}&amp;overlay=wm">
<script type="module" src="/overlay/wm.js?key=${key}"></script>
</head>
<body class="wm-overlay wm-page-wm" data-overlay="wm">
<main id="wm-root"><div class="wm-counter" data-testid="wm-counter"><span class="wm-viewers"></span> <span class="wm-total"></span></div></main>
</body>
</html>
`)
  })
  app.get('/overlay/wm.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(await fs.promises.readFile(OVERLAY_SCRIPT, 'utf8')),
  )
  app.get('/overlay/wm/state', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(deps.live()),
  )
}
