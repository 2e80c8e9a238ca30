import type { RecordedSupport } from '../contracts/events.js'
import type { TimerConfig, TimerData, TimerState, TimerView } from '../contracts/timer.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { TimerError, TimerErrorCode } from './errors.js'

export interface TimerServiceDeps {
  settings: Pick<SettingsStore, 'get' | 'set'>
  /** Every change that is not the passing of time (start, pause, support, ...): the bus. */
  onChange(view: TimerView): void
  /** The text changed (each second while running): the label file and the OBS text source. */
  onText(text: string): void
  now?: () => number
  /** How often the text is refreshed while running. */
  tickMs?: number
}

export interface TimerService {
  view(): TimerView
  /** What the timer overlay gets. */
  data(): TimerData
  /** "1:02:03"; "" when no timer was started. */
  text(): string
  start(durationSeconds: number): TimerView
  pause(): TimerView
  resume(): TimerView
  stop(): TimerView
  /** Adds (positive) or removes (negative) time by hand; never below zero, caps do not apply. */
  adjust(seconds: number): TimerView
  setConfig(config: TimerConfig): TimerView
  /**
   * Adds what a support event buys, inside the ledger's recording transaction (so a restart can
   * neither lose nor repeat it). Returns the milliseconds added.
   */
  credit(event: RecordedSupport): number
  /** After the recording transaction committed: tells the overlays and the dashboard. */
  announce(): void
  startTicking(): void
  stopTicking(): void
}

const MAX_TIMER_MS = 100_000_000_000n

/** The time a support event buys: exact integer arithmetic on minor units, floored to the ms. */
export function timeBought(event: RecordedSupport, config: TimerConfig): number {
  if (event.isTest) return 0
  let secondsPerUnit: number
  if (event.kind === 'tip')
    secondsPerUnit =
      (event.tierId !== null ? config.tierSecondsPerUnit[event.tierId] : undefined) ??
      config.tipSecondsPerUnit
  else if (event.kind === 'web-monetization') secondsPerUnit = config.webMonetizationSecondsPerUnit
  else return 0
  const value = BigInt(event.amount.value)
  if (value <= 0n) return 0
  const ms = (value * BigInt(secondsPerUnit) * 1000n) / 10n ** BigInt(event.amount.assetScale)
  // Beyond about three years a number of ms stops being a timer (and soon an exact JS number).
  return ms > MAX_TIMER_MS ? Number(MAX_TIMER_MS) : Number(ms)
}

