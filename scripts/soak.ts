/**
 * `npm run soak -- --minutes 30`: the app in its own process under a steady mixed load — sandbox tips
 * through the real HTTP flow, Owncast webhooks (the shared fixtures), overlay and dashboard SSE
 * streams that stay open and reconnect — with the app's RSS sampled every 30 s and errors counted.
 * Prints the samples and the growth from minute 5 to the end (target < 10%).
 */
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startSandboxWallet } from '../server/sandbox/sandboxWallet.js'
import { appProcess, request, signIn, sleep } from './faults/appProcess.js'

const root = path.resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const minutesAt = args.indexOf('--minutes')
const MINUTES = minutesAt === -1 ? 30 : Number(args[minutesAt + 1])
const SAMPLE_MS = 30_000

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round((kb / 1024) * 10) / 10
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-soak-'))
const sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 100, continueWaitSec: 1 })
const app = appProcess(root, {
  WM_DATA_DIR: path.join(dir, 'app'),
  WM_LOCAL_PORT: String(await freePort()),
  WM_PUBLIC_PORT: String(await freePort()),
  WM_OP_INSECURE_HTTP: '1',
  WM_LOG_LEVEL: 'warn',
})
const urls = await app.start()
const pid = app.pid()!
const cookie = await signIn(urls)
const admin = { cookie, origin: urls.localUrl, 'content-type': 'application/json' }
const setup = await request(`${urls.localUrl}/api/wallet`, {
  method: 'POST',
  headers: admin,
  body: JSON.stringify({
    walletAddress: sandbox.streamer.address,
    keyId: sandbox.client.keyId,
    privateKey: sandbox.client.privateKeyPem,
  }),
})
if (setup.status !== 200) throw new Error(`wallet setup failed: ${setup.status} ${setup.body}`)
const overview = JSON.parse(
  (await request(`${urls.localUrl}/api/integrations`, { headers: { cookie } })).body,
) as { owncast: { webhookUrl: string } }
const webhookUrl = new URL(overview.owncast.webhookUrl)
const webhook = `${urls.publicUrl}${webhookUrl.pathname}${webhookUrl.search}`
const links = JSON.parse(
  (await request(`${urls.localUrl}/api/overlays/links`, { headers: { cookie } })).body,
) as { overlays: { id: string; url: string }[] }
const fixtureDir = path.join(root, '..', 'shared', 'fixtures', 'owncast')
const fixtures = ['chat.json', 'user_joined.json', 'name_change.json']
  .map((name) => path.join(fixtureDir, name))
  .filter((file) => fs.existsSync(file))
  .map((file) => fs.readFileSync(file, 'utf8'))

const counts = { tips: 0, tipsCompleted: 0, webhooks: 0, sseOpened: 0, sseEvents: 0, errors: 0 }
const errorSamples: string[] = []
function error(what: string) {
  counts.errors += 1
  if (errorSamples.length < 10) errorSamples.push(what)
}
let running = true
const endAt = Date.now() + MINUTES * 60_000
const alice = sandbox.viewers.find((v) => v.id === 'alice')!.address

async function tipLoop() {
  while (running) {
    counts.tips += 1
    try {
      const start = await request(`${urls.publicUrl}/api/tips`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ viewerWallet: alice, amount: '0.50', message: 'soak' }),
      })
      if (start.status !== 201) throw new Error(`POST /api/tips ${start.status}`)
      const { flowId, consentUrl } = JSON.parse(start.body) as {
        flowId: string
        consentUrl: string
      }
      const finish = new URL(await sandbox.approve(consentUrl))
      await request(`${urls.publicUrl}${finish.pathname}${finish.search}`)
      for (let i = 0; i < 100; i += 1) {
        const view = JSON.parse((await request(`${urls.publicUrl}/api/tips/${flowId}`)).body) as {
          state: string
        }
        if (view.state === 'completed') {
          counts.tipsCompleted += 1
          break
        }
        if (['failed', 'rejected', 'expired'].includes(view.state)) throw new Error(view.state)
        await sleep(100)
      }
    } catch (e) {
      error(`tip: ${(e as Error).message}`)
    }
    await sleep(1_500)
  }
}

