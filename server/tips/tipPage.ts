/**
 * The tip page the viewer sees on the public listener: the page and its assets, the <wm-tip-panel>
 * widget script, and the callback page the wallet redirects to after consent (DESIGN §5 step 5), each
 * with its Content-Security-Policy. The JSON API the page talks to is in ./routes.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  TipCallbackQuery,
  TipFlowParams,
  type TipFlowState,
  type TipFlowView,
} from '../contracts/tips.js'
import { HttpError } from '../http/errors.js'
import { TipError } from './errors.js'
import type { TipFlowService } from './tipFlowService.js'
import { escapeHtml } from '../http/html.js'

export interface TipPageDeps {
  flows: Pick<TipFlowService, 'handleCallback'>
  /** The public base URL: the callback page tells the opener on this origin only. */
  publicUrl(): string
  /** Where tip.html and its assets are (server/tips/client). */
  clientDir: string
  /** The streamer's wallet address: the page carries it as its Web Monetization link (DESIGN §6). */
  monetizationLink?(): string | null
}

/** The tip page: frameable by any http(s) page (Owncast's External Action iframe), nothing inline. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  // Owncast shows the tip page in an External Action iframe from the streamer's own domain (DESIGN §7).
  'frame-ancestors http: https:',
].join('; ')

/** The callback page runs in the wallet's popup (or the whole tab): never framed, no forms. */
const CALLBACK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** The files under /tip/assets/, by name; nothing else is served from the folder. */
const ASSETS: Record<string, string> = {
  'tip.js': 'text/javascript; charset=utf-8',
  'amounts.js': 'text/javascript; charset=utf-8',
  'tip.css': 'text/css; charset=utf-8',
  'callback.js': 'text/javascript; charset=utf-8',
  'widget.js': 'text/javascript; charset=utf-8',
}

/** The callback page's heading and text for the state the flow is in after the callback. */
const STATE_TEXT: Record<TipFlowState, { title: string; body: string }> = {
  authorized: {
    title: 'Approved',
    body: 'Your wallet approved the tip. The payment is on its way.',
  },
  paying: { title: 'Sending', body: 'The payment is on its way.' },
  completed: { title: 'Thank you!', body: 'Your tip arrived.' },
  rejected: {
    title: 'Tip cancelled',
    body: 'You declined the payment in your wallet. Nothing was paid.',
  },
  expired: {
    title: 'Too late',
    body: 'The approval took too long. Nothing was paid; start a new tip.',
  },
  failed: { title: 'Tip failed', body: 'Nothing was paid. Start a new tip.' },
  awaiting_consent: { title: 'Waiting for your wallet', body: 'Approve the tip in your wallet.' },
  created: { title: 'Preparing', body: 'The tip is being prepared.' },
}

/** The callback page: the flow's state in words; callback.js tells the opener and closes the popup. */
function callbackHtml(view: TipFlowView | undefined, targetOrigin: string): string {
  const state = view?.state ?? 'failed'
  const text = STATE_TEXT[state]
  const detail = view?.error?.message ?? (view ? text.body : 'This tip is unknown.')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)}</title><link rel="stylesheet" href="/tip/assets/tip.css"></head>
<body class="callback" data-flow-id="${escapeHtml(view?.flowId ?? '')}" data-state="${escapeHtml(state)}" data-origin="${escapeHtml(targetOrigin)}">
<main class="card"><h1 class="state-${escapeHtml(state)}">${escapeHtml(text.title)}</h1><p>${escapeHtml(detail)}</p>
<p class="hint">You can close this window.</p></main>
<script type="module" src="/tip/assets/callback.js"></script></body></html>`
}

/** Registers the tip page, its assets, the widget and the callback page on the public listener. */
export function registerTipPage(app: FastifyInstance, deps: TipPageDeps): void {
  const cache = new Map<string, Buffer>()
  const asset = (name: string): Buffer => {
    let content = cache.get(name)
    if (!content) {
      content = fs.readFileSync(path.join(deps.clientDir, name))
      cache.set(name, content)
    }
    return content
  }

  app.get<{ Params: TipFlowParams; Querystring: TipCallbackQuery }>(
    '/tip/callback/:flowId',
    { schema: { params: TipFlowParams, querystring: TipCallbackQuery } },
    async (request, reply) => {
      let view: TipFlowView | undefined
      let status = 200
      try {
        view = await deps.flows.handleCallback(request.params.flowId, request.query)
      } catch (error) {
        if (!(error instanceof TipError)) throw error
        status = error.statusCode
      }
      return reply
        .code(status)
        .header('content-security-policy', CALLBACK_CSP)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(callbackHtml(view, new URL(deps.publicUrl()).origin))
    },
  )

  const sendPage = async (_request: FastifyRequest, reply: FastifyReply) => {
    const wallet = deps.monetizationLink?.() ?? null
    const html = asset('tip.html').toString('utf8')
    return reply
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(
        wallet
          ? html.replace(
              '<head>',
              `<head>\n    <link rel="monetization" href="${escapeHtml(wallet)}" />`,
            )
          : html,
      )
  }
  app.get('/tip', sendPage)
  app.get('/tip/', sendPage)

  app.get<{ Params: { file: string } }>('/tip/assets/:file', async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.file)
      ? ASSETS[request.params.file]
      : undefined
    if (!type) throw new HttpError(404, 'not_found', 'No such file.')
    return reply.header('cache-control', 'no-cache').type(type).send(asset(request.params.file))
  })
  // The <wm-tip-panel> script: any page may load it (it only embeds the tip page in an iframe).
  app.get('/tip/widget.js', async (_request, reply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .type(ASSETS['widget.js']!)
      .send(asset('widget.js')),
  )
}
