/** The SQL of the Web Monetization tables (migration 0010): watched incoming payments, viewer totals. */
import type { Db } from '../storage/db.js'

export type FoundBy = 'report' | 'poller'
export type WatchState = 'watching' | 'done' | 'rejected'

export interface WatchedPayment {
  url: string
  foundBy: FoundBy
  state: WatchState
  reason: string | null
  assetCode: string | null
  assetScale: number | null
  /** The cumulative receivedAmount already recorded in the ledger, minor units. */
  recordedValue: bigint
  oneTime: boolean
  expiresAt: number | null
  viewerKey: string | null
  viewerName: string | null
  streamId: string | null
  reports: number
  reads: number
  firstSeenAt: number
  lastReportAt: number | null
  lastReadAt: number | null
  lastChangeAt: number | null
  nextReadAt: number | null
  expiryReadDone: boolean
}

interface Row {
  url: string
  found_by: FoundBy
  state: WatchState
  reason: string | null
  asset_code: string | null
  asset_scale: number | null
  recorded_value: string
  one_time: number
  expires_at: number | null
  viewer_key: string | null
  viewer_name: string | null
  stream_id: string | null
  reports: number
  reads: number
  first_seen_at: number
  last_report_at: number | null
  last_read_at: number | null
  last_change_at: number | null
  next_read_at: number | null
  expiry_read_done: number
}

function toWatched(row: Row): WatchedPayment {
  return {
    url: row.url,
    foundBy: row.found_by,
    state: row.state,
    reason: row.reason,
    assetCode: row.asset_code,
    assetScale: row.asset_scale,
    recordedValue: BigInt(row.recorded_value),
    oneTime: row.one_time === 1,
    expiresAt: row.expires_at,
    viewerKey: row.viewer_key,
    viewerName: row.viewer_name,
    streamId: row.stream_id,
    reports: row.reports,
    reads: row.reads,
    firstSeenAt: row.first_seen_at,
    lastReportAt: row.last_report_at,
    lastReadAt: row.last_read_at,
    lastChangeAt: row.last_change_at,
    nextReadAt: row.next_read_at,
    expiryReadDone: row.expiry_read_done === 1,
  }
}

export interface NewWatched {
  url: string
  foundBy: FoundBy
  viewerKey: string | null
  viewerName: string | null
  streamId: string | null
  now: number
  nextReadAt: number | null
}

export interface ReadOutcome {
  url: string
  now: number
  assetCode: string
  assetScale: number
  oneTime: boolean
  expiresAt: number | null
  changed: boolean
  nextReadAt: number | null
  expiryReadDone: boolean
  state: WatchState
}

export interface ViewerTotal {
  total: bigint
  stepsAlerted: number
  viewerName: string | null
}

