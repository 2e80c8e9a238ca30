/**
 * The instance lock and the control record in one process (two real processes on one data folder are
 * in server/headless.test.ts), and the control route on a real server.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeTempDir, rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import {
  acquireInstanceLock,
  claimInstance,
  CONTROL_FILE,
  INSTANCE_LOCK_FILE,
  readControlRecord,
  requestSignInLink,
} from './control.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('the instance lock', () => {
  it('is held by one holder at a time and free again once released', () => {
    const dataDir = makeTempDir()
    const first = acquireInstanceLock(dataDir)
    expect(first).not.toBeNull()
    expect(acquireInstanceLock(dataDir)).toBeNull()
    expect(fs.statSync(path.join(dataDir, INSTANCE_LOCK_FILE)).mode & 0o777).toBe(0o600)
    first?.release()
    const second = acquireInstanceLock(dataDir)
    expect(second).not.toBeNull()
    second?.release()
  })

  it('reports a holder that never answers as busy once the wait is over', async () => {
    const dataDir = makeTempDir()
    const lock = acquireInstanceLock(dataDir)
    // A record left by a process that is gone does not count as a running server.
    fs.writeFileSync(
      path.join(dataDir, CONTROL_FILE),
      JSON.stringify({
        pid: 2 ** 22 + 1,
        version: '0.1.0',
        startedAt: new Date().toISOString(),
        localUrl: 'http://127.0.0.1:9',
        publicUrl: 'http://127.0.0.1:9',
        token: 'x',
      }),
    )
    expect(await claimInstance(dataDir, { waitMs: 300 })).toEqual({ kind: 'busy' })
    lock?.release()
    const claim = await claimInstance(dataDir, { waitMs: 300 })
    expect(claim.kind).toBe('acquired')
    if (claim.kind === 'acquired') claim.lock.release()
  })
})

describe('the control record and route', () => {
  it('publishes the running server and answers its token only', async () => {
    server = await startTestServer()
    const record = readControlRecord(server.dataDir)
    expect(record).toMatchObject({ pid: process.pid, localUrl: server.server.localUrl })
    expect(fs.statSync(path.join(server.dataDir, CONTROL_FILE)).mode & 0o777).toBe(0o600)

    const link = await requestSignInLink(server.dataDir)
    if (!link.ok) throw new Error(link.message)
    expect((await rawRequest({ url: link.url })).status).toBe(303)

    const wrong = await rawRequest({
      method: 'POST',
      url: server.local('/control/sign-in-link'),
      headers: { authorization: `Bearer ${'A'.repeat(record?.token.length ?? 43)}` },
    })
    expect(wrong.status).toBe(401)
    expect(wrong.json<{ error: string }>().error).toBe('invalid_control_token')
    // Not on the public listener at all.
    const onPublic = await rawRequest({
      method: 'POST',
      url: server.public('/control/sign-in-link'),
      headers: { authorization: `Bearer ${record?.token}` },
    })
    expect(onPublic.status).toBe(404)
    // The local listener's Host check applies (DNS rebinding).
    const rebound = await rawRequest({
      method: 'POST',
      url: server.local('/control/sign-in-link'),
      headers: { authorization: `Bearer ${record?.token}`, host: 'evil.example:80' },
    })
    expect(rebound.status).not.toBe(200)
  })

  it('withdraws the record on close, and leaves a newer server’s record alone', async () => {
    server = await startTestServer()
    const dataDir = server.dataDir
    await server.close()
    server = undefined
    expect(fs.existsSync(path.join(dataDir, CONTROL_FILE))).toBe(false)
    expect(await requestSignInLink(dataDir)).toEqual({
      ok: false,
      message: expect.stringContaining(`WM Companion is not running on ${dataDir}`),
    })

    const older = await startTestServer({ dataDir })
    server = await startTestServer({ dataDir })
    const newer = readControlRecord(dataDir)
    await older.close()
    expect(readControlRecord(dataDir)).toEqual(newer)
  })
})
