import type { FastifyBaseLogger } from 'fastify'
import type { NormalizedPlatformEvent } from '../contracts/integrations.js'
import type { EventBus } from '../events/bus.js'
import type { Db } from '../storage/db.js'
import type { PendingEvent, PlatformEventRepository } from './platformEventRepository.js'
import { parseOwncastTime } from './owncast/normalize.js'
import type {
  StreamBusEvent,
  StreamSessionService,
  StreamSignal,
} from './streams/streamSessionService.js'

/** What an event says about the broadcast (see StreamSignal). */
export function streamSignalOf(event: NormalizedPlatformEvent, receivedAt: number): StreamSignal {
  const at = (event.occurredAt ? Date.parse(event.occurredAt) : NaN) || receivedAt
  const status = event.status
  const kind =
    event.type === 'stream.started'
      ? 'start'
      : event.type === 'stream.stopped'
        ? 'stop'
        : event.type === 'stream.title_changed'
          ? 'title'
          : 'other'
  return {
    platform: event.platform,
    at,
    kind,
    online: status ? status.online : null,
    sessionStart: status ? parseOwncastTime(status.lastConnectTime) : null,
    sessionEnd: status ? parseOwncastTime(status.lastDisconnectTime) : null,
    title: event.stream?.title ?? status?.streamTitle ?? null,
  }
}

export interface EventProcessingDeps {
  db: Db
  platformEvents: PlatformEventRepository
  sessions: StreamSessionService
  bus: Pick<EventBus, 'emit'>
  log(): FastifyBaseLogger
  now(): number
  /** Live chat messages (not replays after a restart), after they are committed: the `!tip` command. */
  onChat?(event: NormalizedPlatformEvent, pending: PendingEvent): void
  /** Every live event (not replays), after it is committed: who is connected to chat right now. */
  onLive?(event: NormalizedPlatformEvent): void
}

export interface EventProcessingService {
  /** Queues freshly stored events; processing happens on a later turn, off the request path. */
  enqueue(events: PendingEvent[]): void
  /**
   * The stream an arriving event belongs to when that is already certain (a status block pointing at
   * the open session processing knows), so most chat events need no second write; else null.
   */
  attribute(event: NormalizedPlatformEvent, receivedAt: number): string | null
  /**
   * Processes what is queued inside the caller's transaction (a savepoint: a failure here never undoes
   * the caller's writes). Returns what to announce once that transaction has committed.
   */
  processWithin(): (() => void) | undefined
  /** processWithin, called by each webhook write batch (the drain timer then leaves the queue to it). */
  processInWriteTransaction(): (() => void) | undefined
  /** Processes events stored but not processed before the last shutdown. */
  recover(): void
  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void>
  stop(): void
}

const BATCH = 1000
const DRAIN_DELAY_MS = 5

/**
 * Applies stored events to stream sessions and marks them processed. Runs after the webhook has been
 * answered (Owncast neither retries nor times out, so its request must never wait for this): in the
 * next write batch's transaction when webhooks keep coming (one commit for both), else on its own.
 */
export function createEventProcessingService(deps: EventProcessingDeps): EventProcessingService {
  let queue: PendingEvent[] = []
  let scheduled = false
  let stopped = false
  let waiters: (() => void)[] = []

  const applyBatch = deps.db.transaction((batch: PendingEvent[]) => {
    const busEvents: StreamBusEvent[] = []
    const changed: { rowId: number; streamId: string | null }[] = []
    const lastEventAt = new Map<string, number>()
    const already = deps.platformEvents.processedThrough()
    let through = already
    for (const item of batch) {
      // Picked up by the start-up recovery already.
      if (item.rowId <= already) continue
      through = Math.max(through, item.rowId)
      let streamId: string | null = null
      if (!item.normalized.isTest) {
        const signal = streamSignalOf(item.normalized, item.receivedAt)
        const outcome = deps.sessions.apply(signal)
        streamId = outcome.streamId
        if (outcome.events.length > 0) busEvents.push(...outcome.events)
        if (streamId) lastEventAt.set(streamId, Math.max(lastEventAt.get(streamId) ?? 0, signal.at))
      }
      // Usually already attributed on arrival: only corrections are written.
      if (streamId !== item.streamId) changed.push({ rowId: item.rowId, streamId })
    }
    deps.platformEvents.markProcessed(changed, through)
    deps.sessions.touch(lastEventAt)
    return busEvents
  })

  function settleWaiters(): void {
    if (queue.length > 0) return
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }

  function publish(batch: PendingEvent[], busEvents: StreamBusEvent[]): void {
    for (const event of busEvents) {
      if (event.name === 'stream.started') deps.bus.emit('stream.started', event.payload)
      else deps.bus.emit('stream.stopped', event.payload)
    }
    if (deps.onLive) {
      for (const item of batch) {
        if (item.recovered) continue
        try {
          deps.onLive(item.normalized)
        } catch (error) {
          deps.log().error({ err: error }, 'live event hook failed')
        }
      }
    }
    if (deps.onChat) {
      for (const item of batch) {
        if (item.normalized.type === 'chat.message' && !item.recovered && !item.normalized.isTest) {
          try {
            deps.onChat(item.normalized, item)
          } catch (error) {
            deps.log().error({ err: error }, 'chat command failed')
          }
        }
      }
    }
    settleWaiters()
  }

  function processWithin(): (() => void) | undefined {
    if (queue.length === 0 || stopped) return undefined
    const batch = queue.length <= BATCH ? queue : queue.slice(0, BATCH)
    queue = queue.length <= BATCH ? [] : queue.slice(BATCH)
    let busEvents: StreamBusEvent[]
    try {
      busEvents = applyBatch(batch)
    } catch (error) {
      // The rows stay unprocessed and are picked up on the next start; the raw events are safe.
      deps.sessions.forget()
      deps.log().error({ err: error }, 'processing platform events failed')
      settleWaiters()
      return undefined
    }
    return () => publish(batch, busEvents)
  }

  let lastWriteTransaction = -Infinity

  function drain(): void {
    scheduled = false
    // Write batches are still coming and take the queue in their own transaction: no extra commit.
    if (queue.length > 0 && performance.now() - lastWriteTransaction < DRAIN_DELAY_MS) {
      schedule()
      return
    }
    while (queue.length > 0 && !stopped) processWithin()?.()
    settleWaiters()
  }

  function schedule(): void {
    if (scheduled || stopped) return
    scheduled = true
    // A few milliseconds later: while webhooks keep coming, the next write batch takes the queue in its
    // own transaction first (one commit instead of two); when they stop, this drains the rest.
    setTimeout(drain, DRAIN_DELAY_MS).unref()
  }

  return {
    enqueue(events) {
      for (const event of events) queue.push(event)
      schedule()
    },
    processWithin,
    processInWriteTransaction() {
      lastWriteTransaction = performance.now()
      return processWithin()
    },
    attribute(event, receivedAt) {
      if (event.isTest) return null
      return deps.sessions.peek(streamSignalOf(event, receivedAt))
    },
    recover() {
      let afterId = 0
      for (;;) {
        const pending = deps.platformEvents.unprocessed(BATCH, afterId)
        if (pending.length === 0) break
        afterId = pending[pending.length - 1]?.rowId ?? afterId
        queue.push(...pending)
        drain()
        if (stopped) break
      }
    },
    idle() {
      if (queue.length === 0) return Promise.resolve()
      return new Promise<void>((resolve) => waiters.push(resolve))
    },
    stop() {
      stopped = true
      const done = waiters
      waiters = []
      for (const resolve of done) resolve()
    },
  }
}
