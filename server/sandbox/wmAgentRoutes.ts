/**
 * The sandbox Web Monetization agent on HTTP: `GET /wm-agent.js` (the page script) and the calls it
 * makes, open to any origin because the page that adds the script can be anywhere (an Owncast page,
 * a test page). Payments go through `wmAgent.ts`, which speaks Open Payments to this same sandbox.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { findAppRoot } from '../app/appRoot.js'
import { WmAgentError, type WmAgent } from './wmAgent.js'

const AGENT_FILE = path.join(findAppRoot(), 'server', 'sandbox', 'client', 'wm-agent.js')

function cors(reply: FastifyReply): FastifyReply {
  return reply
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-methods', 'GET, POST, DELETE')
    .header('access-control-allow-headers', 'content-type')
    .header('access-control-max-age', '600')
}

function fail(reply: FastifyReply, error: unknown) {
  if (error instanceof WmAgentError) {
    return cors(reply).code(error.statusCode).send({ error: 'wm_agent', message: error.message })
  }
  const message = error instanceof Error ? error.message : String(error)
  return cors(reply).code(502).send({ error: 'wm_agent', message })
}

export function registerWmAgentRoutes(app: FastifyInstance, agent: WmAgent): void {
  app.get('/wm-agent.js', async (_request, reply) => {
    const script = await fs.promises.readFile(AGENT_FILE, 'utf8')
    return cors(reply)
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(script)
  })
  app.options('/wm-agent/*', async (_request, reply) => cors(reply).code(204).send())
  app.get('/wm-agent/connected', async (_request, reply) =>
    reply.type('text/plain').send('The sandbox agent is connected to this wallet.'),
  )
  app.post('/wm-agent/sessions', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    if (typeof body.wallet !== 'string' || typeof body.receiver !== 'string') {
      return fail(reply, new WmAgentError('wallet and receiver are required strings'))
    }
    try {
      const session = await agent.startSession({
        wallet: body.wallet,
        receiver: body.receiver,
        oneTime: body.oneTime === true,
      })
      return cors(reply).code(201).send(session)
    } catch (error) {
      return fail(reply, error)
    }
  })
  app.post<{ Params: { id: string } }>(
    '/wm-agent/sessions/:id/payments',
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      const amount = typeof body.amount === 'string' ? body.amount : String(body.amount ?? '')
      if (!/^\d{1,18}$/.test(amount)) {
        return fail(reply, new WmAgentError('amount must be minor units of the viewer wallet'))
      }
      try {
        return cors(reply)
          .code(201)
          .send(await agent.pay(request.params.id, BigInt(amount)))
      } catch (error) {
        return fail(reply, error)
      }
    },
  )
  app.delete<{ Params: { id: string } }>('/wm-agent/sessions/:id', async (request, reply) => {
    agent.stopSession(request.params.id)
    return cors(reply).code(204).send()
  })
}
