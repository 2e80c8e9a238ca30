/**
 * Sandbox wallet latencies over loopback with the real Open Payments SDK (validation on): the cost
 * of each wallet round trip a tip makes, so the tip flow's own figures can be read against them.
 */
import { randomUUID } from 'node:crypto'
import {
  createAuthenticatedClient,
  isFinalizedGrant,
  isPendingGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { startSandboxWallet, type SandboxWallet } from '../server/sandbox/sandboxWallet.js'
import { median, percentile, round } from './stats.js'
import type { BenchResult } from './types.js'

const RUNS = 40
const TIME_BUDGET_MS = 20_000

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const start = performance.now()
  const result = await fn()
  samples.push(performance.now() - start)
  return result
}

async function token(client: AuthenticatedClient, sandbox: SandboxWallet, access: object[]) {
  const grant = await client.grant.request(
    { url: `${sandbox.url}/auth` },
    { access_token: { access: access as never } },
  )
  if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected a token')
  return grant.access_token.value
}

export async function run(): Promise<BenchResult[]> {
  const sandbox = await startSandboxWallet({ port: 0, continueWaitSec: 0, settlementDelayMs: 0 })
  try {
    const client = await createAuthenticatedClient({
      walletAddressUrl: sandbox.client.walletAddress,
      keyId: sandbox.client.keyId,
      privateKey: sandbox.client.privateKey,
    })
    const alice = sandbox.viewers.find((viewer) => viewer.id === 'alice')
    if (!alice) throw new Error('no alice')
    const samples = {
      grant: [] as number[],
      incoming: [] as number[],
      quote: [] as number[],
      consentCycle: [] as number[],
      settle: [] as number[],
      requests: [] as number[],
    }
    // One warm-up round trip (SDK loads its OpenAPI specs lazily).
    await client.walletAddress.get({ url: sandbox.streamer.address })
    const deadline = Date.now() + TIME_BUDGET_MS
    for (let i = 0; i < RUNS && Date.now() < deadline; i += 1) {
      const before = sandbox.requestCount()
      const incomingToken = await timed(samples.grant, () =>
        token(client, sandbox, [
          {
            type: 'incoming-payment',
            actions: ['create', 'read'],
            identifier: sandbox.streamer.address,
          },
        ]),
      )
      const incoming = await timed(samples.incoming, () =>
        client.incomingPayment.create(
          { url: sandbox.url, accessToken: incomingToken },
          {
            walletAddress: sandbox.streamer.address,
            incomingAmount: { value: '100', assetCode: 'EUR', assetScale: 2 },
          },
        ),
      )
      const quoteToken = await token(client, sandbox, [{ type: 'quote', actions: ['create'] }])
      const quote = await timed(samples.quote, () =>
        client.quote.create(
          { url: sandbox.url, accessToken: quoteToken },
          { walletAddress: alice.address, receiver: incoming.id, method: 'ilp' },
        ),
      )
      const outgoingToken = await timed(samples.consentCycle, async () => {
        const pending = await client.grant.request(
          { url: `${sandbox.url}/auth` },
          {
            access_token: {
              access: [
                {
                  type: 'outgoing-payment',
                  actions: ['create'],
                  identifier: alice.address,
                  limits: { debitAmount: quote.debitAmount, receiver: incoming.id },
                },
              ],
            },
            interact: {
              start: ['redirect'],
              finish: { method: 'redirect', uri: 'http://127.0.0.1:9/cb', nonce: randomUUID() },
            },
          },
        )
        if (!isPendingGrant(pending)) throw new Error('expected an interactive grant')
        const ref = new URL(await sandbox.approve(pending.interact.redirect)).searchParams.get(
          'interact_ref',
        ) as string
        const continued = await client.grant.continue(
          { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
          { interact_ref: ref },
        )
        if (!isFinalizedGrant(continued) || !continued.access_token) throw new Error('no token')
        return continued.access_token.value
      })
      await timed(samples.settle, async () => {
        await client.outgoingPayment.create(
          { url: sandbox.url, accessToken: outgoingToken },
          { walletAddress: alice.address, quoteId: quote.id },
        )
        for (;;) {
          const current = await client.incomingPayment.get({
            url: incoming.id,
            accessToken: incomingToken,
          })
          if (current.completed) return
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
      })
      samples.requests.push(sandbox.requestCount() - before)
    }
    const describe = (name: string, values: number[], note: string, unit = 'ms'): BenchResult[] => {
      return [
        { name: `${name} p50`, value: round(percentile(values, 50), 2), unit, note },
        { name: `${name} p95`, value: round(percentile(values, 95), 2), unit, note },
      ]
    }
    const runs = `${samples.grant.length} runs, loopback, SDK response validation on`
    return [
      ...describe('sandbox: non-interactive grant', samples.grant, runs),
      ...describe('sandbox: incoming payment create', samples.incoming, runs),
      ...describe('sandbox: quote create', samples.quote, runs),
      ...describe(
        'sandbox: outgoing grant + approve + continue',
        samples.consentCycle,
        `${runs}; approve() called directly, continue.wait 0`,
      ),
      ...describe(
        'sandbox: outgoing payment to incoming completed',
        samples.settle,
        `${runs}; settlement delay 0, polling incomingPayment.get`,
      ),
      {
        name: 'sandbox: HTTP requests per uncached tip',
        value: median(samples.requests),
        unit: 'requests',
        note: 'median; 3 grants, incoming, quote, continue, outgoing, polls; no wallet address lookups',
      },
    ]
  } finally {
    await sandbox.close()
  }
}
