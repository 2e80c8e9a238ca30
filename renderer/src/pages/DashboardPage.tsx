import { useEffect, useMemo, useRef, useState } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type {
  AnalyticsSeries,
  AnalyticsSummary,
  Timeframe,
} from '../../../server/contracts/analytics.js'
import { SUPPORT_KINDS, TIMEFRAMES } from '../../../server/contracts/analyticsLists.js'
import type { SupportEventView } from '../../../server/contracts/api.js'
import { analytics } from '../api/endpoints.js'
import { ObsStatusLine } from '../components/ObsStatusLine.js'
import { Card, EmptyState, PageHeader, ResourceView } from '../components/ui.js'
import { TipPageLink } from '../components/TipPageLink.js'
import { StreamingNowLine } from '../components/WebMonetizationCard.js'
import { useLiveEvents } from '../live/hooks.js'
import {
  compactCurrency,
  formatAmount,
  formatBucket,
  formatCount,
  formatDateTime,
  formatMinor,
  formatTime,
  countOf,
  formatAverage,
  KIND_LABELS,
  KIND_NAMES,
  minorToChartNumber,
  TIMEFRAME_LABELS,
} from '../lib/format.js'
import { useResource } from '../lib/useResource.js'

/** A fallback when a support event reaches the database without a bus event (another process). */
const POLL_MS = 10_000

const KIND_COLORS = {
  tip: 'var(--chart-tip)',
  'web-monetization': 'var(--chart-wm)',
  redemption: 'var(--chart-redemption)',
} as const

