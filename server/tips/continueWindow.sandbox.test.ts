/**
 * The continue window (DESIGN §5 step 6): a process killed at any millisecond between sending
 * `grant.continue` and storing its token. The kill is simulated by fault hooks: the flow stops at the
 * first crash point reached at or after the kill time, keeping exactly what was stored by then. A
 * restart must never turn the viewer's approval into "your wallet declined", pay twice or count twice.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEventBus } from '../events/bus.js'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import { createFileSecretStore } from '../settings/secrets.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createSupportLedger } from '../support/ledgerService.js'
import { createSupportEventRepository } from '../support/supportRepository.js'
import { settingsFor } from '../testing/settings.js'
import { sandboxHost } from '../wallet/sandboxIdentity.js'
import { createWalletService, type WalletService } from '../wallet/walletService.js'
import type { FaultStep } from './steps/context.js'
import { createTipFlowService, type TipFlowService } from './tipFlowService.js'

let sandbox: SandboxWallet
let dir: string
let db: Db
let wallets: WalletService

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, settlementDelayMs: 5, continueWaitSec: 0 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-continue-'))
  db = openDatabase(path.join(dir, 'app.sqlite'))
  wallets = createWalletService({
    db,
    settings: settingsFor(db),
    secrets: createFileSecretStore(dir),
    sandbox: sandboxHost({ instance: () => sandbox }),
    sandboxForced: true,
    opInsecureHttp: false,
  })
})
afterAll(async () => {
  db.close()
  await sandbox.close()
})

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const ledger = () =>
  createSupportLedger({
    db,
    bus: createEventBus(),
    repository: createSupportEventRepository(db),
  })

function makeService(afterStep?: (flowId: string, step: FaultStep) => void): TipFlowService {
  return createTipFlowService({
    db,
    wallets,
    ledger: ledger(),
    liveStreamId: () => null,
    callbackUrl: (flowId) => `http://127.0.0.1:9/tip/callback/${flowId}`,
    log: quiet,
    options: { sweepIntervalMs: 60_000 },
    faults: { afterStep },
  })
}

/** The crash points of the window, in the order a run reaches them. */
const WINDOW: readonly FaultStep[] = ['continue-sent', 'grant-continued', 'paying']

interface Outcome {
  offsetMs: number
  crashedAt: FaultStep | null
  state: string
  code: string | null
  paid: bigint
  counted: number
}

/** One tip whose process is killed `offsetMs` after the continuation is sent, then restarted. */
async function tipKilledAt(
  offsetMs: number,
  atStep?: FaultStep,
): Promise<Outcome & { answerMs: number }> {
  let sentAt: number | null = null
  let answerMs = 0
  let crashedAt: FaultStep | null = null
  const crashing = makeService((_flowId, step) => {
    if (!WINDOW.includes(step) || crashedAt) return
    const at = performance.now()
    if (step === 'continue-sent') sentAt ??= at
    if (step === 'grant-continued') answerMs = at - (sentAt ?? at)
    if (atStep ? step === atStep : at - (sentAt ?? at) >= offsetMs) {
      crashedAt = step
      throw new Error('killed')
    }
  })
  const before = sandbox.balanceOf('alice')
  const started = await crashing.startTip({
    amountValue: 100n,
    tier: null,
    viewerWallet: sandbox.viewers.find((v) => v.id === 'alice')!.address,
    name: 'Alice',
    message: null,
    requestedStreamId: null,
    viewerSessionId: null,
  })
  const finish = new URL(await sandbox.approve(started.consentUrl))
  await crashing.handleCallback(started.flowId, Object.fromEntries(finish.searchParams))
  await crashing.settled(started.flowId)
  await crashing.stop()

  const restarted = makeService()
  await restarted.recover()
  const final = await restarted.settled(started.flowId)
  await restarted.stop()
  const source = restarted.record(started.flowId)?.incomingPaymentUrl ?? ''
  return {
    offsetMs,
    answerMs,
    crashedAt,
    state: final?.state ?? 'missing',
    code: final?.error?.code ?? null,
    paid: before - sandbox.balanceOf('alice'),
    counted: createSupportEventRepository(db).findBySourceKey(source) ? 1 : 0,
  }
}

describe('a kill anywhere in the continue window', () => {
  it('never ends an approved tip as declined, never pays or counts twice, and completes once the token is stored', async () => {
    // How long the wallet takes to answer here, to sweep a little past it.
    const probe = await tipKilledAt(Number.POSITIVE_INFINITY)
    expect(probe).toMatchObject({ state: 'completed', counted: 1, crashedAt: null })
    const windowMs = Math.ceil(probe.answerMs) + 3
    const outcomes: Outcome[] = []
    for (let offset = 0; offset <= windowMs; offset += 1) outcomes.push(await tipKilledAt(offset))

    for (const outcome of outcomes) {
      const label = JSON.stringify({ ...outcome, paid: String(outcome.paid) })
      expect(['completed', 'failed'], label).toContain(outcome.state)
      expect(outcome.code, label).not.toBe('request_denied')
      if (outcome.state === 'completed') {
        expect(outcome.counted, label).toBe(1)
        expect(outcome.paid, label).toBe(101n)
      } else {
        // The wallet finalized the grant but its answer died with the process: nothing was paid,
        // and the viewer is told so in words that are not "declined".
        expect(outcome.code, label).toBe('authorization_lost')
        expect(outcome.crashedAt, label).toBe('grant-continued')
        expect(outcome.counted, label).toBe(0)
        expect(outcome.paid, label).toBe(0n)
      }
      // A kill before the continuation left, or after its token was stored, always completes.
      if (outcome.crashedAt !== 'grant-continued') expect(outcome.state, label).toBe('completed')
    }
    // The sweep covered both sides: answers lost in flight, and runs the kill came too late for.
    expect(outcomes.some((o) => o.crashedAt === 'grant-continued')).toBe(true)
    expect(outcomes.at(-1)).toMatchObject({ crashedAt: null, state: 'completed' })
    // The instant after the token is stored (narrower than a millisecond): completed.
    expect(await tipKilledAt(0, 'paying')).toMatchObject({
      crashedAt: 'paying',
      state: 'completed',
      counted: 1,
    })
  })
})
