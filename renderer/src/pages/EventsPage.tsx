import { useEffect, useState } from 'react'
import type {
  EventListType,
  EventsQuery,
  EventsResponse,
  PlatformEventRowView,
  SupportEventRowView,
} from '../../../server/contracts/analytics.js'
import { SUPPORT_KINDS } from '../../../server/contracts/analyticsLists.js'
import type { SupportKind } from '../../../server/contracts/events.js'
import { ApiError } from '../api/client.js'
import { analytics } from '../api/endpoints.js'
import { EmptyState, ErrorNote, Loading, PageHeader } from '../components/ui.js'
import { useLiveEvents } from '../live/hooks.js'
import { formatAmount, formatDateTime, KIND_LABELS, KIND_NAMES } from '../lib/format.js'

interface Filters {
  type: EventListType
  kind: '' | SupportKind
  streamId: string
  from: string
  to: string
  q: string
  includeTest: boolean
}

const EMPTY: Filters = {
  type: 'support',
  kind: '',
  streamId: '',
  from: '',
  to: '',
  q: '',
  includeTest: false,
}

/** datetime-local gives local wall time without a zone; the API wants an instant. */
function toIso(local: string): string | undefined {
  if (!local) return undefined
  const ms = new Date(local).getTime()
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

function toQuery(filters: Filters): EventsQuery {
  return {
    type: filters.type,
    kind: filters.type === 'support' && filters.kind ? filters.kind : undefined,
    streamId: filters.streamId.trim() || undefined,
    from: toIso(filters.from),
    to: toIso(filters.to),
    q: filters.q.trim() || undefined,
    includeTest: filters.type === 'support' && filters.includeTest ? true : undefined,
    limit: 50,
  }
}

export function EventsPage() {
  const [filters, setFilters] = useState<Filters>(EMPTY)
  const [query, setQuery] = useState<EventsQuery>(() => toQuery(EMPTY))
  const [pages, setPages] = useState<EventsResponse[]>([])
  const [error, setError] = useState<ApiError | null>(null)
  const [refresh, setRefresh] = useState(0)
  const requestKey = `${JSON.stringify(query)}#${refresh}`
  const [loadedKey, setLoadedKey] = useState<string | null>(null)
  const loading = loadedKey !== requestKey

  // Typing in the search box waits a moment before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(toQuery(filters)), 250)
    return () => clearTimeout(timer)
  }, [filters])

  useEffect(() => {
    let current = true
    analytics.events(query).then(
      (page) => {
        if (!current) return
        setPages([page])
        setError(null)
        setLoadedKey(requestKey)
      },
      (failure: unknown) => {
        if (!current) return
        setError(
          failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
        )
        setLoadedKey(requestKey)
      },
    )
    return () => {
      current = false
    }
  }, [query, requestKey])

  useLiveEvents(['support.recorded', 'stream.started', 'stream.stopped', 'reconnected'], () =>
    setRefresh((n) => n + 1),
  )

  const loadOlder = () => {
    const last = pages[pages.length - 1]
    if (!last?.nextBefore) return
    analytics.events({ ...query, before: last.nextBefore }).then(
      (page) => setPages((previous) => [...previous, page]),
      (failure: unknown) => setError(failure instanceof ApiError ? failure : null),
    )
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((previous) => ({ ...previous, [key]: value }))
  const events = pages.flatMap((page) => page.events)
  const exportQuery = toQuery({ ...filters, type: 'support' })
  const filtered = JSON.stringify(filters) !== JSON.stringify({ ...EMPTY, type: filters.type })

  return (
    <div className="page events">
      <PageHeader title="Events">
        <a className="button" href={analytics.exportUrl('csv', exportQuery)} download>
          Export CSV
        </a>
        <a className="button" href={analytics.exportUrl('json', exportQuery)} download>
          Export JSON
        </a>
      </PageHeader>
      <form
        className="filters card"
        role="search"
        aria-label="Filter events"
        onSubmit={(event) => event.preventDefault()}
      >
        <fieldset className="segmented-field">
          <legend>Show</legend>
          <label>
            <input
              type="radio"
              name="type"
              checked={filters.type === 'support'}
              onChange={() => set('type', 'support')}
            />{' '}
            Support (tips, Web Monetization, redemptions)
          </label>
          <label>
            <input
              type="radio"
              name="type"
              checked={filters.type === 'platform'}
              onChange={() => set('type', 'platform')}
            />{' '}
            Platform events (Owncast, OSP)
          </label>
        </fieldset>
        <label>
          Search by name
          <input
            type="search"
            value={filters.q}
            placeholder="Viewer name"
            onChange={(event) => set('q', event.target.value)}
          />
        </label>
        {filters.type === 'support' ? (
          <label>
            Kind
            <select
              value={filters.kind}
              onChange={(event) => set('kind', event.target.value as Filters['kind'])}
            >
              <option value="">All kinds</option>
              {SUPPORT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Stream id
          <input
            value={filters.streamId}
            onChange={(event) => set('streamId', event.target.value)}
            placeholder="Any stream"
          />
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={filters.from}
            onChange={(event) => set('from', event.target.value)}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={filters.to}
            onChange={(event) => set('to', event.target.value)}
          />
        </label>
        {filters.type === 'support' ? (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={filters.includeTest}
              onChange={(event) => set('includeTest', event.target.checked)}
            />{' '}
            Include test alerts
          </label>
        ) : null}
        {filtered ? (
          <button type="button" onClick={() => setFilters({ ...EMPTY, type: filters.type })}>
            Clear filters
          </button>
        ) : null}
      </form>
      <p className="muted small">
        Exports contain the support events matching these filters, oldest first; CSV has decimal
        amounts and a currency column and opens in any spreadsheet.
      </p>

      {error ? (
        <ErrorNote error={error} what="events" onRetry={() => setRefresh((n) => n + 1)} />
      ) : null}
      {loading && events.length === 0 ? <Loading what="events" /> : null}
      {!loading && !error && events.length === 0 ? (
        filtered ? (
          <EmptyState title="No event matches these filters.">
            Widen the time range or clear the search.
          </EmptyState>
        ) : filters.type === 'support' ? (
          <EmptyState title="No support yet.">
            When a viewer tips or pays with Web Monetization, it is listed here. Set up your wallet
            on the Setup page and add the tip page to Owncast (Integrations).
          </EmptyState>
        ) : (
          <EmptyState title="No platform event yet.">
            Point your Owncast or OSP webhook at WM Companion (Integrations page); stream starts,
            chat and follows then appear here.
          </EmptyState>
        )
      ) : null}
      {events.length > 0 ? (
        <div className="table-wrap card">
          {/* The table follows the rows it was given, never the filter: after switching "Show", the
              previous list stays on screen until the new one arrives. */}
          <EventsTable pages={pages} />
        </div>
      ) : null}
      {pages[pages.length - 1]?.nextBefore ? (
        <button type="button" onClick={loadOlder}>
          Load older events
        </button>
      ) : null}
    </div>
  )
}

/** Each answer names the list it holds; its rows are drawn with that list's table. */
function EventsTable({ pages }: { pages: EventsResponse[] }) {
  const type = pages[0]?.type
  const events = pages.filter((page) => page.type === type).flatMap((page) => page.events)
  return type === 'platform' ? (
    <PlatformTable events={events as PlatformEventRowView[]} />
  ) : (
    <SupportTable events={events as SupportEventRowView[]} />
  )
}

function SupportTable({ events }: { events: SupportEventRowView[] }) {
  return (
    <table className="figures events-table" data-testid="events-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Kind</th>
          <th scope="col">Amount</th>
          <th scope="col">Supporter</th>
          <th scope="col">Message</th>
          <th scope="col">Stream</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td>{formatDateTime(event.occurredAt)}</td>
            <td>
              {KIND_NAMES[event.kind]}
              {event.isTest ? <span className="tag">test</span> : null}
            </td>
            <td className="num">{formatAmount(event.amount)}</td>
            <td className="clip" title={event.supporterName ?? undefined}>
              {event.supporterName ?? <span className="muted">Anonymous</span>}
            </td>
            <td className="wrap">{event.message ?? ''}</td>
            <td className="clip">{event.streamId ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function PlatformTable({ events }: { events: PlatformEventRowView[] }) {
  return (
    <table className="figures events-table" data-testid="events-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Platform</th>
          <th scope="col">Event</th>
          <th scope="col">Who</th>
          <th scope="col">Details</th>
          <th scope="col">Stream</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td>{formatDateTime(event.receivedAt)}</td>
            <td>{event.platform}</td>
            <td>{event.normalizedType ?? event.eventType}</td>
            <td className="clip" title={event.userName ?? undefined}>
              {event.userName ?? <span className="muted">—</span>}
            </td>
            <td className="wrap">{event.summary ?? ''}</td>
            <td className="clip">{event.streamId ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
