/**
 * The whole tip flow of DESIGN §5 against the sandbox, with the real Open Payments SDK (response
 * validation on) over real HTTP.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto'
import {
  createAuthenticatedClient,
  isFinalizedGrant,
  isPendingGrant,
  type AuthenticatedClient,
  type IncomingPaymentWithPaymentMethods,
  type PendingGrant,
  type Quote,
  type WalletAddress,
} from '@interledger/open-payments'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandboxWallet, type SandboxWallet, type SandboxWalletInfo } from './sandboxWallet.js'

const FINISH_URI = 'http://127.0.0.1:9/tip/callback/flow-1'

let sandbox: SandboxWallet
let client: AuthenticatedClient
let skew = 0

beforeAll(async () => {
  sandbox = await startSandboxWallet({
    port: 0,
    settlementDelayMs: 20,
    continueWaitSec: 0,
    now: () => Date.now() + skew,
  })
  client = await createAuthenticatedClient({
    walletAddressUrl: sandbox.client.walletAddress,
    keyId: sandbox.client.keyId,
    privateKey: sandbox.client.privateKey,
  })
})

beforeEach(() => {
  skew = 0
})

afterAll(async () => {
  await sandbox.close()
})

function viewer(name: string): SandboxWalletInfo {
  const found = sandbox.viewers.find((wallet) => wallet.id === name)
  if (!found) throw new Error(`no viewer ${name}`)
  return found
}

async function accessToken(
  wallet: WalletAddress,
  access: Parameters<AuthenticatedClient['grant']['request']>[1]['access_token'],
) {
  const grant = await client.grant.request({ url: wallet.authServer }, { access_token: access })
  if (!isFinalizedGrant(grant) || !grant.access_token) throw new Error('expected a token')
  return grant.access_token
}

interface Prepared {
  streamer: WalletAddress
  payer: WalletAddress
  incoming: IncomingPaymentWithPaymentMethods
  incomingToken: string
  quote: Quote
  nonce: string
  pending: PendingGrant
}

/** Steps 1-4 of DESIGN §5: incoming payment, quote, interactive outgoing-payment grant. */
async function prepareTip(
  payerWallet: SandboxWalletInfo,
  amount = '500',
  limitOverride?: { value: string; assetCode: string; assetScale: number },
): Promise<Prepared> {
  const streamer = await client.walletAddress.get({ url: sandbox.streamer.address })
  const payer = await client.walletAddress.get({ url: payerWallet.address })
  const incomingToken = (
    await accessToken(streamer, {
      access: [{ type: 'incoming-payment', actions: ['create', 'read'], identifier: streamer.id }],
    })
  ).value
  const incoming = await client.incomingPayment.create(
    { url: streamer.resourceServer, accessToken: incomingToken },
    {
      walletAddress: streamer.id,
      incomingAmount: { value: amount, assetCode: 'EUR', assetScale: 2 },
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      metadata: { tierId: 'coffee' },
    },
  )
  const quoteToken = (
    await accessToken(payer, { access: [{ type: 'quote', actions: ['create', 'read'] }] })
  ).value
  const quote = await client.quote.create(
    { url: payer.resourceServer, accessToken: quoteToken },
    { walletAddress: payer.id, receiver: incoming.id, method: 'ilp' },
  )
  const nonce = randomUUID()
  const grant = await client.grant.request(
    { url: payer.authServer },
    {
      access_token: {
        access: [
          {
            type: 'outgoing-payment',
            actions: ['create', 'read'],
            identifier: payer.id,
            limits: { debitAmount: limitOverride ?? quote.debitAmount, receiver: incoming.id },
          },
        ],
      },
      interact: {
        start: ['redirect'],
        finish: { method: 'redirect', uri: FINISH_URI, nonce },
      },
    },
  )
  if (!isPendingGrant(grant)) throw new Error('expected an interactive grant')
  return { streamer, payer, incoming, incomingToken, quote, nonce, pending: grant }
}

