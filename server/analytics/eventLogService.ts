import type { EventsQuery, EventsResponse, SupportEventRowView } from '../contracts/analytics.js'
import type { SupportEventView } from '../contracts/common.js'
import { minorToDecimal } from '../contracts/money.js'
import type { EventLogFilter, EventLogRepository } from '../support/eventLogRepository.js'
import { csvCell, csvDecimal, csvLine } from './csv.js'
import { parseQueryTime } from './errors.js'
import type { PlatformEventRepository } from './platformEventRepository.js'

export interface EventLogDeps {
  /** The ledger's events one by one. */
  eventLog: Pick<EventLogRepository, 'page' | 'all'>
  platformEvents: PlatformEventRepository
}

/** The filters of an export: those of the list, without paging. */
export type ExportFilters = Omit<EventsQuery, 'type' | 'before' | 'limit'>

export interface EventLogService {
  events(query: EventsQuery): EventsResponse
  /** Support events matching the filters, oldest first, as CSV lines (header first). */
  exportCsv(query: ExportFilters): Iterable<string>
  /** The same as a JSON array, in chunks. */
  exportJson(query: ExportFilters): Iterable<string>
}

const CSV_HEADER = [
  'id',
  'occurred_at',
  'kind',
  'amount',
  'currency',
  'supporter',
  'message',
  'tier',
  'stream',
  'test',
]

function rowView(event: SupportEventView): SupportEventRowView {
  return {
    type: 'support',
    id: event.id,
    kind: event.kind,
    amount: event.amount,
    amountDecimal: minorToDecimal(event.amount.value, event.amount.assetScale),
    supporterName: event.supporterName,
    message: event.message,
    tierId: event.tierId,
    streamId: event.streamId,
    isTest: event.isTest,
    occurredAt: event.occurredAt,
  }
}

function filterOf(query: ExportFilters): EventLogFilter {
  return {
    ...(query.includeTest ? { includeTest: true } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.streamId ? { streamId: query.streamId } : {}),
    from: parseQueryTime(query.from, 'from'),
    to: parseQueryTime(query.to, 'to'),
    ...(query.q ? { q: query.q } : {}),
  }
}

/** The Events page: support events (the ledger) or platform events, newest first, and the export. */
export function createEventLogService(deps: EventLogDeps): EventLogService {
  function rows(query: ExportFilters): Generator<SupportEventRowView> {
    const events = deps.eventLog.all(filterOf(query))
    return (function* () {
      for (const event of events) yield rowView(event)
    })()
  }

  return {
    events(query) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 500)
      if (query.type === 'platform') {
        const page = deps.platformEvents.page({
          ...(query.streamId ? { streamId: query.streamId } : {}),
          from: parseQueryTime(query.from, 'from'),
          to: parseQueryTime(query.to, 'to'),
          ...(query.before !== undefined ? { before: query.before } : {}),
          ...(query.q ? { q: query.q } : {}),
          limit,
        })
        return {
          type: 'platform',
          events: page.events,
          nextBefore: page.more ? (page.events[page.events.length - 1]?.id ?? null) : null,
        }
      }
      const page = deps.eventLog.page(filterOf(query), {
        ...(query.before !== undefined ? { before: query.before } : {}),
        limit,
      })
      const events = page.events.map(rowView)
      return {
        type: 'support',
        events,
        nextBefore: page.more ? (events[events.length - 1]?.id ?? null) : null,
      }
    },
    exportCsv(query) {
      const events = rows(query)
      return (function* () {
        yield csvLine(CSV_HEADER)
        for (const row of events) {
          yield csvLine([
            String(row.id),
            row.occurredAt,
            csvCell(row.kind),
            csvDecimal(row.amountDecimal),
            csvCell(row.amount.assetCode),
            csvCell(row.supporterName),
            csvCell(row.message),
            csvCell(row.tierId),
            csvCell(row.streamId),
            row.isTest ? 'yes' : 'no',
          ])
        }
      })()
    },
    exportJson(query) {
      const events = rows(query)
      return (function* () {
        yield '['
        let first = true
        for (const row of events) {
          yield `${first ? '' : ','}\n${JSON.stringify(row)}`
          first = false
        }
        yield '\n]\n'
      })()
    },
  }
}
