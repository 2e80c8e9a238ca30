import type {
  AlertQueueResponse,
  AlertSettings,
  AlertSource,
  AlertState,
  AlertVariant,
  AlertView,
  OverlayAlert,
} from '../contracts/alerts.js'
import type { SupportEventView } from '../contracts/events.js'
import { decimalToMinor, formatAmount, MoneyFormatError } from '../contracts/money.js'
import type { AlertRepository, StoredAlert } from './alertRepository.js'
import { AlertError, AlertErrorCode } from './errors.js'
import { chooseVariant, renderHeadline } from './variants.js'
import { cleanViewerText, createBlockedWordMatcher } from './viewerText.js'

/** The streamer's alert rules, read afresh for every decision (the Settings page changes them live). */
export interface AlertRules {
  settings(): AlertSettings
  variants(): AlertVariant[]
}

/** Where the queue sends what goes on screen: the overlays feature (its SSE hub). */
export interface AlertDelivery {
  show(alert: OverlayAlert): void
  hide(id: number): void
  /** Alert overlays connected right now: the queue waits for one, so nothing plays to nobody. */
  alertOverlayCount(): number
}

export interface AlertQueueServiceDeps {
  /** The support ledger's "largest this stream" (server/support/eventLogRepository.ts). */
  isLargestThisStream(event: SupportEventView): boolean
  repository: AlertRepository
  rules: AlertRules
  delivery: AlertDelivery
  isPaused(): boolean
  /** Called on every change of an alert (the bus carries it to the dashboard). */
  onChange?(view: AlertView): void
  /** How long an alert may be on screen without any overlay confirming it before it is queued again. */
  ackTimeoutMs?: number
  now?: () => number
}

/** A support event to alert on; tips carry their tier's name. */
export type AlertSupport = SupportEventView & { tip?: { tierName: string | null } | null }

export interface EnqueueOptions {
  source: AlertSource
  /** Test alerts for one variant (dashboard, tray) force it. */
  variantId?: string
}

export interface AlertQueueService {
  /** Turns a support event into its alert (once per event); null when no alert is due. */
  enqueue(event: AlertSupport, options: EnqueueOptions): AlertView | null
  /**
   * The write half of `enqueue`, for the ledger's recording transaction: the alert row and nothing
   * else (no bus event, no timer). `announce` does the rest once the transaction has committed.
   */
  stage(event: AlertSupport, options: EnqueueOptions): AlertView | null
  /** After the commit: tells the dashboard about a staged alert and starts it when it can. */
  announce(id: number): void
  /** An alert overlay confirmed it has the alert on screen. */
  displayed(id: number): void
  /** The alert on screen now (for an overlay that connects or resumes). */
  current(): { alert: OverlayAlert; displayed: boolean; remainingMs: number } | null
  skip(id?: number): AlertView
  replay(id: number): AlertView
  approve(id: number): AlertView
  reject(id: number): AlertView
  /** Re-reads the pause flag and settings; starts the next alert when it can. */
  pump(): void
  view(): AlertQueueResponse
  start(): void
  stop(): void
}

const NAME_MAX = 40
const MESSAGE_MAX = 280
const FINAL_STATES: readonly AlertState[] = ['shown', 'skipped', 'rejected']

function minor(decimal: string, scale: number): bigint {
  try {
    return decimalToMinor(decimal, scale)
  } catch (error) {
    if (error instanceof MoneyFormatError) return 0n
    throw error
  }
}

/**
 * The alert queue: one alert on screen at a time, for its duration, then a gap. The server paces it so
 * pause, skip and replay act at once, and every state lives in SQLite so a reload or a restart neither
 * replays a shown alert nor loses a queued one. An alert counts as shown only once an overlay confirmed
 * it was on screen; an unconfirmed one goes back to the queue.
 */
