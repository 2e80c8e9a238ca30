import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Asset } from '../contracts/common.js'
import type { LabelFormats, LabelId, LabelsResponse } from '../contracts/labels.js'
import { LABEL_IDS } from '../contracts/labels.js'
import { formatAmount, makeAmount } from '../contracts/money.js'
import type { OverlayGoal } from '../gamification/goalService.js'
import type { SupportReadModels } from '../support/readModels.js'

const TWELVE_HOURS = 12 * 3_600_000

const LABELS: Record<LabelId, { title: string; placeholders: string[] }> = {
  'latest-tipper': { title: 'Latest tipper', placeholders: ['name'] },
  'latest-tip': { title: 'Latest tip amount', placeholders: ['name', 'amount'] },
  'top-supporter': { title: 'Top supporter of the stream', placeholders: ['name', 'amount'] },
  'session-total': { title: 'Session total', placeholders: ['amount'] },
  'goal-progress': {
    title: 'Goal progress',
    placeholders: ['title', 'current', 'target', 'percent'],
  },
  'web-monetization': { title: 'Web Monetization this stream', placeholders: ['amount'] },
  timer: { title: 'Subathon timer', placeholders: ['time'] },
}

export interface LabelServiceDeps {
  dataDir: string
  formats(): LabelFormats
  support: Pick<SupportReadModels, 'totals' | 'supporters' | 'eventLog' | 'identity'>
  goal(): Pick<OverlayGoal, 'title' | 'targetAmount' | 'raised'> | null
  streamerAsset(): Asset
  liveStreamId(): string | null
  /** Names as the overlays show them: cleaned, blocked words masked, "Anonymous" when empty. */
  displayName(name: string | null): string
  /** The subathon timer's text ("1:02:03"), or "" when it is not running. */
  timerText(): string
  now?: () => number
}

export interface LabelService {
  /** Recomputes the named labels (all when none) and rewrites the files whose text changed. */
  update(ids?: readonly LabelId[]): void
  list(): LabelsResponse
  directory: string
}

/** Fills `{key}` placeholders; an unknown one stays as typed, so a typo shows in OBS. */
export function renderLabel(format: string, values: Record<string, string>): string {
  return format.replace(/\{([a-z]+)\}/g, (match, key: string) => values[key] ?? match)
}

/**
 * Writes `text` to `file` so a reader sees the old or the new text, never a part: a temporary file
 * beside it, then a rename over it (atomic on one file system, also on Windows for an existing file).
 */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    fs.writeFileSync(temp, text, 'utf8')
    fs.renameSync(temp, file)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw error
  }
}

/**
 * Stream labels: a text file per figure in `<data dir>/labels/`, rewritten atomically whenever its text
 * changes. Values come from the support ledger's reads; "this stream" is the live stream, else the last
 * 12 hours (as the leaderboard overlay does).
 */
export function createLabelService(deps: LabelServiceDeps): LabelService {
  const now = deps.now ?? Date.now
  const directory = path.join(deps.dataDir, 'labels')
  const written = new Map<LabelId, string>()
  const fileOf = (id: LabelId) => path.join(directory, `${id}.txt`)

  function streamScope(): { streamId: string } | { since: number } {
    const streamId = deps.liveStreamId()
    return streamId !== null ? { streamId } : { since: now() - TWELVE_HOURS }
  }

  function totalThisStream(asset: Asset, kind?: 'web-monetization'): string {
    const streamId = deps.liveStreamId()
    const rows = deps.support.totals.byKind({
      asset,
      streamId,
      from: streamId === null ? now() - TWELVE_HOURS : null,
    })
    const total = rows
      .filter((row) => kind === undefined || row.kind === kind)
      .reduce((sum, row) => sum + row.total, 0n)
    return formatAmount(makeAmount(total, asset.assetCode, asset.assetScale))
  }

  function values(id: LabelId): Record<string, string> | null {
    const asset = deps.streamerAsset()
    switch (id) {
      case 'latest-tipper':
      case 'latest-tip': {
        const [latest] = deps.support.eventLog.page({ kind: 'tip' }, { limit: 1 }).events
        if (!latest) return null
        return { name: deps.displayName(latest.supporterName), amount: formatAmount(latest.amount) }
      }
      case 'top-supporter': {
        const [top] = deps.support.supporters.rank(streamScope(), asset, 'total', 1)
        if (!top) return null
        return {
          name: deps.displayName(deps.support.identity.shownName(top.supporterId, top.chosenName)),
          amount: formatAmount(makeAmount(top.total, asset.assetCode, asset.assetScale)),
        }
      }
      case 'session-total':
        return { amount: totalThisStream(asset) }
      case 'web-monetization':
        return { amount: totalThisStream(asset, 'web-monetization') }
      case 'goal-progress': {
        const goal = deps.goal()
        if (!goal) return null
        const target = BigInt(goal.targetAmount.value)
        const raised = BigInt(goal.raised.value)
        const percent = target <= 0n ? 100n : (raised * 100n) / target
        return {
          title: goal.title,
          current: formatAmount(goal.raised),
          target: formatAmount(goal.targetAmount),
          percent: `${percent}%`,
        }
      }
      case 'timer': {
        const time = deps.timerText()
        return time === '' ? null : { time }
      }
    }
  }

  function textOf(id: LabelId): string {
    const filled = values(id)
    return filled === null ? '' : renderLabel(deps.formats()[id], filled)
  }

  function update(ids: readonly LabelId[] = LABEL_IDS): void {
    fs.mkdirSync(directory, { recursive: true })
    for (const id of ids) {
      const text = textOf(id)
      if (written.get(id) === text && fs.existsSync(fileOf(id))) continue
      writeFileAtomic(fileOf(id), text)
      written.set(id, text)
    }
  }

  return {
    directory,
    update,
    list() {
      const formats = deps.formats()
      return {
        directory,
        labels: LABEL_IDS.map((id) => ({
          id,
          title: LABELS[id].title,
          path: fileOf(id),
          format: formats[id],
          placeholders: LABELS[id].placeholders.map((name) => `{${name}}`),
          text: written.get(id) ?? textOf(id),
        })),
      }
    },
  }
}
