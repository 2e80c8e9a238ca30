import { useState } from 'react'
import type { LeaderboardWindow } from '../../../server/contracts/gamification.js'
import { gamification } from '../api/endpoints.js'
import { Card, EmptyState, ErrorNote, Loading, PageHeader, ResourceView } from '../components/ui.js'
import { useLiveEvents } from '../live/hooks.js'
import { formatAmount, formatDateTime } from '../lib/format.js'
import { useResource } from '../lib/useResource.js'

const WINDOWS: { id: LeaderboardWindow; label: string }[] = [
  { id: 'stream', label: 'This stream' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: 'all', label: 'All time' },
]

interface Row {
  key: string
  rank: number
  name: string
  total: string
  count: number
  last: string
}

export function SupportersPage() {
  const [period, setPeriod] = useState<LeaderboardWindow>('all')
  const [tick, setTick] = useState(0)
  useLiveEvents(
    ['support.recorded', 'leaderboard.updated', 'supporter.levelUp', 'reconnected'],
    () => setTick((n) => n + 1),
  )
  // Ranked and named by the support ledger's one rule, like the dashboard's top supporters.
  const board = useResource<Row[] | 'no-stream'>(async () => {
    const view = await gamification.leaderboard(period)
    if (period === 'stream' && !view.streamId) return 'no-stream'
    return view.entries.map((e) => ({
      key: e.supporterId,
      rank: e.rank,
      name: e.displayName,
      total: formatAmount(e.total),
      count: e.supportCount,
      last: e.lastSupportAt,
    }))
  }, [period, tick])
  const path = useResource(() => gamification.gifterPath(), [])

  return (
    <div className="page supporters">
      <PageHeader title="Supporters" />
      <Card
        title="Leaderboard"
        actions={
          <div className="segmented" role="radiogroup" aria-label="Leaderboard period">
            {WINDOWS.map((w) => (
              <button
                key={w.id}
                type="button"
                role="radio"
                aria-checked={period === w.id}
                onClick={() => setPeriod(w.id)}
              >
                {w.label}
              </button>
            ))}
          </div>
        }
      >
        <ResourceView resource={board.resource} what="the leaderboard" onRetry={board.reload}>
          {(rows) =>
            rows === 'no-stream' ? (
              <EmptyState title="No stream is live right now.">
                The stream leaderboard fills when Owncast or OSP tells WM Companion a stream started
                (set the webhook up on the Integrations page).
              </EmptyState>
            ) : rows.length === 0 ? (
              <EmptyState title="No supporters yet.">
                Share your tip page from the Integrations page; supporters are ranked here by what
                they gave.
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="figures" data-testid="leaderboard">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Supporter</th>
                      <th scope="col">Total</th>
                      <th scope="col">Supports</th>
                      <th scope="col">Last</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.key}>
                        <td>{row.rank}</td>
                        <th scope="row">{row.name}</th>
                        <td className="num">{row.total}</td>
                        <td className="num">{row.count}</td>
                        <td>{formatDateTime(row.last)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </ResourceView>
      </Card>
      <Card title="Gifter path (levels)">
        {path.resource.state === 'loading' ? (
          <Loading what="the levels" />
        ) : path.resource.state === 'error' ? (
          <ErrorNote error={path.resource.error} what="the gifter path" onRetry={path.reload} />
        ) : path.resource.data.levels.length === 0 ? (
          <EmptyState title="No levels defined.">Set the gifter path up in Settings.</EmptyState>
        ) : (
          <ol className="levels">
            {path.resource.data.levels.map((level) => (
              <li key={level.level}>
                <span className="level-icon" aria-hidden="true">
                  {level.icon}
                </span>
                <span className="level-name">
                  Level {level.level}: {level.name}
                </span>
                <span className="muted">from {formatAmount(level.threshold)}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  )
}