async function webhookLoop() {
  let i = 0
  while (running && fixtures.length > 0) {
    const body = fixtures[i % fixtures.length]!
    i += 1
    try {
      const answer = await request(webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      counts.webhooks += 1
      if (answer.status >= 300) error(`webhook ${answer.status}`)
    } catch (e) {
      error(`webhook: ${(e as Error).message}`)
    }
    await sleep(250)
  }
}

/** Holds an SSE stream open for `holdMs`, counting what arrives, then reconnects. */
async function sseLoop(url: string, headers: Record<string, string>, holdMs: number) {
  while (running) {
    counts.sseOpened += 1
    await new Promise<void>((resolve) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) error(`sse ${url.split('?')[0]} ${res.statusCode}`)
        res.on('data', (chunk: Buffer) => {
          counts.sseEvents += (chunk.toString('utf8').match(/\n\n/g) ?? []).length
        })
        res.on('error', () => undefined)
      })
      req.on('error', (e) => {
        error(`sse: ${e.message}`)
        resolve()
      })
      setTimeout(() => {
        req.destroy()
        resolve()
      }, holdMs)
    })
  }
}

const samples: { minute: number; rssMb: number }[] = []
const began = Date.now()
const sampler = (async () => {
  while (running) {
    samples.push({
      minute: Math.round(((Date.now() - began) / 60_000) * 10) / 10,
      rssMb: rssMb(pid),
    })
    const last = samples.at(-1)!
    process.stdout.write(
      `soak ${last.minute} min: RSS ${last.rssMb} MB, tips ${counts.tipsCompleted}/${counts.tips}, webhooks ${counts.webhooks}, SSE ${counts.sseOpened} opened ${counts.sseEvents} events, errors ${counts.errors}\n`,
    )
    await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - Date.now())))
    if (Date.now() >= endAt) running = false
  }
})()

const overlayStreams = links.overlays.flatMap((overlay) => {
  const page = new URL(overlay.url)
  const key = page.searchParams.get('key') ?? ''
  return [0, 1].map(() =>
    sseLoop(`${urls.localUrl}/overlay/events?key=${key}&overlay=${overlay.id}`, {}, 20_000),
  )
})
await Promise.all([
  tipLoop(),
  tipLoop(),
  webhookLoop(),
  ...overlayStreams,
  sseLoop(`${urls.localUrl}/api/events`, { cookie }, 45_000),
  sseLoop(`${urls.localUrl}/api/events`, { cookie }, 10_000),
  sampler,
])
samples.push({ minute: Math.round(((Date.now() - began) / 60_000) * 10) / 10, rssMb: rssMb(pid) })
await app.stop()
await sandbox.close()
fs.rmSync(dir, { recursive: true, force: true })

const atFive = samples.find((s) => s.minute >= 5) ?? samples[0]!
const end = samples.at(-1)!
const growth = Math.round(((end.rssMb - atFive.rssMb) / atFive.rssMb) * 1000) / 10
process.stdout.write(
  [
    `soak: ${MINUTES} min, tips ${counts.tipsCompleted} completed of ${counts.tips}, webhooks ${counts.webhooks}, SSE connections ${counts.sseOpened} (${counts.sseEvents} events), errors ${counts.errors}, app error lines ${app.errorLines.length}`,
    `  RSS at minute ${atFive.minute}: ${atFive.rssMb} MB, at the end (${end.minute} min): ${end.rssMb} MB, growth ${growth}% (target < 10%)`,
    `  samples: ${samples.map((s) => `${s.minute}:${s.rssMb}`).join(' ')}`,
    ...errorSamples.map((e) => `  error: ${e}`),
    ...app.errorLines.slice(0, 5).map((l) => `  app: ${l.slice(0, 300)}`),
  ].join('\n') + '\n',
)
