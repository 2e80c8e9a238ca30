import type { AlertSource, AlertState, AlertView, OverlayAlert } from '../contracts/alerts.js'
import type { Db } from '../storage/db.js'

interface AlertRow {
  id: number
  support_event_id: number
  source: AlertSource
  state: AlertState
  reason: string | null
  replay_of: number | null
  variant_id: string | null
  alert: string
  is_test: number
  auto_approve_at: number | null
  displayed_at: number | null
  shown_at: number | null
  created_at: number
}

export type StoredAlert = Omit<OverlayAlert, 'id'>

export interface NewAlert {
  supportEventId: number
  source: AlertSource
  state: AlertState
  reason: string | null
  alert: StoredAlert
  isTest: boolean
  autoApproveAt: number | null
}

/** The SQL of the `alerts` table: one row per alert, its state and the alert as the overlay shows it. */
export interface AlertRepository {
  /** Inserts the one original alert of a support event; null when it already has one. */
  insertOriginal(input: NewAlert): AlertView | null
  /** A new queued alert that shows the same thing as `of` again. */
  insertReplay(of: AlertView): AlertView
  get(id: number): AlertView | undefined
  nextQueued(): AlertView | undefined
  byState(state: AlertState, limit?: number): AlertView[]
  recent(limit: number): AlertView[]
  setState(id: number, state: AlertState, reason?: string | null): AlertView | undefined
  markDisplayed(id: number): void
  markShown(id: number): AlertView | undefined
  /** After a restart: an alert that was on screen and displayed is shown; one that was not is queued. */
  recover(): void
}

function toView(row: AlertRow): AlertView {
  const stored = JSON.parse(row.alert) as StoredAlert
  return {
    id: row.id,
    supportEventId: row.support_event_id,
    source: row.source,
    state: row.state,
    reason: row.reason,
    replayOf: row.replay_of,
    isTest: row.is_test === 1,
    createdAt: new Date(row.created_at).toISOString(),
    shownAt: row.shown_at === null ? null : new Date(row.shown_at).toISOString(),
    autoApproveAt:
      row.auto_approve_at === null ? null : new Date(row.auto_approve_at).toISOString(),
    alert: { id: row.id, ...stored },
  }
}

export function createAlertRepository(db: Db, now: () => number = Date.now): AlertRepository {
  const columns = `id, support_event_id, source, state, reason, replay_of, variant_id, alert, is_test,
    auto_approve_at, displayed_at, shown_at, created_at`
  const insert = db.prepare(`INSERT INTO alerts
    (support_event_id, source, state, reason, replay_of, variant_id, alert, is_test, auto_approve_at,
     created_at, updated_at)
    VALUES (@supportEventId, @source, @state, @reason, @replayOf, @variantId, @alert, @isTest,
     @autoApproveAt, @now, @now)
    ON CONFLICT DO NOTHING`)
  const byId = db.prepare(`SELECT ${columns} FROM alerts WHERE id = ?`)
  const nextQueued = db.prepare(
    `SELECT ${columns} FROM alerts WHERE state = 'queued' ORDER BY id LIMIT 1`,
  )
  const byState = db.prepare(`SELECT ${columns} FROM alerts WHERE state = ? ORDER BY id LIMIT ?`)
  const recent = db.prepare(
    `SELECT ${columns} FROM alerts WHERE state IN ('shown', 'skipped', 'rejected')
     ORDER BY updated_at DESC, id DESC LIMIT ?`,
  )
  const setState = db.prepare(
    'UPDATE alerts SET state = ?, reason = ?, auto_approve_at = NULL, updated_at = ? WHERE id = ?',
  )
  const displayed = db.prepare(
    'UPDATE alerts SET displayed_at = COALESCE(displayed_at, ?), updated_at = ? WHERE id = ?',
  )
  const shown = db.prepare(
    `UPDATE alerts SET state = 'shown', reason = NULL, shown_at = ?, updated_at = ? WHERE id = ?`,
  )

  const get = (id: number) => {
    const row = byId.get(id) as AlertRow | undefined
    return row ? toView(row) : undefined
  }

  function add(input: NewAlert, replayOf: number | null): AlertView | null {
    const result = insert.run({
      supportEventId: input.supportEventId,
      source: input.source,
      state: input.state,
      reason: input.reason,
      replayOf,
      variantId: input.alert.variantId,
      alert: JSON.stringify(input.alert),
      isTest: input.isTest ? 1 : 0,
      autoApproveAt: input.autoApproveAt,
      now: now(),
    })
    return result.changes === 1 ? (get(Number(result.lastInsertRowid)) ?? null) : null
  }

  return {
    insertOriginal: (input) => add(input, null),
    insertReplay(of) {
      const { id: _id, ...alert } = of.alert
      const view = add(
        {
          supportEventId: of.supportEventId,
          source: 'replay',
          state: 'queued',
          reason: null,
          alert,
          isTest: of.isTest,
          autoApproveAt: null,
        },
        of.replayOf ?? of.id,
      )
      if (!view) throw new Error(`replay of alert ${of.id} was not inserted`)
      return view
    },
    get,
    nextQueued() {
      const row = nextQueued.get() as AlertRow | undefined
      return row ? toView(row) : undefined
    },
    byState: (state, limit = 200) => (byState.all(state, limit) as AlertRow[]).map(toView),
    recent: (limit) => (recent.all(limit) as AlertRow[]).map(toView),
    setState(id, state, reason = null) {
      setState.run(state, reason, now(), id)
      return get(id)
    },
    markDisplayed(id) {
      displayed.run(now(), now(), id)
    },
    markShown(id) {
      shown.run(now(), now(), id)
      return get(id)
    },
    recover() {
      const at = now()
      db.transaction(() => {
        db.prepare(
          `UPDATE alerts SET state = 'shown', shown_at = COALESCE(shown_at, displayed_at), updated_at = ?
           WHERE state = 'showing' AND displayed_at IS NOT NULL`,
        ).run(at)
        db.prepare(
          `UPDATE alerts SET state = 'queued', updated_at = ? WHERE state = 'showing' AND displayed_at IS NULL`,
        ).run(at)
      })()
    },
  }
}