export function createWmRepository(db: Db) {
  const stmt = {
    find: db.prepare('SELECT * FROM wm_incoming_payments WHERE url = ?'),
    insert: db.prepare(`INSERT OR IGNORE INTO wm_incoming_payments
      (url, found_by, viewer_key, viewer_name, stream_id, first_seen_at, next_read_at)
      VALUES (@url, @foundBy, @viewerKey, @viewerName, @streamId, @now, @nextReadAt)`),
    report: db.prepare(`UPDATE wm_incoming_payments SET
        reports = reports + 1,
        last_report_at = @now,
        viewer_key = COALESCE(viewer_key, @viewerKey),
        viewer_name = COALESCE(viewer_name, @viewerName),
        next_read_at = CASE WHEN next_read_at IS NULL OR next_read_at > @due THEN @due
          ELSE next_read_at END
      WHERE url = @url AND state = 'watching'`),
    due: db.prepare(`SELECT * FROM wm_incoming_payments
      WHERE next_read_at IS NOT NULL AND next_read_at <= ? AND state = 'watching'
      ORDER BY next_read_at LIMIT ?`),
    nextDue: db.prepare(`SELECT MIN(next_read_at) AS at FROM wm_incoming_payments
      WHERE next_read_at IS NOT NULL AND state = 'watching'`),
    afterRead: db.prepare(`UPDATE wm_incoming_payments SET
        reads = reads + 1,
        asset_code = @assetCode, asset_scale = @assetScale, one_time = @oneTime,
        expires_at = @expiresAt, last_read_at = @now,
        last_change_at = CASE WHEN @changed = 1 THEN @now ELSE last_change_at END,
        next_read_at = @nextReadAt, expiry_read_done = @expiryReadDone, state = @state
      WHERE url = @url`),
    countRead: db.prepare(
      'UPDATE wm_incoming_payments SET reads = reads + 1, last_read_at = ? WHERE url = ?',
    ),
    reject: db.prepare(`UPDATE wm_incoming_payments SET state = 'rejected', reason = ?,
      next_read_at = NULL WHERE url = ?`),
    retryAt: db.prepare('UPDATE wm_incoming_payments SET next_read_at = ? WHERE url = ?'),
    advance: db.prepare(`UPDATE wm_incoming_payments SET recorded_value = @to
      WHERE url = @url AND recorded_value = @from`),
    active: db.prepare(`SELECT COUNT(*) AS n FROM wm_incoming_payments
      WHERE last_change_at >= ? AND state != 'rejected'`),
    viewerTotal: db.prepare(`SELECT total_value, steps_alerted, viewer_name FROM wm_stream_viewers
      WHERE stream_key = ? AND viewer_key = ? AND asset_code = ? AND asset_scale = ?`),
    upsertViewer: db.prepare(`INSERT INTO wm_stream_viewers
        (stream_key, viewer_key, viewer_name, total_value, asset_code, asset_scale)
      VALUES (@streamKey, @viewerKey, @viewerName, @total, @assetCode, @assetScale)
      ON CONFLICT (stream_key, viewer_key, asset_code, asset_scale) DO UPDATE SET
        total_value = @total, viewer_name = COALESCE(@viewerName, viewer_name)`),
    setSteps: db.prepare(`UPDATE wm_stream_viewers SET steps_alerted = @steps
      WHERE stream_key = @streamKey AND viewer_key = @viewerKey AND asset_code = @assetCode
        AND asset_scale = @assetScale`),
    all: db.prepare('SELECT * FROM wm_incoming_payments ORDER BY first_seen_at'),
  }

  return {
    find(url: string): WatchedPayment | undefined {
      const row = stmt.find.get(url) as Row | undefined
      return row ? toWatched(row) : undefined
    },
    /** A new incoming payment to watch; false when it was already known. */
    insert(input: NewWatched): boolean {
      return stmt.insert.run(input).changes === 1
    },
    /** A report about a watched payment: read it at `due` at the latest (coalesced). */
    noteReport(input: {
      url: string
      now: number
      due: number
      viewerKey: string | null
      viewerName: string | null
    }): void {
      stmt.report.run(input)
    },
    due(now: number, limit: number): WatchedPayment[] {
      return (stmt.due.all(now, limit) as Row[]).map(toWatched)
    },
    nextDueAt(): number | null {
      return (stmt.nextDue.get() as { at: number | null }).at
    },
    afterRead(outcome: ReadOutcome): void {
      stmt.afterRead.run({
        ...outcome,
        changed: outcome.changed ? 1 : 0,
        oneTime: outcome.oneTime ? 1 : 0,
        expiryReadDone: outcome.expiryReadDone ? 1 : 0,
      })
    },
    countRead(url: string, now: number): void {
      stmt.countRead.run(now, url)
    },
    reject(url: string, reason: string): void {
      stmt.reject.run(reason, url)
    },
    retryAt(url: string, at: number): void {
      stmt.retryAt.run(at, url)
    },
    /** Moves the recorded cumulative amount from `from` to `to`; false when another path did. */
    advance(url: string, from: bigint, to: bigint): boolean {
      return stmt.advance.run({ url, from: from.toString(), to: to.toString() }).changes === 1
    },
    activeSince(since: number): number {
      return (stmt.active.get(since) as { n: number }).n
    },
    /** Adds to one viewer's streamed total of a stream; returns the new total and steps alerted. */
    addToViewer(input: {
      streamKey: string
      viewerKey: string
      viewerName: string | null
      delta: bigint
      assetCode: string
      assetScale: number
    }): ViewerTotal {
      const found = stmt.viewerTotal.get(
        input.streamKey,
        input.viewerKey,
        input.assetCode,
        input.assetScale,
      ) as { total_value: string; steps_alerted: number; viewer_name: string | null } | undefined
      const total = (found ? BigInt(found.total_value) : 0n) + input.delta
      stmt.upsertViewer.run({ ...input, total: total.toString() })
      return {
        total,
        stepsAlerted: found?.steps_alerted ?? 0,
        viewerName: input.viewerName ?? found?.viewer_name ?? null,
      }
    },
    setStepsAlerted(input: {
      streamKey: string
      viewerKey: string
      assetCode: string
      assetScale: number
      steps: number
    }): void {
      stmt.setSteps.run(input)
    },
    all(): WatchedPayment[] {
      return (stmt.all.all() as Row[]).map(toWatched)
    },
  }
}

export type WmRepository = ReturnType<typeof createWmRepository>
