/**
 * The sandbox's Open Payments resource server on HTTP (resource-server.yaml in
 * @interledger/open-payments 7.4.0): incoming payments, quotes and outgoing payments with play money,
 * plus settlement after a delay (DESIGN §5 steps 2, 3, 7 and 8).
 */
import type { FastifyInstance } from 'fastify'
import type { SandboxContext } from './context.js'
import { createIncomingPaymentService } from './incomingPaymentService.js'
import { createOutgoingPaymentService } from './outgoingPaymentService.js'
import { createQuoteService } from './quoteService.js'
import { createResourceAccess } from './resourceAccess.js'

export function createResourceServer(ctx: SandboxContext) {
  const access = createResourceAccess(ctx)
  const incoming = createIncomingPaymentService(ctx, access)
  const quotes = createQuoteService(ctx, access)
  const outgoing = createOutgoingPaymentService(ctx, access, quotes)

  function routes(app: FastifyInstance): void {
    app.post('/incoming-payments', incoming.createIncoming)
    app.get('/incoming-payments', incoming.listIncoming)
    app.get('/incoming-payments/:id', incoming.getIncoming)
    app.post('/incoming-payments/:id/complete', incoming.completeIncoming)
    app.post('/quotes', quotes.createQuote)
    app.get('/quotes/:id', quotes.getQuote)
    app.post('/outgoing-payments', outgoing.createOutgoing)
    app.get('/outgoing-payments', outgoing.listOutgoing)
    app.get('/outgoing-payments/:id', outgoing.getOutgoing)
    app.get('/outgoing-payment-grant', outgoing.grantSpentAmounts)
  }

  return { routes, settle: outgoing.settle }
}