export default function DashboardPage() {
  const [timeframe, setTimeframe] = useState<Timeframe>('last_7d')
  const [streamId, setStreamId] = useState<string>('')
  const [metric, setMetric] = useState<'amount' | 'count'>('amount')
  const [updatedAt, setUpdatedAt] = useState(() => Date.now())
  const [announcement, setAnnouncement] = useState('')

  const overview = useResource(() => analytics.overview(), [updatedAt])
  const summary = useResource(
    () => analytics.summary(timeframe, streamId || null),
    [timeframe, streamId, updatedAt],
  )
  const series = useResource(
    () => analytics.series(timeframe, streamId || null),
    [timeframe, streamId, updatedAt],
  )
  const top = useResource(() => analytics.topSupporters(timeframe, 10), [timeframe, updatedAt])
  const streams = useResource(() => analytics.streams(), [updatedAt])

  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const refreshSoon = () => {
    clearTimeout(refreshTimer.current)
    refreshTimer.current = setTimeout(() => setUpdatedAt(Date.now()), 200)
  }
  useLiveEvents(['support.recorded', 'reconnected'], (name, payload) => {
    if (name !== 'reconnected' && payload && !(payload as SupportEventView).isTest) {
      const event = payload as SupportEventView
      setAnnouncement(
        `New ${KIND_NAMES[event.kind].toLowerCase()}: ${formatAmount(event.amount)}${event.supporterName ? ` from ${event.supporterName}` : ''}`,
      )
    }
    refreshSoon()
  })
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setUpdatedAt(Date.now())
    }, POLL_MS)
    return () => {
      clearInterval(timer)
      clearTimeout(refreshTimer.current)
    }
  }, [])

  return (
    <div className="page dashboard">
      <PageHeader title="Dashboard">
        <span className="muted small" aria-live="off">
          Updated {formatTime(updatedAt)}
        </span>
      </PageHeader>
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>

      <ObsStatusLine hideWhenOff />
      <StreamingNowLine />
      <ResourceView
        resource={overview.resource}
        what="the live stream's total"
        onRetry={overview.reload}
      >
        {(data) =>
          data.live ? (
            <Card title="Live stream" className="live-card">
              <p className="big-figure" data-testid="live-total">
                {formatAmount(data.live.total)}
              </p>
              <p className="muted">
                {countOf(data.live.eventCount, 'support', 'supports')} from{' '}
                {countOf(data.live.uniqueSupporters, 'supporter', 'supporters')} this stream (
                {data.live.streamId}).
              </p>
            </Card>
          ) : null
        }
      </ResourceView>

      <div className="toolbar" role="group" aria-label="Time frame and stream">
        <div className="segmented" role="radiogroup" aria-label="Time frame">
          {TIMEFRAMES.map((option) => (
            <button
              key={option}
              type="button"
              role="radio"
              aria-checked={timeframe === option}
              onClick={() => setTimeframe(option)}
            >
              {TIMEFRAME_LABELS[option]}
            </button>
          ))}
        </div>
        <label className="inline-field">
          Stream{' '}
          <select value={streamId} onChange={(event) => setStreamId(event.target.value)}>
            <option value="">All streams</option>
            {(streams.resource.data?.streams ?? []).map((stream) => (
              <option key={stream.streamId} value={stream.streamId}>
                {stream.title ?? stream.streamId}
                {stream.startedAt ? ` (${formatDateTime(stream.startedAt)})` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>

      <Card title="Tip page">
        <TipPageLink id="dashboard-tip-url" />
      </Card>

      <ResourceView resource={summary.resource} what="the figures" onRetry={summary.reload}>
        {(data) => <SummaryCards summary={data} />}
      </ResourceView>

      <Card
        title={`Support over time: ${TIMEFRAME_LABELS[timeframe].toLowerCase()}`}
        actions={
          <div className="segmented" role="radiogroup" aria-label="Chart shows">
            <button
              type="button"
              role="radio"
              aria-checked={metric === 'amount'}
              onClick={() => setMetric('amount')}
            >
              Amount
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={metric === 'count'}
              onClick={() => setMetric('count')}
            >
              Count
            </button>
          </div>
        }
      >
        <ResourceView resource={series.resource} what="the chart" onRetry={series.reload}>
          {(data) => <SeriesChart series={data} metric={metric} />}
        </ResourceView>
      </Card>

      <div className="grid-2">
        <Card title="At a glance">
          <ResourceView resource={overview.resource} what="the totals" onRetry={overview.reload}>
            {(data) => (
              <div className="table-wrap">
                <table className="figures" data-testid="glance">
                  <thead>
                    <tr>
                      <th scope="col">Time frame</th>
                      <th scope="col">Total</th>
                      <th scope="col">Supports</th>
                      <th scope="col">Supporters</th>
                      <th scope="col">Average</th>
                    </tr>
                  </thead>
                  <tbody>
                    {TIMEFRAMES.map((option) => {
                      const figures = data.timeframes[option]
                      return (
                        <tr key={option}>
                          <th scope="row">{TIMEFRAME_LABELS[option]}</th>
                          <td>{formatAmount(figures.total)}</td>
                          <td>{formatCount(figures.eventCount)}</td>
                          <td>{formatCount(figures.uniqueSupporters)}</td>
                          <td>{formatAverage(figures.average, figures.eventCount)}</td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </ResourceView>
        </Card>
        <Card title={`Top supporters: ${TIMEFRAME_LABELS[timeframe].toLowerCase()}`}>
          <ResourceView resource={top.resource} what="top supporters" onRetry={top.reload}>
            {(data) =>
              data.supporters.length === 0 ? (
                <EmptyState title="No supporters in this time frame yet.">
                  Share your tip page (Integrations) or add the alert overlay to OBS (Overlays); the
                  first tip shows up here straight away.
                </EmptyState>
              ) : (
                <ol className="top-list">
                  {data.supporters.map((supporter, index) => (
                    <li key={`${supporter.name}-${index}`}>
                      <span className="rank">{index + 1}</span>
                      <span className="name">{supporter.name}</span>
                      <span className="amount">{formatAmount(supporter.total)}</span>
                      <span className="muted small">{formatCount(supporter.eventCount)}×</span>
                    </li>
                  ))}
                </ol>
              )
            }
          </ResourceView>
        </Card>
      </div>

      {streams.resource.state === 'ready' && streams.resource.data.streams.length > 0 ? (
        <Card title="Per stream">
          <div className="table-wrap">
            <table className="figures">
              <thead>
                <tr>
                  <th scope="col">Stream</th>
                  <th scope="col">Started</th>
                  <th scope="col">Total</th>
                  <th scope="col">Supports</th>
                </tr>
              </thead>
              <tbody>
                {streams.resource.data.streams.map((stream) => (
                  <tr key={stream.streamId}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link"
                        onClick={() => setStreamId(stream.streamId)}
                      >
                        {stream.title ?? stream.streamId}
                      </button>
                    </th>
                    <td>{stream.startedAt ? formatDateTime(stream.startedAt) : '—'}</td>
                    <td>{formatAmount(stream.total)}</td>
                    <td>{formatCount(stream.eventCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </div>
  )
}

function SummaryCards({ summary }: { summary: AnalyticsSummary }) {
  return (
    <div
      className="stat-grid"
      data-testid="summary"
      data-total-minor={summary.total.value}
      data-count={summary.eventCount}
    >
      <Stat label="Total" value={formatAmount(summary.total)} testId="stat-total" />
      <Stat label="Supports" value={formatCount(summary.eventCount)} testId="stat-count" />
      <Stat
        label="Unique supporters"
        value={formatCount(summary.uniqueSupporters)}
        testId="stat-unique"
      />
      <Stat
        label="Average"
        value={formatAverage(summary.average, summary.eventCount)}
        testId="stat-average"
      />
    </div>
  )
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  )
}

interface ChartRow {
  t: number
  label: string
  tip: number
  'web-monetization': number
  redemption: number
}

function SeriesChart({ series, metric }: { series: AnalyticsSeries; metric: 'amount' | 'count' }) {
  const rows = useMemo<ChartRow[]>(
    () =>
      series.points.map((point) => ({
        t: point.t,
        label: formatBucket(point.t, series.bucket),
        tip:
          metric === 'amount'
            ? minorToChartNumber(point.values.tip, series.assetScale)
            : point.counts.tip,
        'web-monetization':
          metric === 'amount'
            ? minorToChartNumber(point.values['web-monetization'], series.assetScale)
            : point.counts['web-monetization'],
        redemption:
          metric === 'amount'
            ? minorToChartNumber(point.values.redemption, series.assetScale)
            : point.counts.redemption,
      })),
    [series, metric],
  )
  const nonEmpty = series.points.filter((point) => point.eventCount > 0)
  const formatValue = (value: number) =>
    metric === 'amount'
      ? formatAmount({
          value: Math.round(value * 10 ** series.assetScale).toString(),
          assetCode: series.currency,
          assetScale: series.assetScale,
        })
      : formatCount(value)

  return (
    <figure
      className="chart"
      data-testid="chart"
      data-points={nonEmpty.length}
      data-bucket={series.bucket}
    >
      {nonEmpty.length === 0 ? (
        <EmptyState title="No support in this time frame yet.">
          Tips, Web Monetization payments and redemptions appear here as they arrive. To rehearse,
          use “Try a sandbox tip” under Tip page above (with the sandbox chosen in Setup).
        </EmptyState>
      ) : null}
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis dataKey="label" tick={{ fill: 'var(--muted)', fontSize: 12 }} minTickGap={24} />
            <YAxis
              tick={{ fill: 'var(--muted)', fontSize: 12 }}
              allowDecimals={metric === 'amount'}
              tickFormatter={(value: number) =>
                metric === 'amount' ? compactCurrency(value, series.currency) : formatCount(value)
              }
              width={64}
            />
            <Tooltip
              formatter={(value) => formatValue(Number(value))}
              contentStyle={{
                background: 'var(--surface)',
                border: '1px solid var(--border)',
                color: 'var(--text)',
              }}
              cursor={{ fill: 'var(--hover)' }}
            />
            <Legend />
            {SUPPORT_KINDS.map((kind) => (
              <Bar
                key={kind}
                dataKey={kind}
                name={KIND_LABELS[kind]}
                stackId="support"
                fill={KIND_COLORS[kind]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption>
        <details>
          <summary>Show the chart&apos;s data as a table</summary>
          <div className="table-wrap">
            <table className="figures" data-testid="series-table">
              <caption className="sr-only">
                Support per {series.bucket}, periods without support left out
              </caption>
              <thead>
                <tr>
                  <th scope="col">{series.bucket === 'hour' ? 'Hour' : 'Day'}</th>
                  {SUPPORT_KINDS.map((kind) => (
                    <th scope="col" key={kind}>
                      {KIND_LABELS[kind]}
                    </th>
                  ))}
                  <th scope="col">Total</th>
                  <th scope="col">Count</th>
                </tr>
              </thead>
              <tbody>
                {nonEmpty.map((point) => (
                  <tr
                    key={point.t}
                    data-testid="series-row"
                    data-value={point.totalValue}
                    data-count={point.eventCount}
                  >
                    <th scope="row">{formatDateTime(point.start)}</th>
                    {SUPPORT_KINDS.map((kind) => (
                      <td key={kind}>
                        {formatMinor(point.values[kind], series.currency, series.assetScale)} (
                        {point.counts[kind]})
                      </td>
                    ))}
                    <td>{formatMinor(point.totalValue, series.currency, series.assetScale)}</td>
                    <td>{formatCount(point.eventCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  )
}
