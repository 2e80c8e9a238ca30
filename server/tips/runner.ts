/**
 * Runs the background part of the tip flow (DESIGN §5 steps 6-8): one run at a time per flow, a sweep
 * that expires abandoned flows and retries stuck ones, recovery after a restart, waits that stop() cuts
 * short, and the crash points of the restart tests. Which step runs follows from the stored state:
 * `authorized` continues the grant, `paying` pays (once) and confirms.
 */
import type { TipFlowState } from '../contracts/tips.js'
import { describeOpError } from '../wallet/openPayments.js'
import { TipFailureCode, tipFailure, TipFlowFailure } from './failures.js'
import { complete } from './steps/complete.js'
import { confirm } from './steps/confirm.js'
import { continueGrant } from './steps/continueGrant.js'
import { RetryLater, type FaultStep, type FlowRuntime, type TipStepDeps } from './steps/context.js'
import { endFlow } from './steps/end.js'
import { pay } from './steps/pay.js'

/** Thrown by a fault hook: the flow stops where it is, as if the process had died. */
class SimulatedCrash extends Error {
  override name = 'SimulatedCrash'
}

const IN_PROGRESS: readonly TipFlowState[] = ['created', 'awaiting_consent', 'authorized', 'paying']

export interface TipFlowRunnerDeps extends Omit<TipStepDeps, 'runtime'> {
  /** Fault injection for crash tests: called right after a step's result is persisted. */
  faults?: { afterStep?(flowId: string, step: FaultStep): void }
}

export interface TipFlowRunner {
  /** What the steps are handed, with the runner's waits and crash points. */
  readonly steps: TipStepDeps
  /** The viewer consented (step 5): the flow continues in the background. */
  consented(flowId: string): void
  /** Runs the background work of one flow, one run at a time per flow. */
  schedule(flowId: string): Promise<void>
  /** Expires flows whose consent window passed, fails interrupted ones, retries stuck ones. */
  sweep(): Promise<void>
  /** Resumes flows left in progress by a restart. */
  recover(): Promise<void>
  start(): Promise<void>
  /** Stops the sweep, cuts every wait short and waits for the runs in progress. */
  stop(): Promise<void>
  /** Resolves when the background work on this flow is idle. */
  settled(flowId: string): Promise<void>
}

export function createTipFlowRunner(deps: TipFlowRunnerDeps): TipFlowRunner {
  const { flows, log, now, options } = deps
  const running = new Map<string, Promise<void>>()
  const sleepers = new Set<() => void>()
  let stopped = false
  let sweepTimer: NodeJS.Timeout | undefined

  const runtime: FlowRuntime = {
    sleep(ms) {
      if (ms <= 0 || stopped) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          sleepers.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, ms)
        sleepers.add(wake)
      })
    },
    stopped: () => stopped,
    fault(flowId, step) {
      try {
        deps.faults?.afterStep?.(flowId, step)
      } catch {
        throw new SimulatedCrash(step)
      }
    },
  }
  const steps: TipStepDeps = {
    flows,
    wallets: deps.wallets,
    ledger: deps.ledger,
    callbackUrl: deps.callbackUrl,
    log,
    now,
    options,
    runtime,
  }

  async function advance(flowId: string): Promise<void> {
    let flow = flows.get(flowId)
    if (!flow || stopped) return
    try {
      if (flow.state === 'authorized') {
        await continueGrant(steps, flow)
        flow = flows.get(flowId)
        if (!flow || stopped) return
      }
      if (flow.state === 'paying') {
        const paid = await pay(steps, flow)
        complete(steps, flow, paid ?? (await confirm(steps, flow)))
      }
    } catch (error) {
      const current = flows.get(flowId)
      if (!current || error instanceof SimulatedCrash) return
      if (error instanceof RetryLater) {
        flows.transition(
          flowId,
          [current.state],
          null,
          { nextCheckAt: now() + error.delayMs },
          now(),
        )
        log.info({ flowId, state: current.state, reason: error.message }, 'tip flow will retry')
      } else if (error instanceof TipFlowFailure) {
        endFlow(steps, current, ['authorized', 'paying'], error.failure)
      } else if (!stopped) {
        const failure = tipFailure(TipFailureCode.InternalError, { reason: describeOpError(error) })
        endFlow(steps, current, ['authorized', 'paying'], failure)
        throw error
      }
    }
  }

  function schedule(flowId: string): Promise<void> {
    const existing = running.get(flowId)
    if (existing) return existing
    const run = (async () => {
      try {
        await advance(flowId)
      } catch (error) {
        log.error({ flowId, err: error }, 'tip flow step failed unexpectedly')
      } finally {
        running.delete(flowId)
      }
    })()
    running.set(flowId, run)
    return run
  }

  async function sweep(): Promise<void> {
    const at = now()
    for (const flow of flows.listInStates(IN_PROGRESS)) {
      if (running.has(flow.id)) continue
      if (flow.state === 'created') {
        if (flow.createdAt + options.createdTimeoutMs <= at)
          endFlow(steps, flow, ['created'], tipFailure(TipFailureCode.Interrupted))
      } else if (flow.state === 'awaiting_consent') {
        if (flow.expiresAt !== null && flow.expiresAt <= at)
          endFlow(steps, flow, ['awaiting_consent'], tipFailure(TipFailureCode.ConsentExpired))
      } else if (flow.nextCheckAt === null || flow.nextCheckAt <= at) {
        void schedule(flow.id)
      }
    }
  }

  async function recover(): Promise<void> {
    // Every flow in progress is due now: paying flows are reconciled, authorized ones continued.
    for (const flow of flows.listInStates(['authorized', 'paying'])) {
      flows.transition(flow.id, [flow.state], null, { nextCheckAt: now() }, now())
    }
    await sweep()
  }

  return {
    steps,
    consented(flowId) {
      try {
        runtime.fault(flowId, 'authorized')
        void schedule(flowId)
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error
      }
    },
    schedule,
    sweep,
    recover,
    async start() {
      stopped = false
      await recover()
      sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs)
      sweepTimer.unref()
    },
    async stop() {
      stopped = true
      if (sweepTimer) clearInterval(sweepTimer)
      for (const wake of [...sleepers]) wake()
      await Promise.allSettled([...running.values()])
    },
    async settled(flowId) {
      for (;;) {
        const run = running.get(flowId)
        if (!run) return
        await run
      }
    },
  }
}
