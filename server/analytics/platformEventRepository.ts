import type { PlatformEventRowView } from '../contracts/analytics.js'
import { cleanText } from '../contracts/text.js'
import type { Db } from '../storage/db.js'

export interface PlatformEventFilter {
  streamId?: string
  /** Epoch ms, inclusive. */
  from?: number | null
  /** Epoch ms, exclusive. */
  to?: number | null
  /** An event id: older ones only. */
  before?: number
  /** Part of the raw payload, matched literally. */
  q?: string
  limit: number
}

/** Reads of the raw platform events (webhooks) for the Events page, newest first. */
export interface PlatformEventRepository {
  page(filter: PlatformEventFilter): { events: PlatformEventRowView[]; more: boolean }
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%" literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

// Who and what a payload is about, whichever platform wrote it; a broken payload gives nulls.
const PLATFORM_USER = `CASE WHEN json_valid(payload) THEN COALESCE(
    json_extract(payload, '$.eventData.user.displayName'),
    json_extract(payload, '$.user.displayName'),
    json_extract(payload, '$.username'),
    json_extract(payload, '$.user')) END`
const PLATFORM_SUMMARY = `CASE WHEN json_valid(payload) THEN COALESCE(
    json_extract(payload, '$.eventData.rawBody'),
    json_extract(payload, '$.eventData.body'),
    json_extract(payload, '$.eventData.streamTitle'),
    json_extract(payload, '$.eventData.status.streamTitle'),
    json_extract(payload, '$.message'),
    json_extract(payload, '$.title')) END`

export function createPlatformEventRepository(db: Db): PlatformEventRepository {
  return {
    page(filter) {
      const clauses: string[] = []
      const params: Record<string, string | number> = { limit: filter.limit + 1 }
      if (filter.streamId) {
        clauses.push('stream_id = @stream')
        params.stream = filter.streamId
      }
      if (filter.from !== undefined && filter.from !== null) {
        clauses.push('received_at >= @from')
        params.from = filter.from
      }
      if (filter.to !== undefined && filter.to !== null) {
        clauses.push('received_at < @to')
        params.to = filter.to
      }
      if (filter.before !== undefined) {
        clauses.push('id < @before')
        params.before = filter.before
      }
      const q = filter.q?.trim()
      if (q) {
        clauses.push(`payload LIKE @q ESCAPE '\\'`)
        params.q = likePattern(q)
      }
      const rows = db
        .prepare(
          `SELECT id, platform, type, normalized_type, stream_id, received_at,
             ${PLATFORM_USER} AS user_name, ${PLATFORM_SUMMARY} AS summary
           FROM platform_events ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
           ORDER BY id DESC LIMIT @limit`,
        )
        .all(params) as {
        id: number
        platform: string
        type: string
        normalized_type: string | null
        stream_id: string | null
        received_at: number
        user_name: unknown
        summary: unknown
      }[]
      // The raw payload is what the platform sent: the dashboard shows it under the one text rule.
      const text = (value: unknown) =>
        value == null ? null : cleanText(String(value), { maxChars: 300 })
      return {
        events: rows.slice(0, filter.limit).map((row) => ({
          type: 'platform',
          id: row.id,
          platform: row.platform,
          eventType: row.type,
          normalizedType: row.normalized_type,
          streamId: row.stream_id,
          userName: text(row.user_name),
          summary: text(row.summary),
          receivedAt: new Date(row.received_at).toISOString(),
        })),
        more: rows.length > filter.limit,
      }
    },
  }
}
