import { randomUUID } from 'node:crypto'
import type { StreamerAsset } from '../app/infrastructure.js'
import { decimalToMinor, makeAmount, MoneyFormatError } from '../contracts/money.js'
import type { GoalInput, GoalView } from '../contracts/gamification.js'
import type { EventBus } from '../events/bus.js'
import type { Db } from '../storage/db.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import { DAY_MS } from './leaderboards.js'

export interface GoalService {
  list(): GoalView[]
  get(id: string): GoalView
  create(input: GoalInput): GoalView
  update(id: string, patch: Partial<GoalInput>): GoalView
  remove(id: string): void
  /** After new support: emits 'goal.progress' for running goals and 'goal.reached' once per goal. */
  refresh(): void
}

export interface GoalDeps {
  db: Db
  bus: EventBus
  streamerAsset(): StreamerAsset
  now?(): number
}

interface GoalRow {
  id: string
  title: string
  target_value: bigint
  asset_code: string
  asset_scale: bigint
  starts_at: bigint
  ends_at: bigint | null
  reached_at: bigint | null
}

const MAX_GOALS = 50

function parseTime(value: string, field: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms))
    throw new GamificationError(Code.InvalidGoal, `${field} is not an ISO date-time`, field)
  return ms
}

/**
 * Goals: a target in the streamer's asset from a start time (optionally to an end). Progress is verified
 * support in that asset: whole days from the daily totals table, the partial first and last days from
 * the events themselves (an indexed range), so a year-old goal costs a few hundred rows at most.
 */
