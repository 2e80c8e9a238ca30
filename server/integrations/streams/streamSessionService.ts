import crypto from 'node:crypto'
import type { DomainEvents } from '../../contracts/events.js'
import type { PlatformName, StreamSessionView } from '../../contracts/integrations.js'
import { toStreamView, type StreamRepository, type StreamRow } from './streamRepository.js'

/**
 * What one platform event says about the broadcast. Owncast's `status` block carries `lastConnectTime`,
 * the start of the current broadcast, in every event: that identifies a session even when its
 * STREAM_STARTED was lost or arrives late, and `lastDisconnectTime` says when the previous one ended.
 */
export interface StreamSignal {
  platform: PlatformName
  /** When the event happened (ms): the platform's timestamp, else when it was received. */
  at: number
  kind: 'start' | 'stop' | 'title' | 'other'
  /** status.online; null when the event has no status block. */
  online: boolean | null
  /** status.lastConnectTime (ms). */
  sessionStart: number | null
  /** status.lastDisconnectTime (ms). */
  sessionEnd: number | null
  title: string | null
}

export type StreamBusEvent =
  | { name: 'stream.started'; payload: DomainEvents['stream.started'] }
  | { name: 'stream.stopped'; payload: DomainEvents['stream.stopped'] }

export interface SessionOutcome {
  /** The session the event belongs to, if any stream was live at its time. */
  streamId: string | null
  events: StreamBusEvent[]
}

export interface StreamSessionService {
  /** Applies one event's evidence; call inside the processing transaction. */
  apply(signal: StreamSignal): SessionOutcome
  /** Records the newest event time seen per session (once per processed batch). */
  touch(lastEventAt: Map<string, number>): void
  /** The session live at `at` (ms), any platform, newest first: used to attribute tips and events. */
  liveStreamId(at: number): string | null
  live(at: number): StreamSessionView | null
  list(limit: number): StreamSessionView[]
  /**
   * Without touching the database: the open session a plain status-bearing event belongs to, when it
   * is the one `apply` last resolved; else null (then `apply` decides).
   */
  peek(signal: StreamSignal): string | null
  /** Drops what `apply` remembers between calls (after a rolled-back transaction). */
  forget(): void
}

/** Two starts this close together are the same broadcast (status times are whole seconds). */
export const SESSION_MATCH_WINDOW_MS = 60_000

function sessionId(platform: PlatformName, start: number): string {
  const compact = new Date(start)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return `${platform}-${compact}`
}

export interface StreamSessionDeps {
  streams: StreamRepository
  now(): number
}

/**
 * Stream sessions built from platform events: which broadcast was live when, reconciled when events
 * are lost, late or out of order. Writes run inside the caller's processing transaction.
 */
