import {
  createAuthenticatedClient,
  createUnauthenticatedClient,
  isFinalizedGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

let sandbox: SandboxWallet
let client: AuthenticatedClient

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 10, continueWaitSec: 0 })
  client = await createAuthenticatedClient({
    walletAddressUrl: sandbox.client.walletAddress,
    keyId: sandbox.client.keyId,
    privateKey: sandbox.client.privateKey,
  })
})

afterAll(async () => {
  await sandbox.close()
})

async function incomingPaymentToken(): Promise<string> {
  const streamer = await client.walletAddress.get({ url: sandbox.streamer.address })
  const grant = await client.grant.request(
    { url: streamer.authServer },
    {
      access_token: {
        access: [
          {
            type: 'incoming-payment',
            actions: ['create', 'read', 'complete'],
            identifier: streamer.id,
          },
        ],
      },
    },
  )
  if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected an access token')
  return grant.access_token.value
}

describe('sandbox wallet addresses', () => {
  it('serves wallet address documents and jwks that pass the SDK validation', async () => {
    const anonymous = await createUnauthenticatedClient({})
    const streamer = await anonymous.walletAddress.get({ url: sandbox.streamer.address })
    expect(streamer).toMatchObject({
      id: sandbox.streamer.address,
      assetCode: 'EUR',
      assetScale: 2,
      authServer: `${sandbox.url}/auth`,
      resourceServer: sandbox.url,
    })
    expect(streamer.publicName).toBeTruthy()

    const jwks = await anonymous.walletAddress.getKeys({ url: sandbox.client.walletAddress })
    expect(jwks.keys.map((key) => key.kid)).toContain(sandbox.client.keyId)
    // The streamer's wallet publishes the same key, so the app may use either as its identity.
    const streamerKeys = await anonymous.walletAddress.getKeys({ url: sandbox.streamer.address })
    expect(streamerKeys.keys.map((key) => key.kid)).toContain(sandbox.client.keyId)

    const carol = sandbox.viewers.find((viewer) => viewer.assetCode === 'USD')
    expect(carol).toBeDefined()
  })

  it('lists its wallets with their role at GET /', async () => {
    const response = await fetch(`${sandbox.url}/`)
    const wallets = (await response.json()) as {
      address: string
      role: string
      assetCode: string
    }[]
    const roles = wallets.map((wallet) => wallet.role)
    expect(roles).toContain('streamer')
    expect(roles).toContain('client')
    expect(roles.filter((role) => role === 'viewer').length).toBeGreaterThanOrEqual(3)
    expect(wallets.some((w) => w.role === 'viewer' && w.assetCode === 'USD')).toBe(true)
  })

  it('answers 404 for an unknown wallet address', async () => {
    const anonymous = await createUnauthenticatedClient({})
    await expect(
      anonymous.walletAddress.get({ url: `${sandbox.url}/nobody` }),
    ).rejects.toMatchObject({ status: 404 })
  })
})

describe('sandbox incoming payments', () => {
  it('grants non-interactively and creates, reads and completes an incoming payment', async () => {
    const token = await incomingPaymentToken()
    const expiresAt = new Date(Date.now() + 60_000).toISOString()
    const created = await client.incomingPayment.create(
      { url: sandbox.url, accessToken: token },
      {
        walletAddress: sandbox.streamer.address,
        incomingAmount: { value: '250', assetCode: 'EUR', assetScale: 2 },
        expiresAt,
        metadata: { tierId: 'coffee', message: 'hi <b>there</b>' },
      },
    )
    expect(created.id).toMatch(new RegExp(`^${sandbox.url}/incoming-payments/`))
    expect(created.receivedAmount.value).toBe('0')
    expect(created.completed).toBe(false)
    expect(created.metadata).toEqual({ tierId: 'coffee', message: 'hi <b>there</b>' })
    expect(created.methods[0]?.type).toBe('ilp')

    const read = await client.incomingPayment.get({ url: created.id, accessToken: token })
    expect(read.incomingAmount?.value).toBe('250')
    expect(read.expiresAt).toBe(expiresAt)

    const anonymous = await createUnauthenticatedClient({})
    const publicView = await anonymous.incomingPayment.get({ url: created.id })
    expect(publicView).toMatchObject({ authServer: `${sandbox.url}/auth` })
    expect(publicView.receivedAmount?.value).toBe('0')

    const completed = await client.incomingPayment.complete({ url: created.id, accessToken: token })
    expect(completed.completed).toBe(true)
  })

  it('lists incoming payments page by page', async () => {
    const streamer = await client.walletAddress.get({ url: sandbox.streamer.address })
    const grant = await client.grant.request(
      { url: streamer.authServer },
      {
        access_token: {
          access: [
            { type: 'incoming-payment', actions: ['create', 'list'], identifier: streamer.id },
          ],
        },
      },
    )
    if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected a token')
    const token = grant.access_token.value
    const ids: string[] = []
    for (const value of ['1', '2', '3']) {
      const created = await client.incomingPayment.create(
        { url: sandbox.url, accessToken: token },
        {
          walletAddress: streamer.id,
          incomingAmount: { value, assetCode: 'EUR', assetScale: 2 },
        },
      )
      ids.push(created.id)
    }
    const args = { url: sandbox.url, accessToken: token, walletAddress: streamer.id }
    const firstPage = await client.incomingPayment.list(args, {
      first: 2,
      'wallet-address': streamer.id,
    })
    expect(firstPage.pagination.hasNextPage).toBe(true)
    const cursor = firstPage.pagination.endCursor as string
    const secondPage = await client.incomingPayment.list(args, {
      first: 2,
      cursor,
      'wallet-address': streamer.id,
    })
    const listed = [...firstPage.result, ...secondPage.result].map((payment) => payment.id)
    // This client's own payments, and only its own (the `list` action).
    expect(listed.slice(-3)).toEqual(ids)
    expect(secondPage.pagination.hasNextPage).toBe(false)
  })

  it('rejects an incomingAmount in another currency', async () => {
    const token = await incomingPaymentToken()
    await expect(
      client.incomingPayment.create(
        { url: sandbox.url, accessToken: token },
        {
          walletAddress: sandbox.streamer.address,
          incomingAmount: { value: '250', assetCode: 'USD', assetScale: 2 },
        },
      ),
    ).rejects.toMatchObject({ status: 400 })
  })
})
