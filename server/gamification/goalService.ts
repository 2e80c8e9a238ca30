import { randomUUID } from 'node:crypto'
import type { Amount, Asset } from '../contracts/common.js'
import type { GoalInput, GoalView } from '../contracts/gamification.js'
import { decimalToMinor, makeAmount, minorToDecimal, MoneyFormatError } from '../contracts/money.js'
import type { EventBus } from '../events/bus.js'
import type { SupportTotals } from '../support/totalsRepository.js'
import { GamificationError, GamificationErrorCode as Code } from './errors.js'
import type { GoalRepository, GoalRow } from './goalRepository.js'

export const DAY_MS = 86_400_000

/** The goal overlay's goal as its display settings write it (`/api/overlays/display`). */
export interface OverlayGoalSettings {
  title: string
  /** A plain decimal in the streamer's currency ("80", "12.5"). */
  target: string
  /** ISO time from which support counts. */
  startAt: string
}

/** What the goal overlay shows: its settings, and the figures in the streamer's asset. */
export interface OverlayGoal extends OverlayGoalSettings {
  /** Zero when the target does not fit the streamer's asset (the wallet changed scale). */
  targetAmount: Amount
  raised: Amount
}

export interface GoalService {
  list(): GoalView[]
  get(id: string): GoalView
  create(input: GoalInput): GoalView
  update(id: string, patch: Partial<GoalInput>): GoalView
  remove(id: string): void
  /** After new support: emits 'goal.progress' for running goals and 'goal.reached' once per goal. */
  refresh(): void
  /**
   * The goal the goal overlay shows: the one set for it, else a default ("Stream goal", 100 from the
   * start of today), which is not stored until the streamer saves the overlay's settings.
   */
  overlayGoal(): OverlayGoal
  /** Sets the overlay's goal (the target in the streamer's asset, more than zero). */
  setOverlayGoal(settings: OverlayGoalSettings): OverlayGoal
}

export interface GoalDeps {
  goals: GoalRepository
  /** The ledger's totals: a goal's progress. */
  totals: Pick<SupportTotals, 'raised'>
  bus: EventBus
  streamerAsset(): Asset
  now?(): number
}

const MAX_GOALS = 50
const OPEN_END = Number.MAX_SAFE_INTEGER

function parseTime(value: string, field: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms))
    throw new GamificationError(Code.InvalidGoal, `${field} is not an ISO date-time`, field)
  return ms
}

/** Minor units as the overlay settings write amounts: "80" for 80.00, "12.5" for 12.50. */
function plainDecimal(value: bigint, scale: number): string {
  const text = minorToDecimal(value, scale)
  return scale > 0 ? text.replace(/\.?0+$/, '') : text
}

function startOfToday(at: number): string {
  const day = new Date(at)
  day.setHours(0, 0, 0, 0)
  return day.toISOString()
}

/**
 * Goals: a target in the streamer's asset from a start time (optionally to an end). Progress is real
 * support in that asset, from the ledger's totals (server/support/totalsRepository.ts): whole hours
 * from the hourly rollup, the partial first and last hours from the events. The goal overlay's goal is
 * one of them (see `overlayGoal`).
 */
export function createGoalService(deps: GoalDeps): GoalService {
  const { goals, bus } = deps
  const now = deps.now ?? Date.now

  function toView(row: GoalRow): GoalView {
    const scale = Number(row.asset_scale)
    const asset = { assetCode: row.asset_code, assetScale: scale }
    // Support after the end does not count; an open goal counts everything (future-dated too).
    const end = row.ends_at === null ? OPEN_END : Number(row.ends_at)
    const sum = deps.totals.raised(asset, Number(row.starts_at), end)
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
      supportCount: sum.count,
      startsAt: new Date(Number(row.starts_at)).toISOString(),
      endsAt: row.ends_at === null ? null : new Date(Number(row.ends_at)).toISOString(),
      reached: sum.total >= row.target_value,
      reachedAt: row.reached_at === null ? null : new Date(Number(row.reached_at)).toISOString(),
    }
  }

  function find(id: string): GoalRow {
    const row = goals.find(id)
    if (!row) throw new GamificationError(Code.GoalNotFound, `No goal with id "${id}"`, 'params.id')
    return row
  }

  function parseTarget(value: number | string, scale: number, field = 'body.target'): bigint {
    let target: bigint
    try {
      target = decimalToMinor(value, scale)
    } catch (error) {
      if (error instanceof MoneyFormatError)
        throw new GamificationError(Code.InvalidAmount, `${field}: ${error.message}`, field)
      throw error
    }
    if (target <= 0n)
      throw new GamificationError(Code.InvalidAmount, `${field} must be more than zero`, field)
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
      goals.markReached(row.id, at)
      return { view: { ...view, reachedAt: new Date(at).toISOString() }, justReached: true }
    }
    return { view, justReached: false }
  }

  function announce(id: string): GoalView {
    const { view, justReached } = settle(find(id))
    bus.emit('goal.progress', view)
    if (justReached) bus.emit('goal.reached', view)
    return view
  }

  function overlayGoal(): OverlayGoal {
    const row = goals.overlay()
    const settings: OverlayGoalSettings = row
      ? {
          title: row.title,
          target: plainDecimal(row.target_value, Number(row.asset_scale)),
          startAt: new Date(Number(row.starts_at)).toISOString(),
        }
      : { title: 'Stream goal', target: '100', startAt: startOfToday(now()) }
    // The overlay reads its target in the streamer's asset of the moment, as it always has.
    const asset = deps.streamerAsset()
    let target = 0n
    try {
      target = decimalToMinor(settings.target, asset.assetScale)
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error
    }
    const raised = deps.totals.raised(asset, Date.parse(settings.startAt), OPEN_END)
    return {
      ...settings,
      targetAmount: makeAmount(target, asset.assetCode, asset.assetScale),
      raised: makeAmount(raised.total, asset.assetCode, asset.assetScale),
    }
  }

  return {
    list() {
      return goals.listed().map((row) => settle(row).view)
    },
    get(id) {
      return settle(find(id)).view
    },
    create(input) {
      if (goals.countListed() >= MAX_GOALS)
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
      goals.insert({ id, title: cleanTitle(input.title), target, asset, startsAt, endsAt }, now())
      return announce(id)
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
      goals.save(id, { title, target, startsAt, endsAt })
      return announce(id)
    },
    remove(id) {
      find(id)
      goals.remove(id)
    },
    refresh() {
      const at = now()
      for (const row of goals.listed()) {
        if (Number(row.starts_at) > at) continue
        if (row.ends_at !== null && Number(row.ends_at) < at - DAY_MS) continue
        const { view, justReached } = settle(row)
        bus.emit('goal.progress', view)
        if (justReached) bus.emit('goal.reached', view)
      }
    },
    overlayGoal,
    setOverlayGoal(settings) {
      const asset = deps.streamerAsset()
      const target = parseTarget(settings.target, asset.assetScale, 'body.goal.target')
      const startsAt = parseTime(settings.startAt, 'body.goal.startAt')
      goals.saveOverlay({ id: randomUUID(), title: settings.title, target, asset, startsAt }, now())
      return overlayGoal()
    },
  }
}