export function createStreamSessionService({
  streams,
  now,
}: StreamSessionDeps): StreamSessionService {
  // The open session a run of status blocks points at: chat floods repeat the same lastConnectTime,
  // so most events need no query at all. Cleared by every write to the sessions.
  let memo: { platform: PlatformName; start: number; id: string } | null = null

  function stopped(row: StreamRow, end: number): StreamBusEvent {
    return {
      name: 'stream.stopped',
      payload: { streamId: row.id, platform: row.platform, stoppedAt: new Date(end).toISOString() },
    }
  }

  /** The session that started at `start`, created when missing (closing the ones it supersedes). */
  function ensure(
    platform: PlatformName,
    start: number,
    title: string | null,
    source: 'event' | 'status',
    endIfNew: number | null,
    previousEnd: number | null,
    events: StreamBusEvent[],
  ): StreamRow {
    const near = streams.findNear({
      platform,
      from: start - SESSION_MATCH_WINDOW_MS,
      to: start + SESSION_MATCH_WINDOW_MS,
      start,
    })
    if (near) {
      if (title && !near.title) {
        streams.setTitle(near.id, title)
        near.title = title
      }
      // A STREAM_STARTED is more precise than a start inferred from a late status block.
      if (source === 'event' && near.start_source !== 'event' && start < near.started_at) {
        streams.setStart(near.id, start, 'event')
        near.started_at = start
      }
      return near
    }
    // Sessions still open that started earlier missed their STREAM_STOPPED: end them, at the previous
    // disconnect time when the status block gives it, else at their last event.
    memo = null
    for (const open of streams.openBefore(platform, start)) {
      const fallback = Math.min(start, Math.max(open.started_at, open.last_event_at ?? start))
      const end =
        previousEnd !== null && previousEnd >= open.started_at && previousEnd <= start
          ? previousEnd
          : fallback
      streams.close(open.id, end, 'superseded')
      events.push(stopped(open, end))
    }
    // A newer session already exists (this event is late): this one cannot still be live.
    const next = streams.nextAfter(platform, start)
    const endedAt = endIfNew ?? (next ? next.started_at : null)
    let id = sessionId(platform, start)
    if (streams.exists(id)) id = `${id}-${crypto.randomBytes(3).toString('hex')}`
    const row: StreamRow = {
      id,
      platform,
      title,
      started_at: start,
      ended_at: endedAt,
      start_source: source,
      end_source: endedAt === null ? null : endIfNew !== null ? source : 'superseded',
      last_event_at: start,
    }
    streams.insert({
      id,
      platform,
      title,
      startedAt: start,
      endedAt,
      startSource: source,
      endSource: row.end_source,
    })
    if (endedAt === null) {
      events.push({
        name: 'stream.started',
        payload: { streamId: id, platform, title, startedAt: new Date(start).toISOString() },
      })
    }
    return row
  }

  function end(row: StreamRow, at: number, source: string, events: StreamBusEvent[]): void {
    memo = null
    if (row.ended_at === null) {
      streams.close(row.id, at, source)
      row.ended_at = at
      events.push(stopped(row, at))
    } else if (source === 'event' && row.end_source !== 'event') {
      // The real STREAM_STOPPED corrects an end that was only inferred.
      streams.close(row.id, at, source)
      row.ended_at = at
    }
  }

  return {
    apply(signal) {
      const events: StreamBusEvent[] = []
      const { platform } = signal
      let streamId: string | null = null
      switch (signal.kind) {
        case 'start': {
          memo = null
          const start = signal.sessionStart ?? signal.at
          const previousEnd = signal.sessionEnd
          streamId = ensure(platform, start, signal.title, 'event', null, previousEnd, events).id
          break
        }
        case 'stop': {
          const stopAt = signal.sessionEnd ?? signal.at
          let row: StreamRow | undefined
          if (signal.sessionStart !== null && signal.sessionStart <= stopAt) {
            row = ensure(platform, signal.sessionStart, signal.title, 'event', stopAt, null, events)
          } else {
            row = streams.latestOpenAtOrBefore(platform, stopAt)
          }
          if (row) {
            end(row, stopAt, 'event', events)
            streamId = row.id
          }
          break
        }
        default: {
          if (
            signal.online === true &&
            memo !== null &&
            memo.platform === platform &&
            memo.start === signal.sessionStart
          ) {
            streamId = memo.id
          } else if (signal.online === true && signal.sessionStart !== null) {
            const row = ensure(
              platform,
              signal.sessionStart,
              signal.title,
              'status',
              null,
              signal.sessionEnd,
              events,
            )
            streamId = row.ended_at === null || row.ended_at >= signal.at ? row.id : null
            if (row.ended_at === null) memo = { platform, start: signal.sessionStart, id: row.id }
          } else {
            if (
              signal.online === false &&
              signal.sessionStart !== null &&
              signal.sessionEnd !== null &&
              signal.sessionEnd >= signal.sessionStart
            ) {
              // Offline now: the broadcast that started at sessionStart is over even if we never heard so.
              const near = streams.findNear({
                platform,
                from: signal.sessionStart - SESSION_MATCH_WINDOW_MS,
                to: signal.sessionStart + SESSION_MATCH_WINDOW_MS,
                start: signal.sessionStart,
              })
              if (near) end(near, signal.sessionEnd, 'status', events)
            }
            streamId = streams.coveringIdOn(platform, signal.at)
          }
          if (signal.kind === 'title' && streamId && signal.title)
            streams.setTitle(streamId, signal.title)
        }
      }
      return { streamId, events }
    },
    touch(lastEventAt) {
      for (const [id, at] of lastEventAt) streams.touch(id, at)
    },
    peek(signal) {
      return signal.kind === 'other' &&
        signal.online === true &&
        memo !== null &&
        memo.platform === signal.platform &&
        memo.start === signal.sessionStart
        ? memo.id
        : null
    },
    forget() {
      memo = null
    },
    liveStreamId(at) {
      return streams.covering(at)?.id ?? null
    },
    live(at) {
      const row = streams.covering(at)
      return row && row.ended_at === null ? toStreamView(row, now()) : null
    },
    list(limit) {
      return streams.recent(limit).map((row) => toStreamView(row, now()))
    },
  }
}