/** Steps 5-6: approve, verify the finish hash, continue. */
async function approveAndContinue(prepared: Prepared): Promise<string> {
  const finishUrl = new URL(await sandbox.approve(prepared.pending.interact.redirect))
  expect(finishUrl.origin + finishUrl.pathname).toBe(FINISH_URI)
  const hash = finishUrl.searchParams.get('hash')
  const interactRef = finishUrl.searchParams.get('interact_ref')
  expect(interactRef).toBeTruthy()
  const expected = createHash('sha256')
    .update(
      `${prepared.nonce}\n${prepared.pending.interact.finish}\n${interactRef}\n${prepared.payer.authServer}`,
    )
    .digest('base64')
  expect(hash).toBe(expected)
  const continued = await client.grant.continue(
    {
      url: prepared.pending.continue.uri,
      accessToken: prepared.pending.continue.access_token.value,
    },
    { interact_ref: interactRef as string },
  )
  if (!isFinalizedGrant(continued) || !continued.access_token) throw new Error('expected a token')
  expect(continued.access_token.access[0]?.type).toBe('outgoing-payment')
  return continued.access_token.value
}

async function waitForCompleted(prepared: Prepared) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const current = await client.incomingPayment.get({
      url: prepared.incoming.id,
      accessToken: prepared.incomingToken,
    })
    if (current.completed) return current
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('the incoming payment never completed')
}

