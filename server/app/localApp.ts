import fs from 'node:fs'
import path from 'node:path'
import cookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import type { HealthResponse } from '../contracts/api.js'
import { registerErrorHandling, strictValidation } from '../http/errors.js'
import { logRequestsAtDebug, quietRequests } from '../http/logging.js'
import { SESSION_COOKIE, SESSION_TTL_MS } from '../security/adminSessions.js'
import {
  checkHost,
  checkSameOrigin,
  requireAdmin,
  requireOverlayKey,
} from '../security/localGuards.js'
import { isOverlayPagePath, keyNoticePage } from '../overlays/pages.js'
import type { Control } from './control.js'
import {
  fastifyLimitOptions,
  LOCAL_LISTENER_LIMITS,
  type ListenerLimits,
} from './listenerLimits.js'
import type { Feature } from './feature.js'
import type { Infrastructure } from './infrastructure.js'
import { registerFavicon } from '../http/favicon.js'

export const BODY_LIMIT_BYTES = 1024 * 1024

const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ')

export interface LocalAppOptions {
  ctx: Infrastructure
  features: readonly Feature[]
  /** The built renderer (dist/renderer); a hint page is served when it is missing. */
  rendererDir: string
  /** The port the listener is bound to; a function because port 0 is only known after listen(). */
  port(): number
  /** Control through the data folder (`npm run sign-in-link`): its own token, no admin session. */
  control?: Pick<Control, 'routes'>
  limits?: ListenerLimits
}

/**
 * The local listener (DESIGN §2): dashboard, admin API, SSE and overlays, on 127.0.0.1 only. Every
 * request must carry an allowed Host; the admin API needs a session; mutations need the same origin;
 * overlays need the overlay key.
 */
export async function buildLocalApp({
  ctx,
  features,
  rendererDir,
  port,
  control,
  limits = LOCAL_LISTENER_LIMITS,
}: LocalAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ajv: strictValidation,
    loggerInstance: ctx.log.child({ name: 'local' }),
    logController: quietRequests(),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    ...fastifyLimitOptions(limits),
  })
  registerErrorHandling(app)
  logRequestsAtDebug(app)
  await app.register(cookie)

  app.addHook('onRequest', async (request, reply) => {
    checkHost(request.headers.host, port())
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
  })

  registerFavicon(app)
  app.get('/healthz', async (): Promise<HealthResponse> => ({
    status: 'ok',
    listener: 'local',
    version: ctx.version,
  }))

  // The one-time token URL printed by headless mode and opened by the desktop window.
  app.get<{ Querystring: { token?: string; next?: string } }>('/auth', async (request, reply) => {
    const token = request.query.token
    const sessionId = typeof token === 'string' ? ctx.sessions.redeemLoginToken(token) : null
    const next = request.query.next === '/plugins/wm/admin' ? '/plugins/wm/admin' : '/'
    if (!sessionId) {
      // A link opened twice (a reopened tab, history): a browser that is signed in just goes on; any
      // other lands on the signed-out page, which says how to get a new link.
      if (ctx.sessions.isValidSession(request.cookies[SESSION_COOKIE]))
        return reply.redirect(next, 303)
      return reply.redirect(`${next}?signin=used`, 303)
    }
    void reply.setCookie(SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    })
    return reply.redirect(next, 303)
  })

  if (control) await app.register(async (scope) => control.routes(scope))

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', requireAdmin(ctx.sessions))
      admin.addHook('preHandler', async (request) => checkSameOrigin(request, port()))
      for (const feature of features)
        if (feature.adminRoutes) await admin.register(async (scope) => feature.adminRoutes?.(scope))
    },
    { prefix: '/api' },
  )

  await app.register(async (overlay) => {
    overlay.addHook(
      'onRequest',
      requireOverlayKey(ctx.overlayKeys, ctx.sessions, (request) =>
        isOverlayPagePath(request.url) ? keyNoticePage(port()) : null,
      ),
    )
    overlay.addHook('onSend', async (_request, reply) => {
      void reply.header('cache-control', 'no-store')
    })
    for (const feature of features)
      if (feature.overlayRoutes)
        await overlay.register(async (scope) => feature.overlayRoutes?.(scope))
  })

  await registerDashboard(app, rendererDir)
  return app
}

async function registerDashboard(app: FastifyInstance, rendererDir: string): Promise<void> {
  const indexFile = path.join(rendererDir, 'index.html')
  const built = fs.existsSync(indexFile)
  if (built) {
    await app.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/',
      index: false,
      wildcard: true,
      cacheControl: false,
      setHeaders(res, filePath) {
        res.setHeader(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        )
      },
    })
  }
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    void reply.header('content-security-policy', DASHBOARD_CSP).header('cache-control', 'no-cache')
    if (!built) {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>WM Companion</title><p>The dashboard is not built yet: run <code>npm run build</code>, then reload.</p>',
        )
    }
    return reply.type('text/html; charset=utf-8').send(fs.readFileSync(indexFile))
  }
  app.get('/', sendIndex)
  app.get('/plugins/wm/admin', sendIndex)
  app.get('/plugins/wm/admin/', sendIndex)
}
