/**
 * The tip flow service against the sandbox wallet over real HTTP, with the real Open Payments SDK and
 * its response validation on: consent, rejection, forged and replayed callbacks, quote expiry, token
 * rotation, crashes at each fault point, races, and consent expiry.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DomainEventName } from '../contracts/events.js'
import { createEventBus, type EventBus } from '../events/bus.js'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import { createFileSecretStore } from '../settings/secrets.js'
import { openDatabase, type Db } from '../storage/db.js'
import {
  createSupportEventRepository,
  type SupportEventRepository,
} from '../support/supportRepository.js'
import { createSupportLedger } from '../support/ledgerService.js'
import { INCOMING_PAYMENT_ACCESS } from '../wallet/openPayments.js'
import { createWalletService, type WalletService } from '../wallet/walletService.js'
import { TipError } from './errors.js'
import {
  createTipFlowService,
  type TipFlowService,
  type TipFlowServiceDeps,
} from './tipFlowService.js'
import { sandboxHost } from '../wallet/sandboxIdentity.js'
import { createViewerSessions } from '../viewers/viewerSessions.js'
import type { StartTipInput } from './tipFlowService.js'
import { settingsFor } from '../testing/settings.js'

const CALLBACK_BASE = 'http://127.0.0.1:9/tip/callback/'

let sandbox: SandboxWallet
let skew = 0
let liveStream: string | null = null
const now = () => Date.now() + skew
let dir: string
let db: Db
let bus: EventBus
let events: { name: DomainEventName; payload: unknown }[]
let supportEvents: SupportEventRepository
let wallets: WalletService
let service: TipFlowService
const services: TipFlowService[] = []

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 30, continueWaitSec: 1, now })
})
afterAll(async () => {
  await sandbox.close()
})

function makeService(faults?: TipFlowServiceDeps['faults']): TipFlowService {
  const created = createTipFlowService({
    db,
    wallets,
    ledger: createSupportLedger({ db, bus, repository: supportEvents }),
    liveStreamId: () => liveStream,
    callbackUrl: (flowId) => `${CALLBACK_BASE}${flowId}`,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now,
    options: { sweepIntervalMs: 60_000 },
    faults,
  })
  services.push(created)
  return created
}

beforeEach(() => {
  skew = 0
  liveStream = null
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-tips-'))
  db = openDatabase(path.join(dir, 'app.sqlite'))
  bus = createEventBus()
  events = []
  bus.onAny((name, payload) => events.push({ name, payload }))
  supportEvents = createSupportEventRepository(db)
  wallets = createWalletService({
    db,
    settings: settingsFor(db),
    secrets: createFileSecretStore(dir),
    sandbox: sandboxHost({ instance: () => sandbox }),
    sandboxForced: true,
    opInsecureHttp: false,
    now,
  })
  service = makeService()
})

afterEach(async () => {
  for (const s of services.splice(0)) await s.stop()
  db.close()
})

function viewer(id: string): string {
  const found = sandbox.viewers.find((wallet) => wallet.id === id)
  if (!found) throw new Error(`no sandbox viewer ${id}`)
  return found.address
}

function tip(
  viewerWallet: string,
  amountValue = 300n,
  extra: Partial<StartTipInput> = {},
): StartTipInput {
  return {
    amountValue,
    tier: null,
    viewerWallet,
    name: 'Alice',
    message: 'Great stream!',
    requestedStreamId: null,
    viewerSessionId: null,
    ...extra,
  }
}

function callbackQuery(finishUrl: string) {
  const url = new URL(finishUrl)
  expect(url.href.startsWith(CALLBACK_BASE)).toBe(true)
  return Object.fromEntries(url.searchParams) as {
    hash?: string
    interact_ref?: string
    result?: string
  }
}

function supportCount(): number {
  return createSupportEventRepository(db).recorded('tip').length
}

async function approveAndFinish(target: TipFlowService, flowId: string, consentUrl: string) {
  const query = callbackQuery(await sandbox.approve(consentUrl))
  const view = await target.handleCallback(flowId, query)
  expect(view.state).toBe('authorized')
  return { query, final: await target.settled(flowId) }
}

describe('tip flow against the sandbox wallet', () => {
  it('happy path: consent, payment, confirmation, exactly one support event and the bus events', async () => {
    const aliceBefore = sandbox.balanceOf('alice')
    const streamerBefore = sandbox.balanceOf('streamer')
    const started = await service.startTip(tip(viewer('alice')))
    expect(started.flow.state).toBe('awaiting_consent')
    expect(started.consentUrl).toContain(sandbox.url)
    expect(started.flow.debitAmount?.assetCode).toBe('EUR')

    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    expect(sandbox.balanceOf('streamer') - streamerBefore).toBe(300n)
    expect(aliceBefore - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))

    const record = service.record(started.flowId)!
    const event = supportEvents.findBySourceKey(record.incomingPaymentUrl!)
    expect(event).toMatchObject({
      kind: 'tip',
      amount: { value: '300', assetCode: 'EUR', assetScale: 2 },
      supporterName: 'Alice',
      message: 'Great stream!',
      isTest: false,
    })
    expect(supportCount()).toBe(1)
    const completed = events.filter((e) => e.name === 'support.recorded')
    expect(completed).toHaveLength(1)
    expect(completed[0]?.payload).toMatchObject({
      tip: { flowId: started.flowId },
      amount: { value: '300' },
    })
  })

  it('a tip during a live stream is attributed to that stream; an unknown stream id is ignored', async () => {
    db.prepare(
      "INSERT INTO streams (id, platform, title, started_at) VALUES ('live-1', 'owncast', 'Live', 1)",
    ).run()
    liveStream = 'live-1'
    const first = await service.startTip(tip(viewer('alice'), 100n))
    await approveAndFinish(service, first.flowId, first.consentUrl)
    const source = service.record(first.flowId)!.incomingPaymentUrl!
    expect(supportEvents.findBySourceKey(source)?.streamId).toBe('live-1')
    liveStream = 'not-in-the-streams-table'
    const second = await service.startTip(tip(viewer('alice'), 100n))
    expect((await approveAndFinish(service, second.flowId, second.consentUrl)).final?.state).toBe(
      'completed',
    )
    expect(
      supportEvents.findBySourceKey(service.record(second.flowId)!.incomingPaymentUrl!)?.streamId,
    ).toBeNull()
  })

  it('viewer rejects: the flow ends rejected, nothing is paid or counted', async () => {
    const before = sandbox.balanceOf('alice')
    const started = await service.startTip(tip(viewer('alice')))
    const query = callbackQuery(await sandbox.reject(started.consentUrl))
    expect(query.result).toBe('grant_rejected')
    const view = await service.handleCallback(started.flowId, query)
    expect(view.state).toBe('rejected')
    expect(view.error?.code).toBe('grant_rejected')
    expect(sandbox.balanceOf('alice')).toBe(before)
    expect(supportCount()).toBe(0)
  })

  it('forged callbacks change nothing: a missing or wrong hash and an unconfirmed result are ignored, the real one completes', async () => {
    const before = sandbox.balanceOf('alice')
    const started = await service.startTip(tip(viewer('alice')))
    // While the viewer has not decided, a forged "no" is not confirmed by the wallet.
    expect((await service.handleCallback(started.flowId, { result: 'grant_rejected' })).state).toBe(
      'awaiting_consent',
    )
    const real = callbackQuery(await sandbox.approve(started.consentUrl))
    const wrong = `${real.hash!.slice(0, 10)}${real.hash![10] === 'A' ? 'B' : 'A'}${real.hash!.slice(11)}`
    for (const forged of [
      { interact_ref: real.interact_ref },
      { ...real, hash: wrong },
      { hash: real.hash },
      { result: 'grant_rejected' },
      { result: 'request_denied' },
    ]) {
      expect((await service.handleCallback(started.flowId, forged)).state).toBe('awaiting_consent')
    }
    expect(supportCount()).toBe(0)
    const view = await service.handleCallback(started.flowId, real)
    expect(view.state).toBe('authorized')
    expect((await service.settled(started.flowId))?.state).toBe('completed')
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))
    expect(supportCount()).toBe(1)
  })

  it('a replayed callback neither pays nor counts twice', async () => {
    const before = sandbox.balanceOf('alice')
    const started = await service.startTip(tip(viewer('alice')))
    const { query, final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    for (let i = 0; i < 3; i += 1)
      expect((await service.handleCallback(started.flowId, query)).state).toBe('completed')
    await service.settled(started.flowId)
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))
    expect(supportCount()).toBe(1)
    expect(events.filter((e) => e.name === 'support.recorded')).toHaveLength(1)
  })

  it('consent after the quote expired: the payment is made with incomingPayment + debitAmount', async () => {
    const started = await service.startTip(tip(viewer('alice'), 250n))
    skew += 6 * 60_000 // past the sandbox's 5-minute quote, within the 10-minute interaction
    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    expect(service.record(started.flowId)?.data.outgoingPayment?.form).toBe('debitAmount')
    expect(supportCount()).toBe(1)
  })

  it('expired access tokens are rotated through their manage URL, not requested again', async () => {
    const first = await service.startTip(tip(viewer('alice'), 100n))
    expect((await approveAndFinish(service, first.flowId, first.consentUrl)).final?.state).toBe(
      'completed',
    )
    const grantsBefore = db
      .prepare('SELECT id, purpose, access_token FROM grants ORDER BY purpose')
      .all() as { id: string; purpose: string; access_token: string }[]
    expect(grantsBefore.map((g) => g.purpose)).toEqual(['incoming-payment', 'quote'])

    skew += 11 * 60_000 // the sandbox's tokens last 600 s
    const second = await service.startTip(tip(viewer('alice'), 100n))
    expect((await approveAndFinish(service, second.flowId, second.consentUrl)).final?.state).toBe(
      'completed',
    )
    const grantsAfter = db
      .prepare('SELECT id, purpose, access_token FROM grants ORDER BY purpose')
      .all() as { id: string; purpose: string; access_token: string }[]
    expect(grantsAfter.map((g) => g.id)).toEqual(grantsBefore.map((g) => g.id))
    for (const [index, grant] of grantsAfter.entries()) {
      expect(grant.access_token).not.toBe(grantsBefore[index]?.access_token)
    }
    expect(supportCount()).toBe(2)
  })

  it('a crash after the outgoing payment is created: a new process reconciles, one support event', async () => {
    const crashing = makeService({
      afterStep: (_flowId, step) => {
        if (step === 'outgoing-payment') throw new Error('simulated crash')
      },
    })
    const before = sandbox.balanceOf('alice')
    const started = await crashing.startTip(tip(viewer('alice'), 400n))
    await approveAndFinish(crashing, started.flowId, started.consentUrl)
    expect(crashing.record(started.flowId)?.state).toBe('paying')
    expect(supportCount()).toBe(0)
    await crashing.stop()

    const restarted = makeService()
    await restarted.recover()
    const final = await restarted.settled(started.flowId)
    expect(final?.state).toBe('completed')
    await restarted.recover()
    await restarted.settled(started.flowId)
    expect(supportCount()).toBe(1)
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))
  })

  it('a crash after the wallet accepted the payment but before the app stored it: paid and counted once', async () => {
    const crashing = makeService({
      afterStep: (_flowId, step) => {
        if (step === 'payment-sent') throw new Error('simulated crash')
      },
    })
    const before = sandbox.balanceOf('alice')
    const started = await crashing.startTip(tip(viewer('alice'), 220n))
    await approveAndFinish(crashing, started.flowId, started.consentUrl)
    const stuck = crashing.record(started.flowId)!
    expect(stuck.state).toBe('paying')
    expect(stuck.data.outgoingPayment).toBeUndefined()
    expect(stuck.data.paymentAttemptedAt).toBeDefined()
    await crashing.stop()

    const restarted = makeService()
    await restarted.recover()
    expect((await restarted.settled(started.flowId))?.state).toBe('completed')
    expect(supportCount()).toBe(1)
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))
  })

  it('a crash right after consent: the restart continues the grant and pays once', async () => {
    const crashing = makeService({
      afterStep: (_flowId, step) => {
        if (step === 'authorized') throw new Error('simulated crash')
      },
    })
    const before = sandbox.balanceOf('alice')
    const started = await crashing.startTip(tip(viewer('alice'), 150n))
    const query = callbackQuery(await sandbox.approve(started.consentUrl))
    expect((await crashing.handleCallback(started.flowId, query)).state).toBe('authorized')
    await crashing.stop()

    const restarted = makeService()
    await restarted.recover()
    expect((await restarted.settled(started.flowId))?.state).toBe('completed')
    expect(supportCount()).toBe(1)
    expect(before - sandbox.balanceOf('alice')).toBe(BigInt(started.flow.debitAmount!.value))
  })

  it('two tips racing in one session both complete, each counted once, sharing one grant', async () => {
    const session = createViewerSessions({ db }).create().session
    const [a, b] = await Promise.all([
      service.startTip(tip(viewer('alice'), 120n, { viewerSessionId: session.id })),
      service.startTip(tip(viewer('alice'), 130n, { viewerSessionId: session.id })),
    ])
    expect(a.flowId).not.toBe(b.flowId)
    const results = await Promise.all([
      approveAndFinish(service, a.flowId, a.consentUrl),
      approveAndFinish(service, b.flowId, b.consentUrl),
    ])
    expect(results.map((r) => r.final?.state)).toEqual(['completed', 'completed'])
    expect(supportCount()).toBe(2)
    const grants = db
      .prepare("SELECT COUNT(*) AS n FROM grants WHERE purpose = 'incoming-payment'")
      .get()
    expect(grants).toEqual({ n: 1 })
  })

  it('an unknown wallet is a 400 naming viewerWallet, and the flow is failed', async () => {
    for (const address of [`${sandbox.url}/nobody`, 'http://127.0.0.1:1/alice']) {
      const error = await service.startTip(tip(address)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TipError)
      expect(error).toMatchObject({
        statusCode: 400,
        code: 'unknown_wallet',
        field: 'viewerWallet',
      })
    }
    const failed = db.prepare("SELECT COUNT(*) AS n FROM tip_flows WHERE state = 'failed'").get()
    expect(failed).toEqual({ n: 2 })
  })

  it('a USD viewer tips a EUR streamer: debited in USD, the streamer receives the EUR amount', async () => {
    const carolBefore = sandbox.balanceOf('carol')
    const streamerBefore = sandbox.balanceOf('streamer')
    const started = await service.startTip(tip(viewer('carol'), 500n))
    expect(started.flow.debitAmount?.assetCode).toBe('USD')
    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    expect(sandbox.balanceOf('streamer') - streamerBefore).toBe(500n)
    expect(carolBefore - sandbox.balanceOf('carol')).toBe(BigInt(started.flow.debitAmount!.value))
    expect(
      supportEvents.findBySourceKey(service.record(started.flowId)!.incomingPaymentUrl!)?.amount,
    ).toEqual({
      value: '500',
      assetCode: 'EUR',
      assetScale: 2,
    })
  })

  it('a payment the viewer wallet accepts and then cancels ends the tip with its reason, nothing counted', async () => {
    const before = sandbox.balanceOf('dave')
    const started = await service.startTip(tip(viewer('dave'), 200n))
    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final).toMatchObject({ state: 'failed', error: { code: 'payment_failed' } })
    expect(final?.error?.message).toContain('Account does not have enough balance')
    expect(final?.error?.message).not.toMatch(/HTTP|401/)
    expect(sandbox.balanceOf('dave')).toBe(before)
    expect(supportCount()).toBe(0)
  })

  it('an incoming payment the wallet deleted after its expiry ends the tip as not received', async () => {
    const fast = sandbox
    const slow = await startSandboxWallet({
      port: 0,
      settlementDelayMs: 60 * 60_000,
      continueWaitSec: 1,
      now,
    })
    sandbox = slow
    try {
      const slowService = makeService()
      const started = await slowService.startTip(tip(viewer('alice'), 200n))
      const query = callbackQuery(await sandbox.approve(started.consentUrl))
      await slowService.handleCallback(started.flowId, query)
      // The payment is sent but never settles; the confirmation polls until the sweep takes over.
      for (let i = 0; i < 200 && !slowService.record(started.flowId)?.data.outgoingPayment; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20))
      expect(slowService.record(started.flowId)?.data.outgoingPayment).toBeDefined()
      skew += 31 * 60_000 // past the incoming payment's 30-minute lifetime
      const final = await slowService.settled(started.flowId)
      expect(final).toMatchObject({ state: 'failed', error: { code: 'payment_not_received' } })
      expect(supportCount()).toBe(0)
    } finally {
      sandbox = fast
      await slow.close()
    }
  })

  it('a flow awaiting consent expires on time, also across a restart, and a late approval is ignored', async () => {
    const started = await service.startTip(tip(viewer('alice')))
    await service.stop()
    skew += 11 * 60_000
    const restarted = makeService()
    await restarted.recover()
    expect(restarted.view(started.flowId)?.state).toBe('expired')
    expect(
      (await restarted.handleCallback(started.flowId, { hash: 'x', interact_ref: 'y' })).state,
    ).toBe('expired')
    expect(supportCount()).toBe(0)
  })
})

describe('start over before deciding in the wallet', () => {
  it('ends the flow as abandoned and cancels the pending grant at the wallet', async () => {
    const started = await service.startTip(tip(viewer('alice')))
    const view = await service.abandon(started.flowId)
    expect(view).toMatchObject({
      state: 'rejected',
      consentUrl: null,
      error: { code: 'abandoned', message: expect.stringContaining('Nothing was paid') },
    })
    // The consent page left open can no longer approve: the wallet cancelled the grant.
    await expect(sandbox.approve(started.consentUrl)).rejects.toThrow()
    expect(supportCount()).toBe(0)
  })

  it('leaves a tip the wallet already answered as it is', async () => {
    const started = await service.startTip(tip(viewer('alice')))
    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    expect((await service.abandon(started.flowId)).state).toBe('completed')
    expect(supportCount()).toBe(1)
  })
})

describe("what the streamer's wallet provider is told", () => {
  async function incomingMetadata(target: TipFlowService, flowId: string) {
    const record = target.record(flowId)
    const gateway = wallets.gateway()
    if (!record?.incomingPaymentUrl || !record.data.streamer || !gateway) throw new Error('no flow')
    const op = await gateway.client()
    const url = record.incomingPaymentUrl
    const incoming = await gateway.withGrant(
      'incoming-payment',
      record.data.streamer.authServer,
      INCOMING_PAYMENT_ACCESS,
      (accessToken) => op.incomingPayment.get({ url, accessToken }),
    )
    return incoming.metadata
  }

  it('by default the incoming payment carries the tier and the message, not the name', async () => {
    const started = await service.startTip(
      tip(viewer('alice'), 300n, { name: 'Alice Secret', message: 'Hi!' }),
    )
    const metadata = await incomingMetadata(service, started.flowId)
    expect(metadata).toMatchObject({ description: 'Tip', message: 'Hi!' })
    expect(JSON.stringify(metadata)).not.toContain('Alice Secret')
  })

  it('names the viewer only when the streamer chose it', async () => {
    let share = true
    const sharing = createTipFlowService({
      db,
      wallets,
      ledger: createSupportLedger({ db, bus, repository: supportEvents }),
      liveStreamId: () => null,
      callbackUrl: (flowId) => `${CALLBACK_BASE}${flowId}`,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      shareNameWithWallet: () => share,
      now,
    })
    services.push(sharing)
    const named = await sharing.startTip(tip(viewer('alice'), 300n, { name: 'Alice Shown' }))
    expect(await incomingMetadata(sharing, named.flowId)).toMatchObject({ name: 'Alice Shown' })
    share = false
    const unnamed = await sharing.startTip(tip(viewer('alice'), 300n, { name: 'Alice Hidden' }))
    expect(await incomingMetadata(sharing, unnamed.flowId)).not.toHaveProperty('name')
  })
})

describe('the Owncast chat user', () => {
  it('is kept with the tip, so it can be tied to the chat user', async () => {
    const started = await service.startTip(
      tip(viewer('alice'), 300n, {
        chatUser: { id: 'tHK3o1wNg', instance: 'https://live.example.org' },
      }),
    )
    expect(service.view(started.flowId)?.chatUserId).toBe('tHK3o1wNg')
    expect(service.record(started.flowId)?.data.chatUser).toEqual({
      id: 'tHK3o1wNg',
      instance: 'https://live.example.org',
    })
    const plain = await service.startTip(tip(viewer('alice')))
    expect(service.view(plain.flowId)?.chatUserId).toBeNull()
  })

  it("reaches the completed tip's announcement, so chat can thank that user privately", async () => {
    const started = await service.startTip(
      tip(viewer('alice'), 300n, { chatUser: { id: 'tHK3o1wNg', instance: null } }),
    )
    const { final } = await approveAndFinish(service, started.flowId, started.consentUrl)
    expect(final?.state).toBe('completed')
    const completed = events.filter((e) => e.name === 'support.recorded')
    expect(completed.at(-1)?.payload).toMatchObject({
      tip: { flowId: started.flowId, chatUserId: 'tHK3o1wNg' },
    })
  })
})