/** 1:02:03 from an hour on, else 02:03; a started second shows until it is over (a countdown). */
export function formatTimer(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`
}

/**
 * The subathon timer. Nothing runs in memory but a display tick: the stored state is an end time while
 * running and the remaining time while paused, so after a restart the remaining time is what it would
 * have been (the countdown goes on while the app is closed, as the stream does).
 */
export function createTimerService(deps: TimerServiceDeps): TimerService {
  const now = deps.now ?? Date.now
  const tickMs = deps.tickMs ?? 1000
  let ticker: NodeJS.Timeout | undefined
  let lastText: string | null = null
  let pending = false

  const config = () => deps.settings.get('timer.config')

  /** The stored state, with a run that passed its end turned into "ended" (and stored so). */
  function state(): TimerState {
    const stored = deps.settings.get('timer.state')
    if (stored.status === 'running' && stored.endsAt !== null && stored.endsAt <= now()) {
      const ended: TimerState = { ...stored, status: 'ended', endsAt: null, remainingMs: 0 }
      deps.settings.set('timer.state', ended)
      return ended
    }
    return stored
  }

  function remaining(current: TimerState): number {
    if (current.status === 'running' && current.endsAt !== null)
      return Math.max(0, current.endsAt - now())
    if (current.status === 'paused') return current.remainingMs
    return 0
  }

  function textOf(current: TimerState): string {
    return current.status === 'idle' ? '' : formatTimer(remaining(current))
  }

  function viewOf(current: TimerState): TimerView {
    return {
      status: current.status,
      remainingMs: remaining(current),
      endsAt: current.endsAt === null ? null : new Date(current.endsAt).toISOString(),
      addedMs: current.addedMs,
      text: textOf(current),
      config: config(),
    }
  }

  function emitText(current: TimerState): void {
    const text = textOf(current)
    if (text === lastText) return
    lastText = text
    deps.onText(text)
  }

  function save(next: TimerState): TimerView {
    deps.settings.set('timer.state', next)
    const view = viewOf(next)
    deps.onChange(view)
    emitText(next)
    return view
  }

  /** A state with `ms` more (or less) remaining, whatever it is running or paused. */
  function withRemaining(current: TimerState, ms: number): TimerState {
    const left = Math.max(0, ms)
    if (current.status === 'running') return { ...current, endsAt: now() + left, remainingMs: left }
    return { ...current, remainingMs: left }
  }

  function tick(): void {
    const current = state()
    emitText(current)
    if (current.status !== 'running') {
      // The countdown reached zero: tell the overlays once, and stop ticking.
      if (current.status === 'ended') deps.onChange(viewOf(current))
      stopTicking()
    }
  }

  function startTicking(): void {
    if (ticker) return
    ticker = setInterval(tick, tickMs)
    ticker.unref()
  }

  function stopTicking(): void {
    clearInterval(ticker)
    ticker = undefined
  }

  return {
    view: () => viewOf(state()),
    data() {
      const current = state()
      return { status: current.status, remainingMs: remaining(current), text: textOf(current) }
    },
    text: () => textOf(state()),
    start(durationSeconds) {
      const current = state()
      if (current.status === 'running' || current.status === 'paused')
        throw new TimerError(
          TimerErrorCode.AlreadyRunning,
          'A timer is already running: stop it before starting a new one.',
        )
      const cap = config().maxRemainingSeconds
      const ms = Math.min(durationSeconds * 1000, cap === null ? Infinity : cap * 1000)
      const view = save({ status: 'running', endsAt: now() + ms, remainingMs: ms, addedMs: 0 })
      startTicking()
      return view
    },
    pause() {
      const current = state()
      if (current.status !== 'running')
        throw new TimerError(TimerErrorCode.NotRunning, 'The timer is not running.')
      const view = save({
        ...current,
        status: 'paused',
        endsAt: null,
        remainingMs: remaining(current),
      })
      stopTicking()
      return view
    },
    resume() {
      const current = state()
      if (current.status !== 'paused')
        throw new TimerError(TimerErrorCode.NotPaused, 'The timer is not paused.')
      const view = save({
        ...current,
        status: 'running',
        endsAt: now() + current.remainingMs,
      })
      startTicking()
      return view
    },
    stop() {
      stopTicking()
      return save({ status: 'idle', endsAt: null, remainingMs: 0, addedMs: 0 })
    },
    adjust(seconds) {
      const current = state()
      if (current.status !== 'running' && current.status !== 'paused')
        throw new TimerError(TimerErrorCode.NotRunning, 'Start the timer first.', 'body.seconds')
      return save(withRemaining(current, remaining(current) + seconds * 1000))
    },
    setConfig(next) {
      deps.settings.set('timer.config', next)
      const view = viewOf(state())
      deps.onChange(view)
      return view
    },
    credit(event) {
      const current = state()
      if (current.status !== 'running' && current.status !== 'paused') return 0
      const rules = config()
      let ms = timeBought(event, rules)
      if (rules.maxAddedSeconds !== null)
        ms = Math.min(ms, Math.max(0, rules.maxAddedSeconds * 1000 - current.addedMs))
      const before = remaining(current)
      const cap = rules.maxRemainingSeconds === null ? Infinity : rules.maxRemainingSeconds * 1000
      const after = Math.max(before, Math.min(before + ms, cap))
      const added = after - before
      if (added <= 0) return 0
      deps.settings.set('timer.state', {
        ...withRemaining(current, after),
        addedMs: current.addedMs + added,
      })
      pending = true
      return added
    },
    announce() {
      if (!pending) return
      pending = false
      const current = state()
      deps.onChange(viewOf(current))
      emitText(current)
    },
    startTicking() {
      const current = state()
      emitText(current)
      if (current.status === 'running') startTicking()
    },
    stopTicking,
  }
}
