/**
 * The sandbox's authorization server on HTTP: the GNAP endpoints (`/auth`, continue, token management)
 * and the consent pages (`/interact/:id/:nonce`). HTML pages carry a strict CSP and are never cached.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  CONSENT_CSS,
  CONSENT_STYLESHEET_PATH,
  consentCsp,
  renderMessagePage,
} from './consentPage.js'
import { createConsentService, type ConsentDecision } from './consentService.js'
import type { SandboxContext } from './context.js'
import { SandboxError } from './errors.js'
import { createGrantService } from './grantService.js'

/** The auth server's routes, and the consent buttons for tests and the bench. */
export function createAuthServer(ctx: SandboxContext) {
  const grants = createGrantService(ctx)
  const consent = createConsentService(ctx)

  function sendPage(
    reply: FastifyReply,
    status: number,
    html: string,
    finishOrigin: string | null,
  ) {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', consentCsp(finishOrigin))
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(html)
  }

  function errorPage(reply: FastifyReply, error: unknown) {
    if (error instanceof SandboxError) {
      const title =
        error.statusCode === 410
          ? 'This request expired'
          : error.statusCode === 409
            ? 'Already answered'
            : 'Unknown request'
      return sendPage(reply, error.statusCode, renderMessagePage(title, error.message), null)
    }
    throw error
  }

  function routes(app: FastifyInstance): void {
    app.post('/auth', async (request, reply) => {
      const body = await grants.requestGrant(request)
      return reply.code(200).send(body)
    })
    app.post<{ Params: { id: string } }>('/auth/continue/:id', async (request, reply) => {
      return reply.code(200).send(await grants.continueGrant(request, request.params.id))
    })
    app.delete<{ Params: { id: string } }>('/auth/continue/:id', async (request, reply) => {
      await grants.cancelGrant(request, request.params.id)
      return reply.code(204).send()
    })
    app.post<{ Params: { id: string } }>('/auth/token/:id', async (request, reply) => {
      return reply.code(200).send(await grants.rotateToken(request, request.params.id))
    })
    app.delete<{ Params: { id: string } }>('/auth/token/:id', async (request, reply) => {
      await grants.revokeToken(request, request.params.id)
      return reply.code(204).send()
    })

    app.get(CONSENT_STYLESHEET_PATH, async (_request, reply) => {
      return reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(CONSENT_CSS)
    })
    app.get<{ Params: { id: string; nonce: string } }>(
      '/interact/:id/:nonce',
      async (request, reply) => {
        try {
          const page = await consent.consentPage(
            request.params.id,
            request.params.nonce,
            request.url,
          )
          return sendPage(reply, 200, page.html, page.finishOrigin)
        } catch (error) {
          return errorPage(reply, error)
        }
      },
    )
    app.post<{ Params: { id: string; nonce: string } }>(
      '/interact/:id/:nonce',
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>
        const decision = body.decision
        if (decision !== 'approve' && decision !== 'reject') {
          return sendPage(
            reply,
            400,
            renderMessagePage('Choose Approve or Reject', 'The form did not say.'),
            null,
          )
        }
        try {
          const location = consent.decide(request.params.id, request.params.nonce, decision)
          return reply
            .code(303)
            .header('location', location)
            .header('cache-control', 'no-store')
            .send()
        } catch (error) {
          return errorPage(reply, error)
        }
      },
    )
  }

  return {
    routes,
    /** `approve(consentUrl)` / `reject(consentUrl)` for tests and the bench: same as the buttons. */
    decideByUrl: (consentUrl: string, decision: ConsentDecision) =>
      consent.decideByUrl(consentUrl, decision),
  }
}
