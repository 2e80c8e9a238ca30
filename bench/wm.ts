/**
 * Web Monetization at scale: simulated streaming viewers (sandbox agents in this process, each its own
 * person with its own approved grant and incoming payment) pay the streamer's sandbox wallet every
 * 2 s for a minute and report each payment to the app, which runs as a real headless process (so its
 * CPU is its own). Measures wallet reads per incoming payment per minute, recorded vs received, the
 * time from a payment settling to its verified record, and the app's CPU per report.
 * WM_BENCH_VIEWERS (default 1000) and WM_BENCH_SECONDS (default 60) size it.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { startSandboxWallet } from '../server/sandbox/sandboxWallet.js'
import type { AgentSession } from '../server/sandbox/wmAgent.js'
import { rawRequest } from '../server/testing/harness.js'
import { launchServer } from '../tests/e2e/support/server.js'
import { percentile } from './stats.js'
import type { BenchResult } from './types.js'

const VIEWERS = Number(process.env.WM_BENCH_VIEWERS ?? 1000)
const SECONDS = Number(process.env.WM_BENCH_SECONDS ?? 60)
const INTERVAL_MS = 2_000
const SETTLEMENT_DELAY_MS = 1_000
const DEBIT_PER_PAYMENT = 2n

function cpuMs(pid: number): number {
  // utime + stime in clock ticks (fields 14 and 15 of /proc/<pid>/stat); 100 ticks a second here.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export async function run(): Promise<BenchResult[]> {
  const sandbox = await startSandboxWallet({
    port: 0,
    continueWaitSec: 0,
    settlementDelayMs: SETTLEMENT_DELAY_MS,
  })
  const app = await launchServer({ WM_OP_INSECURE_HTTP: '1', WM_LOG_LEVEL: 'error' })
  try {
    const login = await rawRequest({ url: app.loginUrl })
    const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] as string
    const setup = await rawRequest({
      method: 'POST',
      url: `${app.localUrl}/api/wallet`,
      headers: { cookie, origin: app.localUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        walletAddress: sandbox.streamer.address,
        keyId: sandbox.client.keyId,
        privateKey: sandbox.client.privateKeyPem,
      }),
    })
    if (setup.status !== 200) throw new Error(`wallet setup failed: ${setup.body}`)

    const streamerBefore = sandbox.balanceOf('streamer')
    const sessions: AgentSession[] = []
    for (let start = 0; start < VIEWERS; start += 20) {
      const batch = Array.from({ length: Math.min(20, VIEWERS - start) }, (_, i) =>
        sandbox.wmAgent.startSession({
          wallet: ['alice', 'bob'][(start + i) % 2] as string,
          receiver: sandbox.streamer.address,
          viewer: `bench-${start + i}`,
        }),
      )
      sessions.push(...(await Promise.all(batch)))
    }

    const settledAt = new Map<string, { at: number; cumulative: bigint }[]>()
    const cumulative = new Map<string, bigint>()
    let reports = 0
    let failedReports = 0
    let payments = 0
    let failedPayments = 0
    const pid = app.process.pid as number
    const cpuBefore = cpuMs(pid)
    const startedAt = Date.now()
    const endAt = startedAt + SECONDS * 1000

    const viewer = async (index: number) => {
      const session = sessions[index] as AgentSession
      // Spread the viewers over the 2 s interval, as real tabs would be.
      await new Promise((resolve) => setTimeout(resolve, (index / VIEWERS) * INTERVAL_MS))
      let next = Date.now()
      while (next < endAt) {
        let paid
        try {
          paid = await sandbox.wmAgent.pay(session.id, DEBIT_PER_PAYMENT)
        } catch {
          failedPayments += 1
          next += INTERVAL_MS
          continue
        }
        payments += 1
        const sum = (cumulative.get(paid.incomingPayment) ?? 0n) + BigInt(paid.receiveAmount.value)
        cumulative.set(paid.incomingPayment, sum)
        const list = settledAt.get(paid.incomingPayment) ?? []
        list.push({ at: Date.now() + SETTLEMENT_DELAY_MS, cumulative: sum })
        settledAt.set(paid.incomingPayment, list)
        const answer = await rawRequest({
          method: 'POST',
          url: `${app.publicListenUrl}/api/wm/reports`,
          headers: {
            'content-type': 'application/json',
            // One client address per simulated viewer: the public listener rate-limits per client.
            'x-forwarded-for': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
          },
          body: JSON.stringify({
            incomingPayment: paid.incomingPayment,
            amountSent: paid.amountSent,
            paymentPointer: paid.paymentPointer,
          }),
        })
        if (answer.status === 202) reports += 1
        else failedReports += 1
        next += INTERVAL_MS
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())))
      }
    }
    await Promise.all(sessions.map((_, index) => viewer(index)))
    const streamedMs = Date.now() - startedAt
    const cpuDuring = cpuMs(pid) - cpuBefore

    // Wait for the app to verify everything (the last read comes after the last report settles);
    // what the wallet received is read again each time (payments still settling, and payments whose
    // answer timed out here but which the wallet made).
    await new Promise((resolve) => setTimeout(resolve, SETTLEMENT_DELAY_MS * 2))
    let received = sandbox.balanceOf('streamer') - streamerBefore
    const dbFile = path.join(app.dataDir, 'wm-companion.sqlite')
    const db = new Database(dbFile, { readonly: true })
    const recordedTotal = () =>
      BigInt(
        (
          db
            .prepare(
              "SELECT COALESCE(SUM(amount_value), 0) AS total FROM support_events WHERE kind = 'web-monetization'",
            )
            .get() as { total: number }
        ).total,
      )
    const drainStart = Date.now()
    while (recordedTotal() !== received && Date.now() - drainStart < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      received = sandbox.balanceOf('streamer') - streamerBefore
    }
    const drainMs = Date.now() - drainStart
    const recorded = recordedTotal()

    const reads = db.prepare('SELECT url, reads FROM wm_incoming_payments').all() as {
      url: string
      reads: number
    }[]
    const minutes = (streamedMs + drainMs) / 60_000
    const readsPerMinute = reads.map((row) => row.reads / minutes).sort((a, b) => a - b)

    // Latency: a payment is verified when an event of its incoming payment reaches its cumulative amount.
    const events = db
      .prepare(
        "SELECT source_key, occurred_at FROM support_events WHERE kind = 'web-monetization' ORDER BY id",
      )
      .all() as { source_key: string; occurred_at: number }[]
    const recordsByUrl = new Map<string, { at: number; cumulative: bigint }[]>()
    for (const event of events) {
      const hash = event.source_key.lastIndexOf('#')
      const url = event.source_key.slice(0, hash)
      const list = recordsByUrl.get(url) ?? []
      list.push({
        at: Number(event.occurred_at),
        cumulative: BigInt(event.source_key.slice(hash + 1)),
      })
      recordsByUrl.set(url, list)
    }
    const latencies: number[] = []
    for (const [url, paymentsOfUrl] of settledAt) {
      const records = recordsByUrl.get(url) ?? []
      for (const payment of paymentsOfUrl) {
        const record = records.find((r) => r.cumulative >= payment.cumulative)
        if (record) latencies.push(Math.max(0, record.at - payment.at))
      }
    }
    db.close()
    latencies.sort((a, b) => a - b)
    const note = `${VIEWERS} viewers, ${SECONDS} s, ${payments} payments (${((payments / streamedMs) * 1000).toFixed(0)}/s achieved), ${failedPayments} payments failed, ${failedReports} reports refused`
    return [
      {
        name: 'wallet reads per incoming payment per minute (max)',
        value: Number((readsPerMinute[readsPerMinute.length - 1] ?? 0).toFixed(2)),
        unit: 'reads/min',
        target: '≤ 12',
        note: `median ${(readsPerMinute[Math.floor(readsPerMinute.length / 2)] ?? 0).toFixed(2)}; ${note}`,
      },
      {
        name: 'recorded minus received at the end',
        value: Number(recorded - received),
        unit: 'minor units',
        target: '0',
        note: `recorded ${recorded}, received ${received}; drained ${(drainMs / 1000).toFixed(1)} s after the last payment`,
      },
      {
        name: 'payment settled → verified record, p95',
        value: Number(((latencies.length ? percentile(latencies, 95) : 0) / 1000).toFixed(2)),
        unit: 's',
        target: '< 6 s',
        note: `p50 ${((latencies.length ? percentile(latencies, 50) : 0) / 1000).toFixed(2)} s over ${latencies.length} payments`,
      },
      {
        name: 'app CPU per report',
        value: Number((cpuDuring / Math.max(1, reports)).toFixed(3)),
        unit: 'ms',
        note: `${reports} reports; app CPU ${(cpuDuring / 1000).toFixed(1)} s in ${(streamedMs / 1000).toFixed(0)} s`,
      },
    ]
  } finally {
    await app.stop()
    await sandbox.close()
  }
}