export function createGoalService(deps: GoalDeps): GoalService {
  const { db, bus } = deps
  const now = deps.now ?? Date.now
  const columns = 'id, title, target_value, asset_code, asset_scale, starts_at, ends_at, reached_at'
  const all = db
    .prepare(`SELECT ${columns} FROM goals ORDER BY starts_at DESC, id`)
    .safeIntegers(true)
  const one = db.prepare(`SELECT ${columns} FROM goals WHERE id = ?`).safeIntegers(true)
  const count = db.prepare('SELECT COUNT(*) AS n FROM goals')
  const insert = db.prepare(
    `INSERT INTO goals (id, title, target_value, asset_code, asset_scale, starts_at, ends_at, reached_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  )
  const save = db.prepare(
    'UPDATE goals SET title = ?, target_value = ?, starts_at = ?, ends_at = ?, reached_at = ? WHERE id = ?',
  )
  const markReached = db.prepare(
    'UPDATE goals SET reached_at = ? WHERE id = ? AND reached_at IS NULL',
  )
  const remove = db.prepare('DELETE FROM goals WHERE id = ?')
  const rawSum = db
    .prepare(
      `SELECT COALESCE(SUM(amount_value), 0) AS total, COUNT(*) AS n FROM support_events
       WHERE is_test = 0 AND occurred_at >= ? AND occurred_at < ? AND asset_code = ? AND asset_scale = ?
         AND amount_value > 0`,
    )
    .safeIntegers(true)
  const daySum = db
    .prepare(
      `SELECT COALESCE(SUM(total_value), 0) AS total, COALESCE(SUM(support_count), 0) AS n
       FROM support_daily_totals WHERE asset_code = ? AND asset_scale = ? AND day >= ? AND day < ?`,
    )
    .safeIntegers(true)

  /** Verified support in [from, to) for one asset. */
  function raised(
    from: number,
    to: number,
    code: string,
    scale: number,
  ): { total: bigint; n: bigint } {
    const firstFullDay = Math.ceil(from / DAY_MS)
    const lastFullDayEnd = Math.floor(to / DAY_MS)
    if (firstFullDay >= lastFullDayEnd)
      return rawSum.get(from, to, code, scale) as { total: bigint; n: bigint }
    const head = rawSum.get(from, firstFullDay * DAY_MS, code, scale) as {
      total: bigint
      n: bigint
    }
    const body = daySum.get(code, scale, firstFullDay, lastFullDayEnd) as {
      total: bigint
      n: bigint
    }
    const tail = rawSum.get(lastFullDayEnd * DAY_MS, to, code, scale) as {
      total: bigint
      n: bigint
    }
    return { total: head.total + body.total + tail.total, n: head.n + body.n + tail.n }
  }

  function toView(row: GoalRow): GoalView {
    const scale = Number(row.asset_scale)
    // Support after the end does not count; an open goal counts everything (future-dated too).
    const end = row.ends_at === null ? Number.MAX_SAFE_INTEGER : Number(row.ends_at)
    const sum = raised(Number(row.starts_at), end, row.asset_code, scale)
    const fraction =
      sum.total >= row.target_value
        ? 1
        : Number((sum.total * 1_000_000n) / row.target_value) / 1_000_000
    return {
      id: row.id,
      title: row.title,
      target: makeAmount(row.target_value, row.asset_code, scale),
      raised: makeAmount(sum.total, row.asset_code, scale),
      fraction,
      supportCount: Number(sum.n),
      startsAt: new Date(Number(row.starts_at)).toISOString(),
      endsAt: row.ends_at === null ? null : new Date(Number(row.ends_at)).toISOString(),
      reached: sum.total >= row.target_value,
      reachedAt: row.reached_at === null ? null : new Date(Number(row.reached_at)).toISOString(),
    }
  }

  function find(id: string): GoalRow {
    const row = one.get(id) as GoalRow | undefined
    if (!row) throw new GamificationError(Code.GoalNotFound, `No goal with id "${id}"`, 'params.id')
    return row
  }

  function parseTarget(value: number | string, scale: number): bigint {
    let target: bigint
    try {
      target = decimalToMinor(value, scale)
    } catch (error) {
      if (error instanceof MoneyFormatError)
        throw new GamificationError(
          Code.InvalidAmount,
          `body.target: ${error.message}`,
          'body.target',
        )
      throw error
    }
    if (target <= 0n)
      throw new GamificationError(
        Code.InvalidAmount,
        'body.target must be more than zero',
        'body.target',
      )
    return target
  }

  function cleanTitle(title: string): string {
    // eslint-disable-next-line no-control-regex
    const cleaned = title.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()
    if (!cleaned)
      throw new GamificationError(Code.InvalidGoal, 'body.title must not be empty', 'body.title')
    return [...cleaned].slice(0, 80).join('')
  }

  function checkWindow(startsAt: number, endsAt: number | null): void {
    if (endsAt !== null && endsAt <= startsAt)
      throw new GamificationError(
        Code.InvalidGoal,
        'body.endsAt must be after body.startsAt',
        'body.endsAt',
      )
  }

  /** Stamps reached_at the first time a goal is seen reached; returns the view and whether it just happened. */
  function settle(row: GoalRow): { view: GoalView; justReached: boolean } {
    const view = toView(row)
    if (view.reached && row.reached_at === null) {
      const at = now()
      markReached.run(at, row.id)
      return { view: { ...view, reachedAt: new Date(at).toISOString() }, justReached: true }
    }
    return { view, justReached: false }
  }

  return {
    list() {
      return (all.all() as GoalRow[]).map((row) => settle(row).view)
    },
    get(id) {
      return settle(find(id)).view
    },
    create(input) {
      if ((count.get() as { n: number }).n >= MAX_GOALS)
        throw new GamificationError(
          Code.InvalidGoal,
          `At most ${MAX_GOALS} goals; delete an old one first`,
          'body',
        )
      const asset = deps.streamerAsset()
      const target = parseTarget(input.target, asset.assetScale)
      const startsAt =
        input.startsAt === undefined ? now() : parseTime(input.startsAt, 'body.startsAt')
      const endsAt =
        input.endsAt === undefined || input.endsAt === null
          ? null
          : parseTime(input.endsAt, 'body.endsAt')
      checkWindow(startsAt, endsAt)
      const id = randomUUID()
      insert.run(
        id,
        cleanTitle(input.title),
        target,
        asset.assetCode,
        asset.assetScale,
        startsAt,
        endsAt,
        now(),
      )
      const { view, justReached } = settle(find(id))
      bus.emit('goal.progress', view)
      if (justReached) bus.emit('goal.reached', view)
      return view
    },
    update(id, patch) {
      const row = find(id)
      const scale = Number(row.asset_scale)
      const title = patch.title === undefined ? row.title : cleanTitle(patch.title)
      const target =
        patch.target === undefined ? row.target_value : parseTarget(patch.target, scale)
      const startsAt =
        patch.startsAt === undefined
          ? Number(row.starts_at)
          : parseTime(patch.startsAt, 'body.startsAt')
      const endsAt =
        patch.endsAt === undefined
          ? row.ends_at === null
            ? null
            : Number(row.ends_at)
          : patch.endsAt === null
            ? null
            : parseTime(patch.endsAt, 'body.endsAt')
      checkWindow(startsAt, endsAt)
      // A changed target or window may un-reach the goal: it is announced again when reached.
      save.run(title, target, startsAt, endsAt, null, id)
      const { view, justReached } = settle(find(id))
      bus.emit('goal.progress', view)
      if (justReached) bus.emit('goal.reached', view)
      return view
    },
    remove(id) {
      find(id)
      remove.run(id)
    },
    refresh() {
      const at = now()
      for (const row of all.all() as GoalRow[]) {
        if (Number(row.starts_at) > at) continue
        if (row.ends_at !== null && Number(row.ends_at) < at - DAY_MS) continue
        const { view, justReached } = settle(row)
        bus.emit('goal.progress', view)
        if (justReached) bus.emit('goal.reached', view)
      }
    },
  }
}
