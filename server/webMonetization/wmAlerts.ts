/**
 * Web Monetization alerts: never one per payment. A named viewer gets a "streaming supporter" alert
 * each time their verified streamed total this stream crosses a step (the `supporterStep` setting, in
 * the wallet's currency); anonymous streams are summed into one "N viewers streamed €x" alert per
 * interval; a one-time "send now" payment alerts like a tip. Alerts of recorded money are staged in
 * the recording transaction (the alert queue's outbox) and announced after the commit.
 */
import type { AlertQueueService } from '../alerts/alertQueueService.js'
import type { RecordedSupport } from '../contracts/events.js'
import { decimalToMinor, formatAmount, makeAmount, MoneyFormatError } from '../contracts/money.js'
import type { EventBus } from '../events/bus.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { supporterIdOf } from '../support/supporters.js'
import type { WmRecordContext } from './wmService.js'
import type { WmRepository } from './wmRepository.js'

export interface WmAlertsDeps {
  repository: WmRepository
  queue: Pick<AlertQueueService, 'stage' | 'announce' | 'enqueue'>
  settings: Pick<SettingsStore, 'get'>
  bus: Pick<EventBus, 'on'>
}

function stepOf(decimal: string, scale: number): bigint {
  try {
    return decimalToMinor(decimal, scale)
  } catch (error) {
    if (error instanceof MoneyFormatError) return 0n
    throw error
  }
}

export function createWmAlerts(deps: WmAlertsDeps) {
  const staged: number[] = []
  let anonymous: { urls: Set<string>; total: bigint; last: RecordedSupport } | null = null
  let timer: NodeJS.Timeout | undefined
  let off: (() => void) | undefined

  function stage(event: RecordedSupport): void {
    const view = deps.queue.stage(event, { source: 'web-monetization' })
    if (view) staged.push(view.id)
  }

  /** In the recording transaction of a Web Monetization event. */
  function onRecord(context: WmRecordContext, event: RecordedSupport): void {
    const { payment } = context
    if (context.oneTime) {
      stage({ ...event, supporterName: event.supporterName ?? payment.viewerName })
      return
    }
    const viewerKey = supporterIdOf(payment.viewerKey, payment.viewerName)
    if (!viewerKey) {
      if (anonymous && anonymous.last.amount.assetCode !== event.amount.assetCode) flushAnonymous()
      anonymous ??= { urls: new Set(), total: 0n, last: event }
      anonymous.urls.add(payment.url)
      anonymous.total += BigInt(event.amount.value)
      anonymous.last = event
      return
    }
    const { assetCode, assetScale } = event.amount
    const streamKey = event.streamId ?? 'no-stream'
    const total = deps.repository.addToViewer({
      streamKey,
      viewerKey,
      viewerName: payment.viewerName,
      delta: BigInt(event.amount.value),
      assetCode,
      assetScale,
    })
    const step = stepOf(deps.settings.get('webMonetization.settings').supporterStep, assetScale)
    if (step <= 0n) return
    const steps = Number(total.total / step)
    if (steps <= total.stepsAlerted) return
    deps.repository.setStepsAlerted({ streamKey, viewerKey, assetCode, assetScale, steps })
    stage({
      ...event,
      amount: makeAmount(total.total, assetCode, assetScale),
      supporterName: total.viewerName,
      message: null,
    })
  }

  function flushAnonymous(): void {
    const batch = anonymous
    anonymous = null
    if (!batch || batch.total <= 0n) return
    const amount = makeAmount(
      batch.total,
      batch.last.amount.assetCode,
      batch.last.amount.assetScale,
    )
    const viewers = batch.urls.size
    const who = viewers === 1 ? '1 viewer' : `${viewers} viewers`
    deps.queue.enqueue(
      {
        ...batch.last,
        amount,
        supporterName: who,
        message: `${who} streamed ${formatAmount(amount)}`,
      },
      { source: 'web-monetization' },
    )
  }

  function arm(): void {
    const seconds = deps.settings.get('webMonetization.settings').anonymousAlertSeconds
    timer = setTimeout(() => {
      flushAnonymous()
      arm()
    }, seconds * 1000)
    timer.unref?.()
  }

  return {
    onRecord,
    flushAnonymous,
    start() {
      off = deps.bus.on('support.recorded', (event) => {
        if (event.kind !== 'web-monetization') return
        for (const id of staged.splice(0)) deps.queue.announce(id)
      })
      arm()
    },
    stop() {
      off?.()
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

export type WmAlerts = ReturnType<typeof createWmAlerts>
