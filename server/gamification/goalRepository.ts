import type { Asset } from '../contracts/common.js'
import type { Db } from '../storage/db.js'

/** A goal as stored: money in minor units of its asset, times in epoch ms. */
export interface GoalRow {
  id: string
  title: string
  target_value: bigint
  asset_code: string
  asset_scale: bigint
  starts_at: bigint
  ends_at: bigint | null
  reached_at: bigint | null
}

export interface NewGoal {
  id: string
  title: string
  target: bigint
  asset: Asset
  startsAt: number
  endsAt: number | null
}

/**
 * The `goals` table: the streamer's goals (the Goals API lists them) and the one goal marked
 * `on_overlay`, which the goal overlay shows and its display settings edit.
 */
export interface GoalRepository {
  /** The listed goals, latest start first. */
  listed(): GoalRow[]
  find(id: string): GoalRow | undefined
  countListed(): number
  insert(goal: NewGoal, createdAt: number): void
  save(
    id: string,
    change: { title: string; target: bigint; startsAt: number; endsAt: number | null },
  ): void
  markReached(id: string, at: number): void
  remove(id: string): void
  overlay(): GoalRow | undefined
  /** Creates or replaces the overlay's goal (open-ended: no end). */
  saveOverlay(goal: Omit<NewGoal, 'endsAt'>, at: number): void
}

const COLUMNS = 'id, title, target_value, asset_code, asset_scale, starts_at, ends_at, reached_at'

export function createGoalRepository(db: Db): GoalRepository {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true)
  const listed = prepare(
    `SELECT ${COLUMNS} FROM goals WHERE on_overlay = 0 ORDER BY starts_at DESC, id`,
  )
  const one = prepare(`SELECT ${COLUMNS} FROM goals WHERE id = ? AND on_overlay = 0`)
  const overlay = prepare(`SELECT ${COLUMNS} FROM goals WHERE on_overlay = 1`)
  const count = db.prepare('SELECT COUNT(*) AS n FROM goals WHERE on_overlay = 0')
  const insert = db.prepare(
    `INSERT INTO goals (id, title, target_value, asset_code, asset_scale, starts_at, ends_at, reached_at,
       created_at, on_overlay)
     VALUES (@id, @title, @target, @code, @scale, @startsAt, @endsAt, NULL, @createdAt, @onOverlay)`,
  )
  const save = db.prepare(
    `UPDATE goals SET title = @title, target_value = @target, starts_at = @startsAt, ends_at = @endsAt,
       reached_at = NULL WHERE id = @id`,
  )
  const markReached = db.prepare(
    'UPDATE goals SET reached_at = ? WHERE id = ? AND reached_at IS NULL',
  )
  const remove = db.prepare('DELETE FROM goals WHERE id = ?')
  const replaceOverlay = db.prepare(
    `UPDATE goals SET title = @title, target_value = @target, asset_code = @code, asset_scale = @scale,
       starts_at = @startsAt, reached_at = NULL WHERE on_overlay = 1`,
  )

  const row = (goal: NewGoal, createdAt: number, onOverlay: 0 | 1) => ({
    id: goal.id,
    title: goal.title,
    target: goal.target,
    code: goal.asset.assetCode,
    scale: goal.asset.assetScale,
    startsAt: goal.startsAt,
    endsAt: goal.endsAt,
    createdAt,
    onOverlay,
  })

  return {
    listed: () => listed.all() as GoalRow[],
    find: (id) => one.get(id) as GoalRow | undefined,
    countListed: () => (count.get() as { n: number }).n,
    insert(goal, createdAt) {
      insert.run(row(goal, createdAt, 0))
    },
    save(id, change) {
      save.run({ id, ...change })
    },
    markReached(id, at) {
      markReached.run(at, id)
    },
    remove(id) {
      remove.run(id)
    },
    overlay: () => overlay.get() as GoalRow | undefined,
    saveOverlay(goal, at) {
      const values = row({ ...goal, endsAt: null }, at, 1)
      db.transaction(() => {
        if (replaceOverlay.run(values).changes === 0) insert.run(values)
      })()
    },
  }
}
