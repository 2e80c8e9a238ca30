/**
 * What a tip leaves open at the wallets once it ends, against the sandbox over real HTTP with the real
 * SDK: the streamer's incoming payment of a tip that cannot succeed is completed, the viewer's
 * outgoing-payment grant is cancelled once used, and a wallet setup saved again revokes the grant it
 * replaces.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { IncomingPayment } from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEventBus } from '../events/bus.js'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import { createFileSecretStore } from '../settings/secrets.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createSupportLedger } from '../support/ledgerService.js'
import { createSupportEventRepository } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { INCOMING_PAYMENT_ACCESS } from '../wallet/openPayments.js'
import { sandboxHost } from '../wallet/sandboxIdentity.js'
import { createWalletService, type WalletService } from '../wallet/walletService.js'
import { createTipFlowService, type TipFlowService } from './tipFlowService.js'

let sandbox: SandboxWallet
let dir: string
let db: Db
let wallets: WalletService
let service: TipFlowService

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 5, continueWaitSec: 0 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-leftovers-'))
  db = openDatabase(path.join(dir, 'app.sqlite'))
  wallets = createWalletService({
    db,
    settings: settingsFor(db),
    secrets: createFileSecretStore(dir),
    sandbox: sandboxHost({ instance: () => sandbox }),
    sandboxForced: true,
    opInsecureHttp: false,
  })
  service = createTipFlowService({
    db,
    wallets,
    ledger: createSupportLedger({
      db,
      bus: createEventBus(),
      repository: createSupportEventRepository(db),
    }),
    liveStreamId: () => null,
    callbackUrl: (flowId) => `http://127.0.0.1:9/tip/callback/${flowId}`,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    options: { sweepIntervalMs: 60_000 },
  })
})
afterAll(async () => {
  await service.stop()
  db.close()
  await sandbox.close()
})

const address = (id: string) => sandbox.viewers.find((v) => v.id === id)!.address

async function tipFrom(viewer: string, approve: boolean) {
  const started = await service.startTip({
    amountValue: 150n,
    tier: null,
    viewerWallet: address(viewer),
    name: null,
    message: null,
    requestedStreamId: null,
    viewerSessionId: null,
  })
  const finish = new URL(
    await (approve ? sandbox.approve(started.consentUrl) : sandbox.reject(started.consentUrl)),
  )
  await service.handleCallback(started.flowId, Object.fromEntries(finish.searchParams))
  await service.settled(started.flowId)
  return service.record(started.flowId)!
}

/** The incoming payment as the streamer's wallet shows it to the app. */
async function incoming(url: string): Promise<IncomingPayment> {
  const gateway = wallets.gateway()!
  const op = await gateway.client()
  return gateway.withGrant(
    'incoming-payment',
    `${sandbox.url}/auth`,
    INCOMING_PAYMENT_ACCESS,
    (accessToken) => op.incomingPayment.get({ url, accessToken }),
  )
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 100 && !done(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    value = await read()
  }
  return value
}

describe('what an ended tip leaves at the wallets', () => {
  it('the incoming payment of a failed or rejected tip is completed at the streamer wallet', async () => {
    for (const [viewer, approve, state] of [
      ['dave', true, 'failed'],
      ['alice', false, 'rejected'],
    ] as const) {
      const flow = await tipFrom(viewer, approve)
      expect(flow.state).toBe(state)
      const payment = await eventually(
        () => incoming(flow.incomingPaymentUrl!),
        (p) => p.completed,
      )
      expect(payment).toMatchObject({ completed: true, receivedAmount: { value: '0' } })
    }
  })

  it('the viewer grant of a paid tip is cancelled: its token pays nothing more', async () => {
    const flow = await tipFrom('alice', true)
    expect(flow.state).toBe('completed')
    const op = await wallets.gateway()!.client()
    const read = () =>
      op.outgoingPayment
        .get({ url: flow.data.outgoingPayment!.id, accessToken: flow.data.outgoingGrant!.token })
        .then(
          () => 'readable',
          (error: { status?: number }) => `HTTP ${error.status}`,
        )
    expect(await eventually(read, (answer) => answer !== 'readable')).toBe('HTTP 401')
  })

  it('a wallet setup saved again revokes the incoming-payment grant it replaces', async () => {
    const paid = await tipFrom('alice', true) // makes sure a grant is stored
    const before = db
      .prepare("SELECT access_token FROM grants WHERE purpose = 'incoming-payment'")
      .get() as {
      access_token: string
    }
    await wallets.configure({
      walletAddress: sandbox.streamer.address,
      keyId: sandbox.client.keyId,
      privateKey: sandbox.client.privateKeyPem,
    })
    const after = db
      .prepare("SELECT access_token FROM grants WHERE purpose = 'incoming-payment'")
      .get() as {
      access_token: string
    }
    expect(after.access_token).not.toBe(before.access_token)
    const op = await wallets.gateway()!.client()
    const read = () =>
      op.incomingPayment
        .get({ url: paid.incomingPaymentUrl!, accessToken: before.access_token })
        .then(
          () => 'readable',
          (error: { status?: number }) => `HTTP ${error.status}`,
        )
    expect(await read()).not.toBe('HTTP 403')
    expect(await eventually(read, (answer) => answer !== 'readable')).toBe('HTTP 401')
  })
})
