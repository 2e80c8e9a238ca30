import type { FastifyBaseLogger } from 'fastify'
import type { NormalizedPlatformEvent } from '../contracts/integrations.js'
import type { EventBus } from '../events/bus.js'
import type { Db } from '../storage/db.js'
import type { PendingEvent, PlatformEventStore } from './eventStore.js'
import { parseOwncastTime } from './owncast/normalize.js'
import type { StreamBusEvent, StreamSessions, StreamSignal } from './streams/sessions.js'

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

export interface EventProcessorDeps {
  db: Db
  store: PlatformEventStore
  sessions: StreamSessions
  bus: EventBus
  log(): FastifyBaseLogger
  now(): number
  /** Live chat messages (not replays after a restart), after they are committed: the `!tip` command. */
  onChat?(event: NormalizedPlatformEvent, pending: PendingEvent): void
}

export interface EventProcessor {
  /** Queues freshly stored events; processing happens on a later turn, off the request path. */
  enqueue(events: PendingEvent[]): void
  /** Processes events stored but not processed before the last shutdown. */
  recover(): void
  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void>
  stop(): void
}

const BATCH = 1000

/**
 * Applies stored events to stream sessions and marks them processed, one transaction per batch. Runs
 * after the webhook has been answered: Owncast neither retries nor times out, so its request must
 * never wait for this.
 */
export function createEventProcessor(deps: EventProcessorDeps): EventProcessor {
  let queue: PendingEvent[] = []
  let scheduled = false
  let stopped = false
  let waiters: (() => void)[] = []

  const processBatch = deps.db.transaction((batch: PendingEvent[]) => {
    const busEvents: StreamBusEvent[] = []
    const marks: { rowId: number; streamId: string | null }[] = []
    const lastEventAt = new Map<string, number>()
    for (const item of batch) {
      let streamId: string | null = null
      if (!item.normalized.isTest) {
        const signal = streamSignalOf(item.normalized, item.receivedAt)
        const outcome = deps.sessions.apply(signal)
        streamId = outcome.streamId
        busEvents.push(...outcome.events)
        if (streamId) lastEventAt.set(streamId, Math.max(lastEventAt.get(streamId) ?? 0, signal.at))
      }
      marks.push({ rowId: item.rowId, streamId })
    }
    deps.store.markProcessed(marks, deps.now())
    deps.sessions.touch(lastEventAt)
    return busEvents
  })

  function drain(): void {
    scheduled = false
    while (queue.length > 0 && !stopped) {
      const batch = queue.slice(0, BATCH)
      queue = queue.slice(BATCH)
      let busEvents: StreamBusEvent[] = []
      try {
        busEvents = processBatch(batch)
      } catch (error) {
        // The rows stay unprocessed and are retried on the next start; the raw events are safe.
        deps.log().error({ err: error }, 'processing platform events failed')
        continue
      }
      for (const event of busEvents) {
        if (event.name === 'stream.started') deps.bus.emit('stream.started', event.payload)
        else deps.bus.emit('stream.stopped', event.payload)
      }
      if (deps.onChat) {
        for (const item of batch) {
          if (
            item.normalized.type === 'chat.message' &&
            !item.recovered &&
            !item.normalized.isTest
          ) {
            try {
              deps.onChat(item.normalized, item)
            } catch (error) {
              deps.log().error({ err: error }, 'chat command failed')
            }
          }
        }
      }
    }
    if (queue.length === 0) {
      const done = waiters
      waiters = []
      for (const resolve of done) resolve()
    }
  }

  function schedule(): void {
    if (scheduled || stopped) return
    scheduled = true
    setImmediate(drain)
  }

  return {
    enqueue(events) {
      for (const event of events) queue.push(event)
      schedule()
    },
    recover() {
      let afterId = 0
      for (;;) {
        const pending = deps.store.unprocessed(BATCH, afterId)
        if (pending.length === 0) break
        afterId = pending[pending.length - 1]?.rowId ?? afterId
        queue.push(...pending)
        drain()
        if (stopped) break
      }
    },
    idle() {
      if (queue.length === 0 && !scheduled) return Promise.resolve()
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
