import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppSettings, StatusResponse } from '../contracts/dashboard.js'
import type { WalletStatusResponse } from '../contracts/wallet.js'
import { startTestServer, type TestServer } from '../testing/harness.js'
import { adminGet, adminSend } from '../testing/integrations.js'

/** A free port on 127.0.0.1, released before it is handed back. */
async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) })
    return response.ok
  } catch {
    return false
  }
}

describe('the sandbox switch', () => {
  let t: TestServer
  afterEach(async () => {
    await t?.close()
  })

  it('is offered without WM_SANDBOX, starts the sandbox at once when on and stops it when off', async () => {
    const sandboxPort = await freePort()
    t = await startTestServer({ sandbox: false, sandboxPort })
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}/`
    expect(await answers(sandboxUrl)).toBe(false)
    const offered = await adminGet<WalletStatusResponse>(t, '/api/wallet')
    expect(offered.sandboxAvailable).toBe(true)

    const on = await adminSend(t, 'PATCH', '/api/settings', { sandboxEnabled: true })
    expect(on.status).toBe(200)
    expect(on.json<AppSettings>().sandboxEnabled).toBe(true)
    // No restart: the sandbox wallet answers as soon as the switch has answered.
    expect(await answers(sandboxUrl)).toBe(true)
    expect((await adminGet<StatusResponse>(t, '/api/status')).sandbox).toBe(true)

    const off = await adminSend(t, 'PATCH', '/api/settings', { sandboxEnabled: false })
    expect(off.json<AppSettings>().sandboxEnabled).toBe(false)
    expect(await answers(sandboxUrl)).toBe(false)
    expect((await adminGet<StatusResponse>(t, '/api/status')).sandbox).toBe(false)
  })

  it('says so with a 409 when the sandbox cannot start, and keeps the switch off', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const sandboxPort = (blocker.address() as net.AddressInfo).port
    try {
      t = await startTestServer({ sandbox: false, sandboxPort })
      const on = await adminSend(t, 'PATCH', '/api/settings', { sandboxEnabled: true })
      expect(on.status).toBe(409)
      expect(on.json<{ error: string; message: string }>()).toMatchObject({
        error: 'sandbox_start_failed',
        message: expect.stringMatching(/port is in use/),
      })
      const settings = await adminGet<AppSettings>(t, '/api/settings')
      expect(settings.sandboxEnabled).toBe(false)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
