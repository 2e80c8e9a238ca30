import crypto from 'node:crypto'
import type { DomainEvents } from '../../contracts/events.js'
import type { PlatformName, StreamSessionView } from '../../contracts/integrations.js'
import type { Db } from '../../storage/db.js'

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

export interface StreamSessions {
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

interface StreamRow {
  id: string
  platform: PlatformName
  title: string | null
  started_at: number
  ended_at: number | null
  start_source: string
  end_source: string | null
  last_event_at: number | null
}

/** Two starts this close together are the same broadcast (status times are whole seconds). */
export const SESSION_MATCH_WINDOW_MS = 60_000

function toView(row: StreamRow, now: number): StreamSessionView {
  return {
    id: row.id,
    platform: row.platform,
    title: row.title,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    live: row.ended_at === null && row.started_at <= now,
    startSource: row.start_source,
    endSource: row.end_source,
  }
}

function sessionId(platform: PlatformName, start: number): string {
  const compact = new Date(start)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return `${platform}-${compact}`
}

export function createStreamSessions(db: Db, now: () => number = Date.now): StreamSessions {
  const columns =
    'id, platform, title, started_at, ended_at, start_source, end_source, last_event_at'
  const findNear = db.prepare(`SELECT ${columns} FROM streams
    WHERE platform = @platform AND started_at BETWEEN @from AND @to
    ORDER BY abs(started_at - @start) LIMIT 1`)
  const openBefore = db.prepare(`SELECT ${columns} FROM streams
    WHERE platform = ? AND ended_at IS NULL AND started_at < ? ORDER BY started_at`)
  const nextAfter = db.prepare(`SELECT ${columns} FROM streams
    WHERE platform = ? AND started_at > ? ORDER BY started_at LIMIT 1`)
  const latestOpenAtOrBefore = db.prepare(`SELECT ${columns} FROM streams
    WHERE platform = ? AND ended_at IS NULL AND started_at <= ? ORDER BY started_at DESC LIMIT 1`)
  const coveringOnPlatform = db.prepare(`SELECT id FROM streams
    WHERE platform = ? AND started_at <= ? AND (ended_at IS NULL OR ended_at >= ?)
    ORDER BY started_at DESC LIMIT 1`)
  const covering = db.prepare(`SELECT ${columns} FROM streams
    WHERE started_at <= ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at DESC LIMIT 1`)
  const byId = db.prepare(`SELECT ${columns} FROM streams WHERE id = ?`)
  const insert = db.prepare(`INSERT INTO streams
    (id, platform, title, started_at, ended_at, start_source, end_source, last_event_at)
    VALUES (@id, @platform, @title, @startedAt, @endedAt, @startSource, @endSource, @startedAt)`)
  const close = db.prepare('UPDATE streams SET ended_at = ?, end_source = ? WHERE id = ?')
  const setTitle = db.prepare('UPDATE streams SET title = ? WHERE id = ?')
  const setStart = db.prepare('UPDATE streams SET started_at = ?, start_source = ? WHERE id = ?')
  const touchOne = db.prepare(
    'UPDATE streams SET last_event_at = max(coalesce(last_event_at, 0), ?) WHERE id = ?',
  )
  const recent = db.prepare(`SELECT ${columns} FROM streams ORDER BY started_at DESC LIMIT ?`)

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
    const near = findNear.get({
      platform,
      from: start - SESSION_MATCH_WINDOW_MS,
      to: start + SESSION_MATCH_WINDOW_MS,
      start,
    }) as StreamRow | undefined
    if (near) {
      if (title && !near.title) {
        setTitle.run(title, near.id)
        near.title = title
      }
      // A STREAM_STARTED is more precise than a start inferred from a late status block.
      if (source === 'event' && near.start_source !== 'event' && start < near.started_at) {
        setStart.run(start, 'event', near.id)
        near.started_at = start
      }
      return near
    }
    // Sessions still open that started earlier missed their STREAM_STOPPED: end them, at the previous
    // disconnect time when the status block gives it, else at their last event.
    memo = null
    for (const open of openBefore.all(platform, start) as StreamRow[]) {
      const fallback = Math.min(start, Math.max(open.started_at, open.last_event_at ?? start))
      const end =
        previousEnd !== null && previousEnd >= open.started_at && previousEnd <= start
          ? previousEnd
          : fallback
      close.run(end, 'superseded', open.id)
      events.push(stopped(open, end))
    }
    // A newer session already exists (this event is late): this one cannot still be live.
    const next = nextAfter.get(platform, start) as StreamRow | undefined
    const endedAt = endIfNew ?? (next ? next.started_at : null)
    let id = sessionId(platform, start)
    if (byId.get(id)) id = `${id}-${crypto.randomBytes(3).toString('hex')}`
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
    insert.run({
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
      close.run(at, source, row.id)
      row.ended_at = at
      events.push(stopped(row, at))
    } else if (source === 'event' && row.end_source !== 'event') {
      // The real STREAM_STOPPED corrects an end that was only inferred.
      close.run(at, source, row.id)
      row.ended_at = at
    }
  }

  function coveringId(platform: PlatformName, at: number): string | null {
    const row = coveringOnPlatform.get(platform, at, at) as { id: string } | undefined
    return row?.id ?? null
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
            row = latestOpenAtOrBefore.get(platform, stopAt) as StreamRow | undefined
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
              const near = findNear.get({
                platform,
                from: signal.sessionStart - SESSION_MATCH_WINDOW_MS,
                to: signal.sessionStart + SESSION_MATCH_WINDOW_MS,
                start: signal.sessionStart,
              }) as StreamRow | undefined
              if (near) end(near, signal.sessionEnd, 'status', events)
            }
            streamId = coveringId(platform, signal.at)
          }
          if (signal.kind === 'title' && streamId && signal.title)
            setTitle.run(signal.title, streamId)
        }
      }
      return { streamId, events }
    },
    touch(lastEventAt) {
      for (const [id, at] of lastEventAt) touchOne.run(at, id)
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
      const row = covering.get(at, at) as StreamRow | undefined
      return row?.id ?? null
    },
    live(at) {
      const row = covering.get(at, at) as StreamRow | undefined
      return row && row.ended_at === null ? toView(row, now()) : null
    },
    list(limit) {
      return (recent.all(limit) as StreamRow[]).map((row) => toView(row, now()))
    },
  }
}