export function createAlertQueueService(deps: AlertQueueServiceDeps): AlertQueueService {
  const { repository, rules, delivery } = deps
  const now = deps.now ?? Date.now
  const ackTimeoutMs = deps.ackTimeoutMs ?? 10_000

  let running = false
  let gapUntil = 0
  let gapTimer: NodeJS.Timeout | undefined
  const autoApprove = new Map<number, NodeJS.Timeout>()
  let showing:
    | {
        alert: OverlayAlert
        startedAt: number
        displayed: boolean
        durationDone: boolean
        durationTimer?: NodeJS.Timeout
        ackTimer?: NodeJS.Timeout
      }
    | undefined

  const changed = (view: AlertView | undefined) => {
    if (view) deps.onChange?.(view)
  }

  const isLargestThisStream = (event: AlertSupport) => deps.isLargestThisStream(event)

  function scheduleAutoApprove(view: AlertView): void {
    if (view.state !== 'held' || !view.autoApproveAt || !running) return
    const delay = Math.max(0, Date.parse(view.autoApproveAt) - now())
    const timer = setTimeout(() => {
      autoApprove.delete(view.id)
      const current = repository.get(view.id)
      if (current?.state !== 'held') return
      changed(repository.setState(view.id, 'queued'))
      pump()
    }, delay)
    timer.unref()
    autoApprove.set(view.id, timer)
  }

  function clearShowing(): void {
    if (!showing) return
    clearTimeout(showing.durationTimer)
    clearTimeout(showing.ackTimer)
    showing = undefined
  }

  function startGap(): void {
    const gapMs = rules.settings().gapMs
    clearTimeout(gapTimer)
    if (gapMs <= 0) {
      gapUntil = 0
      queueMicrotask(pump)
      return
    }
    gapUntil = now() + gapMs
    gapTimer = setTimeout(() => {
      gapUntil = 0
      pump()
    }, gapMs)
    gapTimer.unref()
  }

  function finishShowing(): void {
    if (!showing) return
    const id = showing.alert.id
    clearShowing()
    changed(repository.markShown(id))
    startGap()
  }

  function requeueUnconfirmed(): void {
    if (!showing || showing.displayed) return
    const id = showing.alert.id
    clearShowing()
    changed(repository.setState(id, 'queued'))
    startGap()
  }

  function pump(): void {
    if (!running || showing || deps.isPaused() || now() < gapUntil) return
    if (delivery.alertOverlayCount() === 0) return
    const next = repository.nextQueued()
    if (!next) return
    const view = repository.setState(next.id, 'showing')
    if (!view) return
    const alert = view.alert
    showing = { alert, startedAt: now(), displayed: false, durationDone: false }
    const current = showing
    if (alert.durationMs > 0) {
      current.durationTimer = setTimeout(() => {
        current.durationDone = true
        if (current.displayed) finishShowing()
      }, alert.durationMs)
      current.durationTimer.unref()
    } else {
      current.durationDone = true
    }
    current.ackTimer = setTimeout(requeueUnconfirmed, alert.durationMs + ackTimeoutMs)
    current.ackTimer.unref()
    changed(view)
    delivery.show(alert)
  }

  function buildAlert(
    event: AlertSupport,
    variant: AlertVariant,
    name: string,
    message: string | null,
  ): StoredAlert {
    const settings = rules.settings()
    const amountText = formatAmount(event.amount)
    const tier = cleanViewerText(event.tip?.tierName ?? null, NAME_MAX)
    return {
      variantId: variant.id,
      headline: renderHeadline(variant.template, { name, amount: amountText, tier }),
      name,
      amountText,
      tier,
      message,
      emoji: variant.emoji,
      imageUrl: variant.imageUrl,
      soundUrl: variant.sound ? `/overlay/static/sounds/${variant.sound}.wav` : null,
      volume: variant.volume,
      animation: variant.animation,
      durationMs: variant.durationMs ?? settings.durationMs,
      isTest: event.isTest,
    }
  }

  function mustGet(id: number): AlertView {
    const view = repository.get(id)
    if (!view) throw new AlertError(AlertErrorCode.AlertNotFound, `There is no alert ${id}.`)
    return view
  }

  function announce(id: number): AlertView | null {
    const view = repository.get(id)
    if (!view) return null
    changed(view)
    scheduleAutoApprove(view)
    pump()
    return repository.get(id) ?? view
  }

  const queue: AlertQueueService = {
    enqueue(event, options) {
      const view = queue.stage(event, options)
      return view ? announce(view.id) : null
    },

    announce(id) {
      announce(id)
    },

    stage(event, options) {
      const settings = rules.settings()
      const isTest = event.isTest || options.source === 'test'
      if (event.kind === 'web-monetization' && !settings.webMonetizationAlerts) return null
      const scale = event.amount.assetScale
      const amount = BigInt(event.amount.value)

      let variant: AlertVariant | null
      if (options.variantId) {
        variant = rules.variants().find((candidate) => candidate.id === options.variantId) ?? null
        if (!variant)
          throw new AlertError(
            AlertErrorCode.VariantNotFound,
            `There is no alert variant "${options.variantId}".`,
            'params.variantId',
          )
      } else {
        variant = chooseVariant(rules.variants(), {
          amount,
          assetScale: scale,
          largestThisStream: isLargestThisStream(event),
        })
      }

      let state: AlertState = 'queued'
      let reason: string | null = null
      let autoApproveAt: number | null = null
      let name = cleanViewerText(event.supporterName, NAME_MAX) ?? 'Someone'
      let message = cleanViewerText(event.message, MESSAGE_MAX)
      if (amount < minor(settings.minAmountForMessage, scale)) message = null

      const words = createBlockedWordMatcher(settings.blockedWords)
      const nameBlocked = words.test(name)
      const messageBlocked = words.test(message)
      if (nameBlocked || messageBlocked) {
        if (settings.blockedWordAction === 'mask') {
          name = words.mask(name).text ?? name
          message = words.mask(message).text
        } else if (settings.blockedWordAction === 'drop') {
          if (nameBlocked) name = 'Someone'
          if (messageBlocked) message = null
        } else {
          state = 'held'
          reason = 'blocked_words'
        }
      }

      if (!variant) {
        state = 'skipped'
        reason = 'no_variant'
        variant = rules.variants()[0] as AlertVariant
      } else if (!isTest && amount < minor(settings.minAmountToAlert, scale)) {
        state = 'skipped'
        reason = 'below_minimum'
      } else if (state === 'queued' && settings.moderationEnabled && !isTest) {
        state = 'held'
        reason = 'moderation'
        if (settings.autoApproveSeconds !== null)
          autoApproveAt = now() + settings.autoApproveSeconds * 1000
      }

      const view = repository.insertOriginal({
        supportEventId: event.id,
        source: isTest ? 'test' : options.source,
        state,
        reason,
        alert: buildAlert(event, variant, name, message),
        isTest,
        autoApproveAt,
      })
      return view ?? null
    },

    displayed(id) {
      if (showing && showing.alert.id === id) {
        if (!showing.displayed) {
          showing.displayed = true
          repository.markDisplayed(id)
        }
        if (showing.durationDone) finishShowing()
        return
      }
      // A late confirmation of an alert that was queued again: it did reach the screen.
      const view = repository.get(id)
      if (view?.state === 'queued') {
        repository.markDisplayed(id)
        changed(repository.markShown(id))
      }
    },

    current() {
      if (!showing) return null
      const elapsed = now() - showing.startedAt
      const remainingMs =
        showing.alert.durationMs > 0 ? Math.max(0, showing.alert.durationMs - elapsed) : 0
      return { alert: showing.alert, displayed: showing.displayed, remainingMs }
    },

    skip(id) {
      const targetId = id ?? showing?.alert.id
      if (targetId === undefined)
        throw new AlertError(AlertErrorCode.NothingShowing, 'No alert is on screen to skip.')
      const view = mustGet(targetId)
      if (FINAL_STATES.includes(view.state))
        throw new AlertError(
          AlertErrorCode.AlertAlreadyFinished,
          `Alert ${targetId} is already ${view.state}.`,
        )
      clearTimeout(autoApprove.get(targetId))
      autoApprove.delete(targetId)
      const wasShowing = showing?.alert.id === targetId
      if (wasShowing) clearShowing()
      const skipped = repository.setState(targetId, 'skipped', 'skipped') as AlertView
      changed(skipped)
      if (wasShowing) {
        delivery.hide(targetId)
        startGap()
      }
      return skipped
    },

    replay(id) {
      const view = mustGet(id)
      if (!FINAL_STATES.includes(view.state) || view.state === 'rejected')
        throw new AlertError(
          AlertErrorCode.AlertNotFinished,
          `Alert ${id} is ${view.state}: only a shown or skipped alert can be replayed.`,
        )
      const replay = repository.insertReplay(view)
      changed(replay)
      pump()
      return repository.get(replay.id) ?? replay
    },

    approve(id) {
      const view = mustGet(id)
      if (view.state !== 'held')
        throw new AlertError(AlertErrorCode.AlertNotHeld, `Alert ${id} is ${view.state}, not held.`)
      clearTimeout(autoApprove.get(id))
      autoApprove.delete(id)
      const approved = repository.setState(id, 'queued') as AlertView
      changed(approved)
      pump()
      return repository.get(id) ?? approved
    },

    reject(id) {
      const view = mustGet(id)
      if (view.state !== 'held')
        throw new AlertError(AlertErrorCode.AlertNotHeld, `Alert ${id} is ${view.state}, not held.`)
      clearTimeout(autoApprove.get(id))
      autoApprove.delete(id)
      const rejected = repository.setState(id, 'rejected', 'rejected') as AlertView
      changed(rejected)
      return rejected
    },

    pump,

    view() {
      const current = showing ? (repository.get(showing.alert.id) ?? null) : null
      return {
        paused: deps.isPaused(),
        current,
        queued: repository.byState('queued', 100),
        held: repository.byState('held', 100),
        recent: repository.recent(30),
      }
    },

    start() {
      running = true
      repository.recover()
      for (const held of repository.byState('held', 10_000)) scheduleAutoApprove(held)
      pump()
    },

    stop() {
      running = false
      clearShowing()
      clearTimeout(gapTimer)
      for (const timer of autoApprove.values()) clearTimeout(timer)
      autoApprove.clear()
    },
  }
  return queue
}
