/**
 * The sandbox keeps its state in its own SQLite file: a restart keeps the client key, balances,
 * grants and tokens, and settles payments that were in flight. Also the app feature that starts it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  createAuthenticatedClient,
  isFinalizedGrant,
  isPendingGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../storage/db.js'
import { settingsFor } from '../testing/settings.js'
import { createSandboxFeature, type SandboxFeatureDeps } from './feature.js'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

const dirs: string[] = []
const running: SandboxWallet[] = []

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-sandbox-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  for (const wallet of running.splice(0)) await wallet.close()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

async function sdk(wallet: SandboxWallet): Promise<AuthenticatedClient> {
  return createAuthenticatedClient({
    walletAddressUrl: wallet.client.walletAddress,
    keyId: wallet.client.keyId,
    privateKey: wallet.client.privateKey,
  })
}

async function token(client: AuthenticatedClient, authServer: string, access: object[]) {
  const grant = await client.grant.request(
    { url: authServer },
    { access_token: { access: access as never } },
  )
  if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected a token')
  return grant.access_token.value
}

describe('sandbox restart', () => {
  it('keeps its key, balances and tokens, and settles payments that were in flight', async () => {
    const dbFile = path.join(tempDir(), 'sandbox.sqlite')
    let skew = 0
    const options = {
      dbFile,
      continueWaitSec: 0,
      settlementDelayMs: 60_000,
      now: () => Date.now() + skew,
    }
    const first = await startSandboxWallet({ ...options, port: 0 })
    const port = Number(new URL(first.url).port)
    const client = await sdk(first)
    const auth = `${first.url}/auth`
    const alice = first.viewers.find((v) => v.id === 'alice')
    if (!alice) throw new Error('no alice')

    const incomingToken = await token(client, auth, [
      { type: 'incoming-payment', actions: ['create', 'read'], identifier: first.streamer.address },
    ])
    const incoming = await client.incomingPayment.create(
      { url: first.url, accessToken: incomingToken },
      {
        walletAddress: first.streamer.address,
        incomingAmount: { value: '300', assetCode: 'EUR', assetScale: 2 },
      },
    )
    const quoteToken = await token(client, auth, [{ type: 'quote', actions: ['create'] }])
    const quote = await client.quote.create(
      { url: first.url, accessToken: quoteToken },
      { walletAddress: alice.address, receiver: incoming.id, method: 'ilp' },
    )
    // A second quote for the same incoming payment: both are paid before either settles.
    const secondQuote = await client.quote.create(
      { url: first.url, accessToken: quoteToken },
      { walletAddress: alice.address, receiver: incoming.id, method: 'ilp' },
    )
    const debit = BigInt(quote.debitAmount.value)
    const pending = await client.grant.request(
      { url: auth },
      {
        access_token: {
          access: [
            {
              type: 'outgoing-payment',
              actions: ['create', 'read'],
              identifier: alice.address,
              limits: {
                debitAmount: { ...quote.debitAmount, value: (2n * debit).toString() },
                receiver: incoming.id,
              },
            },
          ],
        },
        interact: {
          start: ['redirect'],
          finish: { method: 'redirect', uri: 'http://127.0.0.1:9/cb', nonce: 'n' },
        },
      },
    )
    if (!isPendingGrant(pending)) throw new Error('expected an interactive grant')
    const ref = new URL(await first.approve(pending.interact.redirect)).searchParams.get(
      'interact_ref',
    ) as string
    const continued = await client.grant.continue(
      { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
      { interact_ref: ref },
    )
    if (!isFinalizedGrant(continued) || !continued.access_token) throw new Error('no token')
    const paymentToken = continued.access_token.value
    await client.outgoingPayment.create(
      { url: first.url, accessToken: paymentToken },
      { walletAddress: alice.address, quoteId: quote.id },
    )
    const overpayment = await client.outgoingPayment.create(
      { url: first.url, accessToken: paymentToken },
      { walletAddress: alice.address, quoteId: secondQuote.id },
    )
    const aliceAfterDebit = first.balanceOf('alice')
    const streamerBefore = first.balanceOf('streamer')
    const keyId = first.client.keyId
    const pem = first.client.privateKeyPem
    await first.close()

    // Restart on the same port, a minute later: the payment's settlement time has passed.
    skew = 61_000
    const second = await startSandboxWallet({ ...options, port })
    running.push(second)
    expect(second.client.keyId).toBe(keyId)
    expect(second.client.privateKeyPem).toBe(pem)
    expect(second.balanceOf('alice')).toBe(aliceAfterDebit)

    const again = await sdk(second)
    let completed = false
    for (let attempt = 0; attempt < 200 && !completed; attempt += 1) {
      const current = await again.incomingPayment.get({
        url: incoming.id,
        accessToken: incomingToken,
      })
      completed = current.completed
      if (!completed) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(completed).toBe(true)
    expect(second.balanceOf('streamer')).toBe(streamerBefore + 300n)
    // The first payment completed the incoming payment; the second one failed and was refunded.
    const failed = await again.outgoingPayment.get({
      url: overpayment.id,
      accessToken: paymentToken,
    })
    expect(failed.failed).toBe(true)
    expect(failed.sentAmount.value).toBe('0')
    expect(second.balanceOf('alice')).toBe(aliceAfterDebit + debit)
  })
})

describe('sandbox feature', () => {
  function context(sandbox: boolean, sandboxEnabled: boolean, dataDir: string): SandboxFeatureDeps {
    return {
      config: { sandbox, sandboxPort: 0, dataDir },
      settings: (() => {
        const settings = settingsFor(openDatabase(':memory:'))
        settings.set('sandbox.enabled', sandboxEnabled)
        return settings
      })(),
      log: { info() {}, warn() {}, error() {} },
    } as unknown as SandboxFeatureDeps
  }

  it('stays off unless WM_SANDBOX or the setting asks for it', async () => {
    const feature = createSandboxFeature(context(false, false, tempDir()))
    await feature.start?.()
    expect(feature.instance()).toBeNull()
    expect(feature.bannerLines?.()).toEqual([])
    await feature.stop?.()
  })

  it('starts from the setting, keeps its file in the data folder and prints its URL', async () => {
    const dataDir = tempDir()
    const feature = createSandboxFeature(context(false, true, dataDir))
    await feature.start?.()
    const wallet = feature.instance()
    expect(wallet).not.toBeNull()
    expect(fs.existsSync(path.join(dataDir, 'sandbox.sqlite'))).toBe(true)
    const lines = feature.bannerLines?.() ?? []
    expect(lines.join('\n')).toContain(wallet?.url)
    const list = (await (await fetch(`${wallet?.url}/`)).json()) as unknown[]
    expect(list.length).toBeGreaterThanOrEqual(5)
    await feature.stop?.()
    expect(feature.instance()).toBeNull()
  })

  it('starts on demand when the switch is turned on later', async () => {
    const feature = createSandboxFeature(context(false, false, tempDir()))
    await feature.start?.()
    expect(feature.instance()).toBeNull()
    const [a, b] = await Promise.all([feature.ensureStarted(), feature.ensureStarted()])
    expect(a).toBe(b)
    expect(feature.instance()).toBe(a)
    await feature.stop?.()
  })

  it('fails start-up with a clear message when WM_SANDBOX=1 and the port is taken', async () => {
    const blocker = await startSandboxWallet({ port: 0 })
    running.push(blocker)
    const port = Number(new URL(blocker.url).port)
    const ctx = context(true, false, tempDir())
    ;(ctx.config as { sandboxPort: number }).sandboxPort = port
    const feature = createSandboxFeature(ctx)
    await expect(feature.start?.()).rejects.toThrow(/WM_SANDBOX_PORT/)
    // With only the Settings switch on, the app starts without it.
    const quiet = createSandboxFeature({
      ...context(false, true, tempDir()),
      config: { ...ctx.config, sandbox: false },
    } as SandboxFeatureDeps)
    await quiet.start?.()
    expect(quiet.instance()).toBeNull()
  })
})
