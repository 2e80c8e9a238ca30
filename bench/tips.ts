/**
 * The tip flow over loopback against the sandbox wallet, with the real Open Payments SDK (validation
 * on): time from POST /api/tips to the consent URL (grants and wallet addresses cached), time from
 * Approve to `completed` beyond the sandbox's settlement delay, and wallet-server requests per tip.
 */
import { startSandboxWallet } from '../server/sandbox/sandboxWallet.js'
import { rawRequest, startTestServer } from '../server/testing/harness.js'
import { median, percentile, round } from './stats.js'
import type { BenchResult } from './types.js'

const RUNS = 30

type Kind =
  | 'walletAddress'
  | 'grant'
  | 'continue'
  | 'rotate'
  | 'incomingPayment'
  | 'quote'
  | 'outgoingPayment'
  | 'other'

/** What a request to the sandbox was, from its method and path. */
function classify(method: string, pathname: string): Kind {
  if (method === 'GET' && /^\/[a-z0-9-]+(\/jwks\.json)?$/.test(pathname)) return 'walletAddress'
  if (pathname === '/auth') return 'grant'
  if (pathname.startsWith('/auth/continue/')) return 'continue'
  if (pathname.startsWith('/auth/token/')) return 'rotate'
  if (pathname.startsWith('/incoming-payments')) return 'incomingPayment'
  if (pathname.startsWith('/quotes')) return 'quote'
  if (pathname.startsWith('/outgoing-payments')) return 'outgoingPayment'
  return 'other'
}
const TIME_BUDGET_MS = 45_000
const SETTLEMENT_DELAY_MS = 200

export async function run(): Promise<BenchResult[]> {
  const sandbox = await startSandboxWallet({
    port: 0,
    continueWaitSec: 0,
    settlementDelayMs: SETTLEMENT_DELAY_MS,
  })
  const server = await startTestServer({ opInsecureHttp: true })
  // Count the app's requests to the wallet by kind (the SDK uses the global fetch).
  const sandboxOrigin = new URL(sandbox.url).origin
  const counts = new Map<Kind, number>()
  const originalFetch = globalThis.fetch
  globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const url = new URL(request.url)
    if (url.origin === sandboxOrigin) {
      const kind = classify(request.method, url.pathname)
      counts.set(kind, (counts.get(kind) ?? 0) + 1)
    }
    return originalFetch(input, init)
  }
  try {
    const setup = await rawRequest({
      method: 'POST',
      url: server.local('/api/wallet'),
      headers: server.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        walletAddress: sandbox.streamer.address,
        keyId: sandbox.client.keyId,
        privateKey: sandbox.client.privateKeyPem,
      }),
    })
    if (setup.status !== 200) throw new Error(`wallet setup failed: ${setup.body}`)
    const viewers = sandbox.viewers.filter(
      (viewer) => viewer.id === 'alice' || viewer.id === 'carol',
    )
    const completedAt = new Map<string, number>()
    server.server.bus.on('support.recorded', (event) => {
      if (event.tip) completedAt.set(event.tip.flowId, performance.now())
    })

    const consent: number[] = []
    const settle: number[] = []
    const requests: number[] = []
    const addressFetches: number[] = []
    const grantRequests: number[] = []
    const deadline = Date.now() + TIME_BUDGET_MS
    // The first tip of each viewer warms the caches (wallet addresses, the incoming-payment and quote
    // grants) and is not counted.
    for (let i = 0; i < RUNS + viewers.length && Date.now() < deadline; i += 1) {
      const viewer = viewers[i % viewers.length]!
      const before = sandbox.requestCount()
      const addressesBefore = counts.get('walletAddress') ?? 0
      const grantsBefore = counts.get('grant') ?? 0
      const t0 = performance.now()
      const start = await rawRequest({
        method: 'POST',
        url: server.public('/api/tips'),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ viewerWallet: viewer.address, amount: '1' }),
      })
      const t1 = performance.now()
      if (start.status !== 201) throw new Error(`POST /api/tips: ${start.status} ${start.body}`)
      const { flowId, consentUrl } = start.json<{ flowId: string; consentUrl: string }>()
      const finish = await sandbox.approve(consentUrl)
      const approvedAt = performance.now()
      await rawRequest({ url: finish })
      for (let wait = 0; !completedAt.has(flowId); wait += 1) {
        if (wait > 2000) throw new Error(`tip ${flowId} did not complete`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      if (i < viewers.length) continue
      consent.push(t1 - t0)
      settle.push(completedAt.get(flowId)! - approvedAt - SETTLEMENT_DELAY_MS)
      requests.push(sandbox.requestCount() - before)
      addressFetches.push((counts.get('walletAddress') ?? 0) - addressesBefore)
      // One grant request per tip is the interactive outgoing-payment grant; any more would be a
      // non-interactive grant a cached one makes unnecessary.
      grantRequests.push((counts.get('grant') ?? 0) - grantsBefore - 1)
    }
    const note = `${consent.length} tips, sandbox settlement delay ${SETTLEMENT_DELAY_MS} ms, continue.wait 0`
    return [
      {
        name: 'POST /api/tips to consent URL, p50',
        value: round(median(consent)),
        unit: 'ms',
        note,
      },
      {
        name: 'POST /api/tips to consent URL, p95',
        value: round(percentile(consent, 95)),
        unit: 'ms',
        target: '< 150 ms',
        note: 'cached wallet addresses and grants',
      },
      {
        name: 'Approve to completed beyond settlement, p50',
        value: round(median(settle)),
        unit: 'ms',
      },
      {
        name: 'Approve to completed beyond settlement, p95',
        value: round(percentile(settle, 95)),
        unit: 'ms',
        target: '< 500 ms',
        note: 'callback, grant continue, outgoing payment, incoming payment polled until received',
      },
      {
        name: 'Wallet-server requests per tip, median',
        value: median(requests),
        unit: 'requests',
        target: 'none a cache makes unnecessary',
        note: 'incoming payment, quote, grant, continue, outgoing payment, then incoming-payment reads while it settles; no wallet address or grant request',
      },
      {
        name: 'Wallet address fetches per tip, max',
        value: Math.max(...addressFetches),
        unit: 'requests',
        target: '0 (cached)',
      },
      {
        name: 'Non-interactive grant requests per tip, max',
        value: Math.max(...grantRequests),
        unit: 'requests',
        target: '0 (grant reused, token rotated)',
      },
    ]
  } finally {
    globalThis.fetch = originalFetch
    await server.close()
    await sandbox.close()
  }
}
