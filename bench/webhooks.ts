/**
 * Webhook ingest: throughput and p99 of POST /webhooks/owncast for realistic CHAT payloads
 * (the signed fixture's compact Go JSON, a fresh event id per request), 50 connections, every accepted
 * event durably stored before the answer. Measured in the same run, alternating, against a bare Fastify
 * route that only parses the body. autocannon runs in a second process so it does not share the
 * server's event loop. Loopback only; about a minute.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { findAppRoot } from '../server/app/appRoot.js'
import { loadConfig } from '../server/config/config.js'
import { memoryPreferences } from '../server/settings/preferences.js'
import { startServer } from '../server/start.js'
import { median, round } from './stats.js'
import type { BenchResult } from './types.js'

const CONNECTIONS = 50
const DURATION_S = Number(process.env.WM_BENCH_WEBHOOK_SECONDS ?? 5)
const ROUNDS = Number(process.env.WM_BENCH_WEBHOOK_ROUNDS ?? 5)

interface CannonResult {
  /** Server CPU time (user + system, µs) spent during the run, added here. */
  serverCpuUs?: number
  requests: { average: number }
  latency: { p99: number; p50: number }
  '2xx': number
  non2xx: number
  errors: number
  timeouts: number
}

/**
 * autocannon's API in a child process. Each request gets its own event id through `setupRequest` (the
 * CLI's `-I` keeps the template's Content-Length and breaks the framing when the id grows).
 */
const CANNON_SCRIPT = `
const autocannon = require(process.env.CANNON_PATH)
let n = 0
const prefix = 'b' + process.pid.toString(36) + Date.now().toString(36)
autocannon({
  url: process.env.CANNON_URL,
  connections: Number(process.env.CANNON_CONNECTIONS),
  duration: Number(process.env.CANNON_SECONDS),
  method: 'POST',
  headers: { 'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1' },
  requests: [{
    setupRequest(request) {
      n += 1
      return { ...request, body: process.env.CANNON_BODY.replace('[<id>]', prefix + '-' + n) }
    },
  }],
}, (error, result) => {
  if (error) { console.error(error); process.exit(1) }
  process.stdout.write(JSON.stringify(result))
})
`

