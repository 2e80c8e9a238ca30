/**
 * One server per data folder, and control of it from the same machine through that folder.
 *
 * - The instance lock: `<data dir>/instance.lock`, a small SQLite file held with an exclusive lock for
 *   the life of the server. The OS drops the lock when the process ends however it ends (a crash, a
 *   SIGKILL), so a lock left by a killed process is simply taken over by the next start.
 * - The control record: `<data dir>/control.json` (mode 0600, like the rest of the folder), written once
 *   both listeners are up: pid, local and public URLs and a random control token. A second start reads
 *   it to print the running dashboard's URL; `npm run sign-in-link` uses the token to ask the running
 *   server for a fresh one-time sign-in URL (`POST /control/sign-in-link`, local listener only, which
 *   keeps its Host check). Whoever can read the folder can read the database and the secrets anyway,
 *   so the token grants nothing the folder does not.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { ErrorBody } from '../contracts/common.js'
import { HttpError } from '../http/errors.js'
import { randomToken, safeEqual } from '../security/tokens.js'

export const CONTROL_FILE = 'control.json'
export const INSTANCE_LOCK_FILE = 'instance.lock'
export const SIGN_IN_LINK_PATH = '/control/sign-in-link'

export const ControlRecord = Type.Object({
  pid: Type.Integer(),
  version: Type.String(),
  startedAt: Type.String(),
  localUrl: Type.String(),
  publicUrl: Type.String(),
  token: Type.String(),
})
export type ControlRecord = Static<typeof ControlRecord>

export const SignInLinkResponse = Type.Object({ url: Type.String() })
export type SignInLinkResponse = Static<typeof SignInLinkResponse>

export interface ControlDeps {
  dataDir: string
  version: string
  /** A new one-time sign-in URL of the dashboard. */
  issueLoginUrl(): string
  now?: () => Date
}

export interface Control {
  /** `POST /control/sign-in-link` on the local listener. */
  routes(app: FastifyInstance): void
  /** Writes control.json once the listeners are up. */
  publish(urls: { localUrl: string; publicUrl: string }): void
  /** Removes control.json when the server stops (only if it is still this server's). */
  withdraw(): void
}

export function createControl(deps: ControlDeps): Control {
  const token = randomToken()
  const file = path.join(deps.dataDir, CONTROL_FILE)
  return {
    routes(app) {
      app.post(
        SIGN_IN_LINK_PATH,
        { schema: { response: { 200: SignInLinkResponse, 401: ErrorBody } } },
        async (request): Promise<SignInLinkResponse> => {
          const header = request.headers.authorization ?? ''
          const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
          if (!safeEqual(presented, token)) {
            throw new HttpError(
              401,
              'invalid_control_token',
              'This control token is not the running server’s; read it again from control.json in the data folder.',
            )
          }
          return { url: deps.issueLoginUrl() }
        },
      )
    },
    publish(urls) {
      const record: ControlRecord = {
        pid: process.pid,
        version: deps.version,
        startedAt: (deps.now?.() ?? new Date()).toISOString(),
        ...urls,
        token,
      }
      // Written aside and renamed: a reader never sees half a file.
      const pending = `${file}.${process.pid}.tmp`
      fs.writeFileSync(pending, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 })
      fs.renameSync(pending, file)
    },
    withdraw() {
      if (readControlRecord(deps.dataDir)?.token === token) fs.rmSync(file, { force: true })
    },
  }
}

export function readControlRecord(dataDir: string): ControlRecord | null {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(dataDir, CONTROL_FILE), 'utf8'))
    return Value.Check(ControlRecord, value) ? value : null
  } catch {
    return null
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface InstanceLock {
  release(): void
}

/**
 * Takes the data folder's instance lock, or returns null while another process holds it. In SQLite's
 * exclusive locking mode the first write takes an exclusive file lock and keeps it until the connection
 * closes; a second process's write fails at once with SQLITE_BUSY (timeout 0).
 */
export function acquireInstanceLock(
  dataDir: string,
  options: { nativeBinding?: string } = {},
): InstanceLock | null {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, INSTANCE_LOCK_FILE)
  const db = new Database(file, {
    timeout: 0,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  try {
    fs.chmodSync(file, 0o600) // like every file of the folder
  } catch {
    // best effort: it holds nothing but a pid
  }
  try {
    db.pragma('journal_mode = MEMORY')
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)')
    db.prepare('DELETE FROM holder').run()
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid)
    db.exec('COMMIT')
  } catch (error) {
    db.close()
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return null
    throw error
  }
  return { release: () => db.close() }
}

export type InstanceClaim =
  | { kind: 'acquired'; lock: InstanceLock }
  /** Another server runs on this data folder and answers at the recorded URL. */
  | { kind: 'running'; record: ControlRecord }
  /** Another process holds the folder but never published a URL that answers (still starting?). */
  | { kind: 'busy' }

/**
 * Claims the data folder for this process, or finds the server that has it. A server that is still
 * starting (lock taken, control.json not yet written) is waited for up to `waitMs`.
 */
export async function claimInstance(
  dataDir: string,
  options: { waitMs?: number; nativeBinding?: string } = {},
): Promise<InstanceClaim> {
  const deadline = Date.now() + (options.waitMs ?? 20_000)
  for (;;) {
    const lock = acquireInstanceLock(dataDir, options)
    if (lock) return { kind: 'acquired', lock }
    const record = readControlRecord(dataDir)
    // A record may be left by a killed process: believe it only if its pid lives and its URL answers.
    if (
      record &&
      record.pid !== process.pid &&
      isProcessAlive(record.pid) &&
      (await answersHealth(record.localUrl))
    ) {
      return { kind: 'running', record }
    }
    if (Date.now() >= deadline) return { kind: 'busy' }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function answersHealth(localUrl: string): Promise<boolean> {
  return httpRequest(`${localUrl}/healthz`, 'GET', {}).then(
    (res) => res.status === 200,
    () => false,
  )
}

function httpRequest(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 3000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}

export type SignInLinkResult = { ok: true; url: string } | { ok: false; message: string }

/** What `npm run sign-in-link` does: asks the server running on this data folder for a new URL. */
export async function requestSignInLink(dataDir: string): Promise<SignInLinkResult> {
  const record = readControlRecord(dataDir)
  const notRunning = `WM Companion is not running on ${dataDir} (start it with npm run start:headless, or pass --data-dir / WM_DATA_DIR).`
  if (!record) return { ok: false, message: notRunning }
  let res: { status: number; body: string }
  try {
    res = await httpRequest(`${record.localUrl}${SIGN_IN_LINK_PATH}`, 'POST', {
      authorization: `Bearer ${record.token}`,
    })
  } catch {
    return { ok: false, message: notRunning }
  }
  if (res.status !== 200) {
    return {
      ok: false,
      message: `the server at ${record.localUrl} refused the request (${res.status}); is it the one using ${dataDir}?`,
    }
  }
  const body: unknown = JSON.parse(res.body)
  if (!Value.Check(SignInLinkResponse, body))
    return { ok: false, message: `unexpected answer from ${record.localUrl}` }
  return { ok: true, url: body.url }
}

/** The lines a second start prints instead of starting (headless.ts). */
export function formatAlreadyRunning(record: ControlRecord, dataDir: string): string {
  return [
    `WM Companion ${record.version} is already running on this data folder (pid ${record.pid}, since ${record.startedAt}).`,
    `  Dashboard:  ${record.localUrl}/`,
    `              (for a one-time sign-in link: npm run sign-in-link)`,
    `  Public URL: ${record.publicUrl}`,
    `  Data:       ${dataDir}`,
  ].join('\n')
}
