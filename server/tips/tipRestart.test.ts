/**
 * The app process is killed between consent and payment, then restarted → the tip completes and
 * exactly one support event exists. The app runs as a real child process (headless entry); the sandbox
 * wallet runs here, on its own port, and the app is set up to use it.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchServer, type LaunchedServer } from '../../tests/e2e/support/server.js'
import type { TipFlowView } from '../contracts/tips.js'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import { rawRequest } from '../testing/harness.js'
import { createSupportEventRepository } from '../support/supportRepository.js'

let sandbox: SandboxWallet
let app: LaunchedServer | undefined

beforeAll(async () => {
  // continue.wait of 2 s: the window in which the app has consent but has not paid yet.
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 20, continueWaitSec: 2 })
})

afterAll(async () => {
  await app?.stop('SIGKILL')
  await sandbox.close()
})

async function signIn(server: LaunchedServer): Promise<Record<string, string>> {
  const login = await rawRequest({ url: server.loginUrl })
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!
  expect(cookie).toMatch(/=/)
  return { cookie, origin: server.localUrl, 'content-type': 'application/json' }
}

function readDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'wm-companion.sqlite'), { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

describe('a restart between consent and payment', () => {
  it('resumes the flow and records exactly one support event', async () => {
    app = await launchServer({ WM_OP_INSECURE_HTTP: '1' })
    const dataDir = app.dataDir
    const setup = await rawRequest({
      method: 'POST',
      url: `${app.localUrl}/api/wallet`,
      headers: await signIn(app),
      body: JSON.stringify({
        walletAddress: sandbox.streamer.address,
        keyId: sandbox.client.keyId,
        privateKey: sandbox.client.privateKeyPem,
      }),
    })
    expect(setup.status, setup.body).toBe(200)

    const alice = sandbox.viewers.find((wallet) => wallet.id === 'alice')!
    const before = sandbox.balanceOf('alice')
    const start = await rawRequest({
      method: 'POST',
      url: `${app.publicListenUrl}/api/tips`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ viewerWallet: alice.address, amount: '3', name: 'Alice' }),
    })
    expect(start.status, start.body).toBe(201)
    const { flowId, consentUrl } = start.json<{ flowId: string; consentUrl: string }>()
    const callback = await rawRequest({ url: await sandbox.approve(consentUrl) })
    expect(callback.status).toBe(200)
    expect(callback.body).toContain('data-state="authorized"')

    // Killed while waiting out continue.wait: consent is given, nothing is paid yet.
    await app.stop('SIGKILL')
    app = undefined
    const stored = readDb(dataDir, (db) => ({
      state: (
        db.prepare('SELECT state FROM tip_flows WHERE id = ?').get(flowId) as { state: string }
      ).state,
      events: createSupportEventRepository(db).recorded('tip').length,
    }))
    expect(stored).toEqual({ state: 'authorized', events: 0 })
    expect(sandbox.balanceOf('alice')).toBe(before)

    app = await launchServer({ WM_OP_INSECURE_HTTP: '1' }, dataDir)
    let view: TipFlowView | undefined
    for (let i = 0; i < 200; i += 1) {
      view = (
        await rawRequest({ url: `${app.publicListenUrl}/api/tips/${flowId}` })
      ).json<TipFlowView>()
      if (['completed', 'failed', 'rejected', 'expired'].includes(view.state)) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(view?.state).toBe('completed')
    await app.stop('SIGTERM')
    app = undefined

    const events = readDb(dataDir, (db) => createSupportEventRepository(db).recorded('tip'))
    expect(events).toHaveLength(1)
    expect(events[0]?.event.amount.value).toBe('300')
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(view!.debitAmount!.value))
  }, 90_000)
})