function autocannon(url: string, body: string, seconds: number): Promise<CannonResult> {
  const cannonPath = path.join(findAppRoot(), 'node_modules', 'autocannon', 'autocannon.js')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CANNON_SCRIPT], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CANNON_PATH: cannonPath,
        CANNON_URL: url,
        CANNON_CONNECTIONS: String(CONNECTIONS),
        CANNON_SECONDS: String(seconds),
        CANNON_BODY: body,
      },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited ${code}: ${err.slice(-500)}`))
        return
      }
      try {
        resolve(JSON.parse(out) as CannonResult)
      } catch {
        reject(new Error(`autocannon printed no JSON: ${out.slice(0, 300)} ${err.slice(-300)}`))
      }
    })
  })
}

/** The signed CHAT fixture with `[<id>]` where its id was: autocannon puts a new id in each request. */
function chatBody(): string {
  const file = path.join(
    findAppRoot(),
    '..',
    'shared',
    'fixtures',
    'owncast',
    'signed',
    'chat.body.json',
  )
  const text = fs.readFileSync(file, 'utf8').trim()
  if (!text.includes('"id":"q7mWf2LNg"')) throw new Error(`unexpected fixture ${file}`)
  return text.replace('"id":"q7mWf2LNg"', '"id":"[<id>]"')
}

export async function run(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-webhooks-'))
  const server = await startServer({
    preferences: memoryPreferences(),
    config: {
      ...loadConfig({}, []),
      dataDir,
      localPort: 0,
      publicPort: 0,
      logLevel: 'warn',
    },
  })
  const bare = Fastify({ logger: false })
  bare.post('/bare', async (request) => ({ ok: typeof request.body === 'object' }))
  await bare.listen({ host: '127.0.0.1', port: 0 })
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`

  try {
    const login = await fetch(server.loginUrl(), { redirect: 'manual' })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string
    const overview = (await (
      await fetch(`${server.localUrl}/api/integrations`, { headers: { cookie } })
    ).json()) as { owncast: { webhookUrl: string } }
    // The public listener's own address (WM_PUBLIC_URL may point at a tunnel).
    const webhookUrl = overview.owncast.webhookUrl.replace(server.publicUrl, server.publicListenUrl)
    const body = chatBody()

    const count = () =>
      (
        server.db
          .prepare("SELECT COUNT(*) AS n FROM platform_events WHERE type = 'CHAT'")
          .get() as {
          n: number
        }
      ).n

    // Warm both up (JIT, SQLite pages), then alternate so drift hits both alike.
    await autocannon(bareUrl, body, 2)
    await autocannon(webhookUrl, body, 2)
    const measured = async (url: string): Promise<CannonResult> => {
      const cpu = process.cpuUsage()
      const result = await autocannon(url, body, DURATION_S)
      const used = process.cpuUsage(cpu)
      result.serverCpuUs = used.user + used.system
      return result
    }
    const cpuPerRequest = (runs: CannonResult[]) =>
      median(runs.map((r) => (r.serverCpuUs ?? 0) / Math.max(1, r['2xx'])))
    const bareRuns: CannonResult[] = []
    const hookRuns: CannonResult[] = []
    let accepted = 0
    for (let i = 0; i < ROUNDS; i += 1) {
      bareRuns.push(await measured(bareUrl))
      const before = count()
      const hook = await measured(webhookUrl)
      hookRuns.push(hook)
      accepted += hook['2xx']
      if (hook.non2xx > 0 || hook.errors > 0) {
        throw new Error(`webhook run had ${hook.non2xx} non-2xx answers and ${hook.errors} errors`)
      }
      // Requests still in flight when autocannon stops are stored but not counted by it.
      const stored = count() - before
      if (stored < hook['2xx'] || stored > hook['2xx'] + CONNECTIONS) {
        throw new Error(
          `${hook['2xx']} requests were answered 2xx but ${stored} events were stored`,
        )
      }
    }
    const bareRps = median(bareRuns.map((r) => r.requests.average))
    const hookRps = median(hookRuns.map((r) => r.requests.average))
    const hookP99 = median(hookRuns.map((r) => r.latency.p99))
    const bareP99 = median(bareRuns.map((r) => r.latency.p99))
    // Each round's webhook run is compared with the bare run just before it (the machine's speed drifts
    // between rounds far more than within one), and the median of those ratios is reported.
    const ratios = hookRuns.map(
      (run, i) => run.requests.average / (bareRuns[i]?.requests.average ?? 1),
    )
    const ratio = median(ratios)
    return [
      {
        name: 'Owncast webhook ingest (CHAT, 50 connections, stored durably)',
        value: round(hookRps, 0),
        unit: 'req/s',
        note: `median of ${ROUNDS} × ${DURATION_S} s runs; ${accepted} events stored, each answered only after commit; server CPU ${round(cpuPerRequest(hookRuns), 0)} µs/request`,
      },
      {
        name: 'bare Fastify POST parsing the same body',
        value: round(bareRps, 0),
        unit: 'req/s',
        note: `same run, alternating; p99 ${round(bareP99, 1)} ms; server CPU ${round(cpuPerRequest(bareRuns), 0)} µs/request`,
      },
      {
        name: 'webhook / bare throughput ratio',
        value: round(ratio, 2),
        unit: '×',
        target: '≥ 0.8',
        note: `median of the per-round ratios (${ratios.map((r) => round(r, 2)).join(', ')})`,
      },
      {
        name: 'Owncast webhook ingest p99 latency',
        value: round(hookP99, 1),
        unit: 'ms',
        target: '≤ 10 ms',
        note: `p50 ${round(median(hookRuns.map((r) => r.latency.p50)), 1)} ms`,
      },
    ]
  } finally {
    await bare.close()
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

// `node --import tsx bench/webhooks.ts` runs this module alone.
if (process.argv[1] && /bench[\\/]webhooks\.ts$/.test(process.argv[1])) {
  run().then(
    (results) => {
      for (const r of results)
        process.stdout.write(`${r.name}: ${r.value} ${r.unit}${r.note ? ` — ${r.note}` : ''}\n`)
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`)
      process.exitCode = 1
    },
  )
}
