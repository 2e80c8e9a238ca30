import type { PlatformName, StreamSessionView } from '../../contracts/integrations.js'
import type { Db } from '../../storage/db.js'

/** One row of `streams`: a broadcast, with the evidence it was built from. */
export interface StreamRow {
  id: string
  platform: PlatformName
  title: string | null
  started_at: number
  ended_at: number | null
  start_source: string
  end_source: string | null
  last_event_at: number | null
}

export interface NewStreamRow {
  id: string
  platform: PlatformName
  title: string | null
  startedAt: number
  endedAt: number | null
  startSource: string
  endSource: string | null
}

export function toStreamView(row: StreamRow, now: number): StreamSessionView {
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

/** The SQL of the `streams` table (statements prepared once). */
export interface StreamRepository {
  /** The session of `platform` that started closest to `start`, within [from, to]. */
  findNear(query: {
    platform: PlatformName
    from: number
    to: number
    start: number
  }): StreamRow | undefined
  /** Open sessions of `platform` that started before `start`, oldest first. */
  openBefore(platform: PlatformName, start: number): StreamRow[]
  /** The first session of `platform` that started after `start`. */
  nextAfter(platform: PlatformName, start: number): StreamRow | undefined
  /** The newest open session of `platform` that started at or before `at`. */
  latestOpenAtOrBefore(platform: PlatformName, at: number): StreamRow | undefined
  /** The id of the newest session of `platform` covering `at`. */
  coveringIdOn(platform: PlatformName, at: number): string | null
  /** The newest session of any platform covering `at`. */
  covering(at: number): StreamRow | undefined
  exists(id: string): boolean
  insert(row: NewStreamRow): void
  close(id: string, endedAt: number, source: string): void
  setTitle(id: string, title: string): void
  setStart(id: string, startedAt: number, source: string): void
  /** Keeps the newest event time seen for a session. */
  touch(id: string, at: number): void
  recent(limit: number): StreamRow[]
}

export function createStreamRepository(db: Db): StreamRepository {
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
  const byId = db.prepare(`SELECT id FROM streams WHERE id = ?`)
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

  return {
    findNear: (query) => findNear.get(query) as StreamRow | undefined,
    openBefore: (platform, start) => openBefore.all(platform, start) as StreamRow[],
    nextAfter: (platform, start) => nextAfter.get(platform, start) as StreamRow | undefined,
    latestOpenAtOrBefore: (platform, at) =>
      latestOpenAtOrBefore.get(platform, at) as StreamRow | undefined,
    coveringIdOn(platform, at) {
      const row = coveringOnPlatform.get(platform, at, at) as { id: string } | undefined
      return row?.id ?? null
    },
    covering: (at) => covering.get(at, at) as StreamRow | undefined,
    exists: (id) => byId.get(id) !== undefined,
    insert: (row) => void insert.run(row),
    close: (id, endedAt, source) => void close.run(endedAt, source, id),
    setTitle: (id, title) => void setTitle.run(title, id),
    setStart: (id, startedAt, source) => void setStart.run(startedAt, source, id),
    touch: (id, at) => void touchOne.run(at, id),
    recent: (limit) => recent.all(limit) as StreamRow[],
  }
}
