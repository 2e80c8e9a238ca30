import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { CONTROL_FILE, readControlRecord } from './app/control.js'
import { makeTempDir, rawRequest } from './testing/harness.js'
import { createSupportEventRepository } from './support/supportRepository.js'

interface Proc {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

const running = new Set<ChildProcess>()
afterEach(() => {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
})

function startHeadless(env: Record<string, string>, args: string[] = []): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/headless.ts', ...args], {
    env: { ...process.env, WM_LOCAL_PORT: '0', WM_PUBLIC_PORT: '0', WM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}

async function waitForBanner(
  proc: Proc,
): Promise<{ loginUrl: string; localUrl: string; publicUrl: string }> {
  const deadline = Date.now() + 20_000
  while (!proc.output().includes('Press Ctrl+C to stop.')) {
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.output()}`)
    if (Date.now() > deadline) throw new Error(`no banner:\n${proc.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const out = proc.output()
  return {
    loginUrl: /Dashboard:\s+(\S+)/.exec(out)?.[1] as string,
    localUrl: /Listening:\s+local (\S+),/.exec(out)?.[1] as string,
    publicUrl: /, public (\S+)/.exec(out)?.[1] as string,
  }
}

function runSignInLink(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sign-in-link.mjs', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

async function signIn(loginUrl: string): Promise<string> {
  const res = await rawRequest({ url: loginUrl })
  return (res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string
}

describe('headless mode', { timeout: 90_000 }, () => {
  it('prints working URLs, then stops cleanly on SIGTERM after in-flight requests finish', async () => {
    const dataDir = makeTempDir()
    const proc = startHeadless({ WM_DATA_DIR: dataDir })
    const { loginUrl, localUrl, publicUrl } = await waitForBanner(proc)
    expect(proc.output()).toContain(`Data:       ${dataDir}`)
    expect((await rawRequest({ url: `${publicUrl}/healthz` })).status).toBe(200)
    const cookie = await signIn(loginUrl)
    expect((await rawRequest({ url: `${localUrl}/api/status`, headers: { cookie } })).status).toBe(
      200,
    )

    // A request whose body is still arriving when SIGTERM comes must still be answered.
    const body = JSON.stringify({ name: 'Late', message: 'still arriving' })
    const target = new URL(`${localUrl}/api/alerts/test`)
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            cookie,
            origin: localUrl,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        },
      )
      req.on('error', reject)
      req.write(body.slice(0, 10))
      setTimeout(() => {
        proc.child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(10)), 300)
      }, 200)
    })
    const answered = await response
    expect(answered.status).toBe(201)
    expect(await proc.exited).toBe(0)
    expect(proc.output()).toContain('SIGTERM received')
    // A cleanly closed SQLite database in WAL mode leaves no -wal file behind.
    expect(fs.existsSync(path.join(dataDir, 'wm-companion.sqlite-wal'))).toBe(false)
    const db = new Database(path.join(dataDir, 'wm-companion.sqlite'), { readonly: true })
    const late = createSupportEventRepository(db)
      .recorded('tip')
      .filter(({ event }) => event.supporterName === 'Late')
    expect(late).toHaveLength(1)
    db.close()
  })

  it('exits with code 2 and one line naming the variable on a bad value', async () => {
    const proc = startHeadless({ WM_DATA_DIR: makeTempDir(), WM_PUBLIC_PORT: 'eighty' })
    expect(await proc.exited).toBe(2)
    const lines = proc.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/WM_PUBLIC_PORT must be a port number/)
  })

  it('says which port is taken and what to set', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const proc = startHeadless({ WM_DATA_DIR: makeTempDir(), WM_LOCAL_PORT: String(port) })
      expect(await proc.exited).toBe(2)
      expect(proc.output()).toContain(`Port ${port} (local listener) is already in use`)
      expect(proc.output()).toContain('WM_LOCAL_PORT')
    } finally {
      blocker.close()
    }
  })

  it('loses no committed row when killed with SIGKILL during a burst of writes', async () => {
    const dataDir = makeTempDir()
    const proc = startHeadless({ WM_DATA_DIR: dataDir })
    const { loginUrl, localUrl } = await waitForBanner(proc)
    const cookie = await signIn(loginUrl)
    const acknowledged: number[] = []
    let killed = false
    const writer = async (worker: number) => {
      for (let i = 0; !killed; i += 1) {
        try {
          const res = await rawRequest({
            method: 'POST',
            url: `${localUrl}/api/alerts/test`,
            headers: { cookie, origin: localUrl, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `w${worker}-${i}` }),
          })
          if (res.status === 201) acknowledged.push(res.json<{ id: number }>().id)
        } catch {
          return // connection refused or reset: the process is gone
        }
      }
    }
    const writers = Array.from({ length: 16 }, (_, worker) => writer(worker))
    while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 10))
    proc.child.kill('SIGKILL')
    killed = true
    await Promise.all(writers)
    await proc.exited
    expect(acknowledged.length).toBeGreaterThanOrEqual(200)

    const again = startHeadless({ WM_DATA_DIR: dataDir })
    const restarted = await waitForBanner(again)
    const status = await rawRequest({
      url: `${restarted.localUrl}/api/status`,
      headers: { cookie },
    })
    expect(status.status).toBe(200) // the admin session survived the crash too

    const db = new Database(path.join(dataDir, 'wm-companion.sqlite'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const stored = new Set(
      createSupportEventRepository(db)
        .recorded('tip')
        .map(({ event }) => event.id),
    )
    db.close()
    const lost = acknowledged.filter((id) => !stored.has(id))
    expect(lost).toEqual([])
    again.child.kill('SIGTERM')
    expect(await again.exited).toBe(0)
  })

  it('a second start on the same data folder prints the running dashboard URL and exits 0', async () => {
    const dataDir = makeTempDir()
    const first = startHeadless({ WM_DATA_DIR: dataDir })
    const { localUrl, loginUrl } = await waitForBanner(first)

    const second = startHeadless({ WM_DATA_DIR: dataDir })
    expect(await second.exited).toBe(0)
    expect(second.output()).toContain('is already running on this data folder')
    expect(second.output()).toContain(`Dashboard:  ${localUrl}/`)
    expect(second.output()).toContain('npm run sign-in-link')
    expect(second.output()).not.toContain('already in use')

    // The first one is untouched: its sign-in link and database still work.
    const cookie = await signIn(loginUrl)
    expect((await rawRequest({ url: `${localUrl}/api/status`, headers: { cookie } })).status).toBe(
      200,
    )
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    // A clean stop withdraws the control record.
    expect(fs.existsSync(path.join(dataDir, CONTROL_FILE))).toBe(false)
  })

  it('two starts at the same moment on one data folder: one serves, the other points at it', async () => {
    const dataDir = makeTempDir()
    const procs = [startHeadless({ WM_DATA_DIR: dataDir }), startHeadless({ WM_DATA_DIR: dataDir })]
    const firstExit = await Promise.race(procs.map((proc, index) => proc.exited.then(() => index)))
    const pointer = procs[firstExit] as Proc
    const server = procs[1 - firstExit] as Proc
    expect(await pointer.exited).toBe(0)
    expect(pointer.output()).toContain('is already running on this data folder')
    const { localUrl } = await waitForBanner(server)
    expect(pointer.output()).toContain(`Dashboard:  ${localUrl}/`)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })

  it('takes over the lock and control record left by a killed process', async () => {
    const dataDir = makeTempDir()
    const killed = startHeadless({ WM_DATA_DIR: dataDir })
    await waitForBanner(killed)
    const stale = readControlRecord(dataDir)
    expect(stale?.pid).toBe(killed.child.pid)
    killed.child.kill('SIGKILL')
    await killed.exited

    const next = startHeadless({ WM_DATA_DIR: dataDir })
    const { localUrl } = await waitForBanner(next)
    const record = readControlRecord(dataDir)
    expect(record?.pid).toBe(next.child.pid)
    expect(record?.localUrl).toBe(localUrl)
    expect(record?.token).not.toBe(stale?.token)
    expect(fs.statSync(path.join(dataDir, CONTROL_FILE)).mode & 0o777).toBe(0o600)
    next.child.kill('SIGTERM')
    expect(await next.exited).toBe(0)
  })

  it('npm run sign-in-link prints a fresh one-time sign-in URL from the running server', async () => {
    const dataDir = makeTempDir()
    const proc = startHeadless({ WM_DATA_DIR: dataDir })
    const { localUrl, loginUrl } = await waitForBanner(proc)

    const fresh = await runSignInLink({ WM_DATA_DIR: dataDir })
    expect(fresh.code).toBe(0)
    const url = fresh.stdout.trim()
    expect(url).toMatch(new RegExp(`^${localUrl}/auth\\?token=`))
    expect(url).not.toBe(loginUrl)
    const cookie = await signIn(url)
    expect((await rawRequest({ url: `${localUrl}/api/status`, headers: { cookie } })).status).toBe(
      200,
    )
    // One-time: the same link does not sign in twice; the command gives another one.
    const reused = await rawRequest({ url })
    expect(reused.status).toBe(303)
    expect(reused.headers.location).toBe('/?signin=used')
    expect(reused.headers['set-cookie']).toBeUndefined()
    const flagged = await runSignInLink({}, ['--data-dir', dataDir])
    expect(flagged.code).toBe(0)
    expect(flagged.stdout.trim()).not.toBe(url)

    // Without the token the route refuses.
    const forged = await rawRequest({ method: 'POST', url: `${localUrl}/control/sign-in-link` })
    expect(forged.status).toBe(401)

    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
    const after = await runSignInLink({ WM_DATA_DIR: dataDir })
    expect(after.code).toBe(1)
    expect(after.stdout).toBe('')
    expect(after.stderr).toContain(`WM Companion is not running on ${dataDir}`)
  })
})
