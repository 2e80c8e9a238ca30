import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { median, round } from './stats.js'
import type { BenchResult } from './types.js'

const RUNS = 5
const IDLE_MS = 5000

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return kb / 1024
}

/** One cold start of the built headless server: spawn → both listeners ready (banner), then idle RSS. */
async function once(): Promise<{ startupMs: number; rssMb: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-startup-'))
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/server/headless.js'], {
    env: {
      ...process.env,
      WM_DATA_DIR: dataDir,
      WM_LOCAL_PORT: '0',
      WM_PUBLIC_PORT: '0',
      WM_LOG_LEVEL: 'warn',
      WM_SANDBOX: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const startupMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s:\n${out}`)), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer)
        resolve(performance.now() - started)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)))
  })
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
  const rss = rssMb(child.pid as number)
  child.removeAllListeners('exit')
  await new Promise((resolve) => {
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })
  fs.rmSync(dataDir, { recursive: true, force: true })
  return { startupMs, rssMb: rss }
}

export async function run(): Promise<BenchResult[]> {
  const samples: { startupMs: number; rssMb: number }[] = []
  for (let i = 0; i < RUNS; i += 1) samples.push(await once())
  return [
    {
      name: 'headless start-up to both listeners ready (process spawn included)',
      value: round(median(samples.map((s) => s.startupMs)), 0),
      unit: 'ms',
      target: '< 1500 ms',
      note: `median of ${RUNS} cold starts`,
    },
    {
      name: `headless idle RSS (${IDLE_MS / 1000} s after start)`,
      value: round(median(samples.map((s) => s.rssMb)), 1),
      unit: 'MB',
      target: '< 150 MB',
      note: `median of ${RUNS}`,
    },
  ]
}
