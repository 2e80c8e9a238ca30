import {
  createAuthenticatedClient,
  createUnauthenticatedClient,
  isFinalizedGrant,
  isPendingGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

let sandbox: SandboxWallet
let app: AuthenticatedClient

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 20, continueWaitSec: 0 })
  app = await createAuthenticatedClient({
    walletAddressUrl: sandbox.client.walletAddress,
    keyId: sandbox.client.keyId,
    privateKey: sandbox.client.privateKey,
    useHttp: true,
  })
})

afterAll(async () => {
  await sandbox.close()
})

async function readAllToken(): Promise<string> {
  const grant = await app.grant.request(
    { url: `${sandbox.url}/auth` },
    {
      access_token: {
        access: [
          { type: 'incoming-payment', actions: ['read-all'], identifier: sandbox.streamer.address },
        ],
      },
    },
  )
  if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected a token')
  return grant.access_token.value
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

describe('sandbox Web Monetization agent', () => {
  it('streams play money to an incoming payment on the streamer wallet, as the extension does', async () => {
    const aliceBefore = sandbox.balanceOf('alice')
    const streamerBefore = sandbox.balanceOf('streamer')
    const session = await sandbox.wmAgent.startSession({
      wallet: 'alice',
      receiver: sandbox.streamer.address,
    })
    const first = await sandbox.wmAgent.pay(session.id, 20n)
    const second = await sandbox.wmAgent.pay(session.id, 20n)
    expect(first.incomingPayment).toBe(second.incomingPayment)
    expect(first.paymentPointer).toBe(sandbox.streamer.address)
    expect(first.amountSent).toEqual({ value: '0.19', currency: 'EUR' })
    await settle()

    // Anyone can read the public view; the app reads the whole payment with read-all.
    const anonymous = await createUnauthenticatedClient({ useHttp: true })
    const view = await anonymous.incomingPayment.get({ url: session.incomingPayment })
    expect(view.receivedAmount?.value).toBe('38')
    const full = await app.incomingPayment.get({
      url: session.incomingPayment,
      accessToken: await readAllToken(),
    })
    expect(full.walletAddress).toBe(sandbox.streamer.address)
    expect(full.incomingAmount).toBeUndefined()
    expect(full.metadata).toEqual({ source: 'Web Monetization' })
    const lifetime = Date.parse(full.expiresAt as string) - Date.parse(full.createdAt)
    expect(lifetime).toBeGreaterThan(9 * 60_000)

    expect(sandbox.balanceOf('alice')).toBe(aliceBefore - 40n)
    expect(sandbox.balanceOf('streamer')).toBe(streamerBefore + 38n)
  })

  it('opens a 30 s incoming payment for a one-time payment', async () => {
    const session = await sandbox.wmAgent.startSession({
      wallet: 'bob',
      receiver: sandbox.streamer.address,
      oneTime: true,
    })
    expect(session.expiresAt - Date.now()).toBeLessThanOrEqual(30_000)
    const paid = await sandbox.wmAgent.pay(session.id, 100n)
    expect(paid.receiveAmount.value).toBe('99')
  })

  it('makes list-all interactive, as Rafiki does by default', async () => {
    const grant = await app.grant.request(
      { url: `${sandbox.url}/auth` },
      {
        access_token: {
          access: [
            {
              type: 'incoming-payment',
              actions: ['list-all'],
              identifier: sandbox.streamer.address,
            },
          ],
        },
        interact: {
          start: ['redirect'],
          finish: { method: 'redirect', uri: 'http://127.0.0.1:9/cb', nonce: 'n1' },
        },
      },
    )
    expect(isPendingGrant(grant)).toBe(true)
    const page = await fetch((grant as { interact: { redirect: string } }).interact.redirect)
    expect(await page.text()).toContain('asks to see every payment your wallet receives')
  })

  it('serves the page script to any origin', async () => {
    const response = await fetch(`${sandbox.url}/wm-agent.js?wallet=alice&rate=600`)
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(await response.text()).toContain("'monetization'")
  })
})