describe('sandbox tip flow', () => {
  it('pays a EUR streamer from a EUR viewer: consent, continue, outgoing payment, settlement', async () => {
    const alice = viewer('alice')
    const aliceBefore = sandbox.balanceOf(alice.id)
    const streamerBefore = sandbox.balanceOf(sandbox.streamer.id)
    const prepared = await prepareTip(alice, '500')
    // €5.00 plus a 1% fee, in the viewer's currency.
    expect(prepared.quote.debitAmount).toEqual({ value: '505', assetCode: 'EUR', assetScale: 2 })
    expect(prepared.quote.receiveAmount).toEqual({ value: '500', assetCode: 'EUR', assetScale: 2 })

    const token = await approveAndContinue(prepared)
    const payment = await client.outgoingPayment.create(
      { url: prepared.payer.resourceServer, accessToken: token },
      { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
    )
    expect(payment.debitAmount.value).toBe('505')
    expect(payment.failed).toBe(false)
    expect(sandbox.balanceOf(alice.id)).toBe(aliceBefore - 505n)

    const completed = await waitForCompleted(prepared)
    expect(completed.receivedAmount.value).toBe('500')
    expect(sandbox.balanceOf(sandbox.streamer.id)).toBe(streamerBefore + 500n)

    const sent = await client.outgoingPayment.get({ url: payment.id, accessToken: token })
    expect(sent.sentAmount.value).toBe('500')
    expect(sent.failed).toBe(false)
    const spent = await client.outgoingPayment.getGrantSpentAmounts({
      url: prepared.payer.resourceServer,
      accessToken: token,
    })
    expect(spent.spentDebitAmount?.value).toBe('505')

    // The quote was used: paying it again is refused, and nothing more is debited.
    await expect(
      client.outgoingPayment.create(
        { url: prepared.payer.resourceServer, accessToken: token },
        { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
      ),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_quote' })
    expect(sandbox.balanceOf(alice.id)).toBe(aliceBefore - 505n)
  })

  it('pays a EUR streamer from a USD viewer at the fixed rate', async () => {
    const carol = viewer('carol')
    const before = sandbox.balanceOf(carol.id)
    const prepared = await prepareTip(carol, '500')
    // €5.00 = $5.50, plus 1% fee.
    expect(prepared.quote.debitAmount).toEqual({ value: '556', assetCode: 'USD', assetScale: 2 })
    const token = await approveAndContinue(prepared)
    await client.outgoingPayment.create(
      { url: prepared.payer.resourceServer, accessToken: token },
      { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
    )
    const completed = await waitForCompleted(prepared)
    expect(completed.receivedAmount).toEqual({ value: '500', assetCode: 'EUR', assetScale: 2 })
    expect(sandbox.balanceOf(carol.id)).toBe(before - 556n)
  })

  it('redirects with result=grant_rejected when the viewer rejects, and continue is denied', async () => {
    const prepared = await prepareTip(viewer('bob'))
    const finishUrl = new URL(await sandbox.reject(prepared.pending.interact.redirect))
    expect(finishUrl.searchParams.get('result')).toBe('grant_rejected')
    expect(finishUrl.searchParams.get('hash')).toBeNull()
    await expect(
      client.grant.continue(
        {
          url: prepared.pending.continue.uri,
          accessToken: prepared.pending.continue.access_token.value,
        },
        { interact_ref: 'anything' },
      ),
    ).rejects.toMatchObject({ status: 401, code: 'request_denied' })
    await expect(sandbox.approve(prepared.pending.interact.redirect)).rejects.toThrow(
      /already answered/,
    )
  })

  it('refuses an outgoing payment above the grant limit (403) and debits nothing', async () => {
    const alice = viewer('alice')
    const prepared = await prepareTip(alice, '500', {
      value: '100',
      assetCode: 'EUR',
      assetScale: 2,
    })
    const before = sandbox.balanceOf(alice.id)
    const token = await approveAndContinue(prepared)
    await expect(
      client.outgoingPayment.create(
        { url: prepared.payer.resourceServer, accessToken: token },
        { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
      ),
    ).rejects.toMatchObject({ status: 403 })
    expect(sandbox.balanceOf(alice.id)).toBe(before)
  })

  it('refuses an expired quote', async () => {
    const prepared = await prepareTip(viewer('alice'))
    const token = await approveAndContinue(prepared)
    skew = 5 * 60_000 + 1000
    await expect(
      client.outgoingPayment.create(
        { url: prepared.payer.resourceServer, accessToken: token },
        { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
      ),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_quote' })
  })

  it('rejects an expired access token with 401, and the rotated token works', async () => {
    const streamer = await client.walletAddress.get({ url: sandbox.streamer.address })
    const token = await accessToken(streamer, {
      access: [{ type: 'incoming-payment', actions: ['create', 'read'], identifier: streamer.id }],
    })
    expect(token.expires_in).toBe(600)
    const create = (value: string) =>
      client.incomingPayment.create(
        { url: streamer.resourceServer, accessToken: value },
        {
          walletAddress: streamer.id,
          incomingAmount: { value: '100', assetCode: 'EUR', assetScale: 2 },
        },
      )
    skew = 601_000
    await expect(create(token.value)).rejects.toMatchObject({ status: 401 })
    const rotated = await client.token.rotate({ url: token.manage, accessToken: token.value })
    expect(rotated.access_token.value).not.toBe(token.value)
    const created = await create(rotated.access_token.value)
    expect(created.incomingAmount?.value).toBe('100')
    // The old token is gone for good, and a revoked token stops working.
    await expect(create(token.value)).rejects.toMatchObject({ status: 401 })
    await client.token.revoke({
      url: rotated.access_token.manage,
      accessToken: rotated.access_token.value,
    })
    await expect(create(rotated.access_token.value)).rejects.toMatchObject({ status: 401 })
  })

  it('rejects requests signed with another key or an unknown key id (401)', async () => {
    const streamer = await client.walletAddress.get({ url: sandbox.streamer.address })
    const otherKey = generateKeyPairSync('ed25519').privateKey
    const impostor = await createAuthenticatedClient({
      walletAddressUrl: sandbox.client.walletAddress,
      keyId: sandbox.client.keyId,
      privateKey: otherKey,
    })
    const grantRequest = {
      access_token: {
        access: [
          {
            type: 'incoming-payment' as const,
            actions: ['create' as const, 'read' as const],
            identifier: streamer.id,
          },
        ],
      },
    }
    await expect(
      impostor.grant.request({ url: streamer.authServer }, grantRequest),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_client' })

    const unknownKid = await createAuthenticatedClient({
      walletAddressUrl: sandbox.client.walletAddress,
      keyId: 'not-a-published-key',
      privateKey: sandbox.client.privateKey,
    })
    await expect(
      unknownKid.grant.request({ url: streamer.authServer }, grantRequest),
    ).rejects.toMatchObject({ status: 401 })

    // A stolen access token is useless without the client's key.
    const token = await accessToken(streamer, grantRequest.access_token)
    await expect(
      impostor.incomingPayment.create(
        { url: streamer.resourceServer, accessToken: token.value },
        { walletAddress: streamer.id },
      ),
    ).rejects.toMatchObject({ status: 401 })
  })

  it('refuses a payment the viewer cannot afford, and a receiver the grant does not name', async () => {
    const bob = viewer('bob')
    const before = sandbox.balanceOf(bob.id)
    // Bob holds €50.00: a €60.00 tip cannot be paid.
    const prepared = await prepareTip(bob, '6000')
    const token = await approveAndContinue(prepared)
    await expect(
      client.outgoingPayment.create(
        { url: prepared.payer.resourceServer, accessToken: token },
        { walletAddress: prepared.payer.id, quoteId: prepared.quote.id },
      ),
    ).rejects.toMatchObject({ status: 403, code: 'insufficient_balance' })
    expect(sandbox.balanceOf(bob.id)).toBe(before)

    // The grant names one receiver: a quote for another incoming payment is refused.
    const other = await prepareTip(bob, '100')
    await expect(
      client.outgoingPayment.create(
        { url: prepared.payer.resourceServer, accessToken: token },
        { walletAddress: prepared.payer.id, quoteId: other.quote.id },
      ),
    ).rejects.toMatchObject({ status: 403, code: 'insufficient_grant' })
  })

  it('pays an incoming payment directly with a debitAmount, and cancels grants', async () => {
    const alice = viewer('alice')
    const prepared = await prepareTip(alice, '1000', {
      value: '1010',
      assetCode: 'EUR',
      assetScale: 2,
    })
    const token = await approveAndContinue(prepared)
    const payment = await client.outgoingPayment.create(
      { url: prepared.payer.resourceServer, accessToken: token },
      {
        walletAddress: prepared.payer.id,
        incomingPayment: prepared.incoming.id,
        debitAmount: { value: '1010', assetCode: 'EUR', assetScale: 2 },
      },
    )
    expect(payment.receiveAmount.value).toBe('1000')
    const completed = await waitForCompleted(prepared)
    expect(completed.receivedAmount.value).toBe('1000')

    const next = await prepareTip(alice, '100')
    await client.grant.cancel({
      url: next.pending.continue.uri,
      accessToken: next.pending.continue.access_token.value,
    })
    await expect(sandbox.approve(next.pending.interact.redirect)).rejects.toThrow(
      /already answered/,
    )
  })

  it('refuses to quote for a wallet or a receiver it does not host', async () => {
    const payer = await client.walletAddress.get({ url: viewer('alice').address })
    const quoteToken = (
      await accessToken(payer, { access: [{ type: 'quote', actions: ['create'] }] })
    ).value
    await expect(
      client.quote.create(
        { url: payer.resourceServer, accessToken: quoteToken },
        {
          walletAddress: payer.id,
          receiver: 'https://wallet.example/incoming-payments/00000000-0000-0000-0000-000000000000',
          method: 'ilp',
        },
      ),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_receiver' })
    await expect(
      client.quote.create(
        { url: payer.resourceServer, accessToken: quoteToken },
        {
          walletAddress: 'https://wallet.example/alice',
          receiver: `${sandbox.url}/incoming-payments/00000000-0000-0000-0000-000000000000`,
          method: 'ilp',
        },
      ),
    ).rejects.toMatchObject({ status: 400 })
  })

  it('answers too_fast before continue.wait has passed', async () => {
    const slow = await startSandboxWallet({
      port: 0,
      continueWaitSec: 5,
      now: () => Date.now() + skew,
    })
    try {
      const slowClient = await createAuthenticatedClient({
        walletAddressUrl: slow.client.walletAddress,
        keyId: slow.client.keyId,
        privateKey: slow.client.privateKey,
      })
      const alice = slow.viewers[0] as SandboxWalletInfo
      const payer = await slowClient.walletAddress.get({ url: alice.address })
      const grant = await slowClient.grant.request(
        { url: payer.authServer },
        {
          access_token: {
            access: [
              {
                type: 'outgoing-payment',
                actions: ['create'],
                identifier: payer.id,
                limits: { debitAmount: { value: '100', assetCode: 'EUR', assetScale: 2 } },
              },
            ],
          },
          interact: {
            start: ['redirect'],
            finish: { method: 'redirect', uri: FINISH_URI, nonce: 'n-1' },
          },
        },
      )
      if (!isPendingGrant(grant)) throw new Error('expected an interactive grant')
      expect(grant.continue.wait).toBe(5)
      const ref = new URL(await slow.approve(grant.interact.redirect)).searchParams.get(
        'interact_ref',
      ) as string
      const continueArgs = {
        url: grant.continue.uri,
        accessToken: grant.continue.access_token.value,
      }
      await expect(
        slowClient.grant.continue(continueArgs, { interact_ref: ref }),
      ).rejects.toMatchObject({ status: 400, code: 'too_fast' })
      skew = 5_000
      const continued = await slowClient.grant.continue(continueArgs, { interact_ref: ref })
      expect(isFinalizedGrant(continued)).toBe(true)
    } finally {
      await slow.close()
    }
  })

  it('expires consent interactions', async () => {
    const prepared = await prepareTip(viewer('bob'))
    skew = 10 * 60_000 + 1000
    await expect(sandbox.approve(prepared.pending.interact.redirect)).rejects.toThrow(/expired/)
    const page = await fetch(prepared.pending.interact.redirect)
    expect(page.status).toBe(410)
  })
})
