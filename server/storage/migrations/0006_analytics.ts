import type { Migration } from './migration.js'

/**
 * Analytics (issue 7): hourly rollups and per-supporter totals of real (non-test) support events, kept by
 * triggers in the same transaction as the insert, so every feature that records through
 * `ctx.supportEvents.record` keeps them current without knowing about analytics. Summaries and series
 * then read a few hundred rollup rows instead of scanning up to millions of events.
 */

/** Who a supporter is: their key (wallet address, platform user id) or, failing that, their name. */
export function supporterIdExpression(row: string): string {
  return `COALESCE(NULLIF(${row}supporter_key, ''), 'name:' || lower(NULLIF(trim(${row}supporter_name), '')))`
}

const HOUR_MS = 3_600_000
const hourOf = (row: string) => `(${row}.occurred_at - (${row}.occurred_at % ${HOUR_MS}))`

/**
 * Rollup rows exist twice: once for all streams (stream_key '*') and once for the event's stream when
 * it has one, so a dashboard query (all streams, or one stream) is one contiguous range of the key.
 */
const ALL = "'*'"

function upsert(
  table: 'analytics_hourly' | 'analytics_totals',
  row: 'NEW',
  streamKey: string,
): string {
  const hourly = table === 'analytics_hourly'
  return `INSERT INTO ${table}
    (asset_code, asset_scale, stream_key, ${hourly ? 'hour_start, ' : ''}kind, total_value, event_count)
    SELECT ${row}.asset_code, ${row}.asset_scale, ${streamKey}, ${hourly ? `${hourOf(row)}, ` : ''}${row}.kind,
      ${row}.amount_value, 1
    WHERE ${row}.is_test = 0 AND ${streamKey} IS NOT NULL
    ON CONFLICT (asset_code, asset_scale, stream_key, ${hourly ? 'hour_start, ' : ''}kind) DO UPDATE SET
      total_value = total_value + excluded.total_value,
      event_count = event_count + 1;`
}

function add(table: 'analytics_hourly' | 'analytics_totals', row: 'NEW'): string {
  return `${upsert(table, row, ALL)}\n  ${upsert(table, row, `${row}.stream_id`)}`
}

function remove(table: 'analytics_hourly' | 'analytics_totals', row: 'OLD'): string {
  const match = `${row}.is_test = 0 AND asset_code = ${row}.asset_code AND asset_scale = ${row}.asset_scale
      AND stream_key IN (${ALL}, COALESCE(${row}.stream_id, ${ALL})) AND kind = ${row}.kind
      ${table === 'analytics_hourly' ? `AND hour_start = ${hourOf(row)}` : ''}`
  return `UPDATE ${table} SET
      total_value = total_value - ${row}.amount_value,
      event_count = event_count - 1
    WHERE ${match};
  DELETE FROM ${table} WHERE event_count <= 0 AND ${match};`
}

function addToSupporters(row: 'NEW'): string {
  const id = supporterIdExpression(`${row}.`)
  return `INSERT INTO analytics_supporters
    (asset_code, asset_scale, supporter_id, display_name, total_value, event_count, first_at, last_at)
    SELECT ${row}.asset_code, ${row}.asset_scale, ${id}, NULLIF(trim(${row}.supporter_name), ''),
      ${row}.amount_value, 1, ${row}.occurred_at, ${row}.occurred_at
    WHERE ${row}.is_test = 0 AND ${id} IS NOT NULL
    ON CONFLICT (asset_code, asset_scale, supporter_id) DO UPDATE SET
      display_name = CASE WHEN excluded.last_at >= last_at
        THEN COALESCE(excluded.display_name, display_name) ELSE display_name END,
      total_value = total_value + excluded.total_value,
      event_count = event_count + 1,
      first_at = MIN(first_at, excluded.first_at),
      last_at = MAX(last_at, excluded.last_at);`
}

/** Rebuilds one supporter's row from the events as they are after the change (update, delete). */
function recomputeSupporter(row: 'OLD' | 'NEW'): string {
  const id = supporterIdExpression(`${row}.`)
  const match = `is_test = 0 AND asset_code = ${row}.asset_code AND asset_scale = ${row}.asset_scale
      AND ${supporterIdExpression('')} = ${id}`
  return `DELETE FROM analytics_supporters WHERE asset_code = ${row}.asset_code
    AND asset_scale = ${row}.asset_scale AND supporter_id = ${id};
  INSERT INTO analytics_supporters
    (asset_code, asset_scale, supporter_id, display_name, total_value, event_count, first_at, last_at)
    SELECT ${row}.asset_code, ${row}.asset_scale, ${id},
      (SELECT NULLIF(trim(supporter_name), '') FROM support_events WHERE ${match}
        ORDER BY occurred_at DESC LIMIT 1),
      SUM(amount_value), COUNT(*), MIN(occurred_at), MAX(occurred_at)
    FROM support_events WHERE ${match}
    HAVING COUNT(*) > 0;`
}

/** Builds the rollups from the events table (an upgraded database; also bench/dashboard.ts bulk loads). */
export const ANALYTICS_BACKFILL_SQL = `
-- Events recorded before this migration (none in a fresh install; some in an upgraded one).
INSERT INTO analytics_hourly (asset_code, asset_scale, stream_key, hour_start, kind, total_value, event_count)
  SELECT asset_code, asset_scale, '*', occurred_at - (occurred_at % ${HOUR_MS}), kind, SUM(amount_value),
    COUNT(*)
  FROM support_events WHERE is_test = 0 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO analytics_hourly (asset_code, asset_scale, stream_key, hour_start, kind, total_value, event_count)
  SELECT asset_code, asset_scale, stream_id, occurred_at - (occurred_at % ${HOUR_MS}), kind,
    SUM(amount_value), COUNT(*)
  FROM support_events WHERE is_test = 0 AND stream_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
INSERT INTO analytics_totals (asset_code, asset_scale, stream_key, kind, total_value, event_count)
  SELECT asset_code, asset_scale, '*', kind, SUM(amount_value), COUNT(*)
  FROM support_events WHERE is_test = 0 GROUP BY 1, 2, 3, 4;
INSERT INTO analytics_totals (asset_code, asset_scale, stream_key, kind, total_value, event_count)
  SELECT asset_code, asset_scale, stream_id, kind, SUM(amount_value), COUNT(*)
  FROM support_events WHERE is_test = 0 AND stream_id IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO analytics_supporters
  (asset_code, asset_scale, supporter_id, display_name, total_value, event_count, first_at, last_at)
  SELECT asset_code, asset_scale, ${supporterIdExpression('')}, NULL, SUM(amount_value), COUNT(*),
    MIN(occurred_at), MAX(occurred_at)
  FROM support_events WHERE is_test = 0 AND ${supporterIdExpression('')} IS NOT NULL GROUP BY 1, 2, 3;
`

export const analytics: Migration = {
  id: 6,
  name: 'analytics',
  sql: `
-- stream_key: '*' for all streams together, else a stream id (see add() above).
CREATE TABLE analytics_hourly (
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  stream_key TEXT NOT NULL,
  hour_start INTEGER NOT NULL,
  kind TEXT NOT NULL,
  total_value INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  PRIMARY KEY (asset_code, asset_scale, stream_key, hour_start, kind)
) WITHOUT ROWID;

-- All-time figures per kind and stream: the all-time summary reads a handful of rows.
CREATE TABLE analytics_totals (
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  stream_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  total_value INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  PRIMARY KEY (asset_code, asset_scale, stream_key, kind)
) WITHOUT ROWID;

CREATE TABLE analytics_supporters (
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  supporter_id TEXT NOT NULL,
  display_name TEXT,
  total_value INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (asset_code, asset_scale, supporter_id)
) WITHOUT ROWID;
CREATE INDEX analytics_supporters_last_at ON analytics_supporters (asset_code, asset_scale, last_at);
CREATE INDEX analytics_supporters_total ON analytics_supporters (asset_code, asset_scale, total_value);

CREATE INDEX support_events_supporter_id ON support_events (${supporterIdExpression('')}, occurred_at)
  WHERE is_test = 0;
CREATE INDEX support_events_stream_time ON support_events (stream_id, occurred_at) WHERE is_test = 0;
CREATE INDEX support_events_name ON support_events (supporter_name COLLATE NOCASE);

CREATE TRIGGER analytics_support_insert AFTER INSERT ON support_events WHEN NEW.is_test = 0 BEGIN
  ${add('analytics_hourly', 'NEW')}
  ${add('analytics_totals', 'NEW')}
  ${addToSupporters('NEW')}
END;

CREATE TRIGGER analytics_support_delete AFTER DELETE ON support_events WHEN OLD.is_test = 0 BEGIN
  ${remove('analytics_hourly', 'OLD')}
  ${remove('analytics_totals', 'OLD')}
  ${recomputeSupporter('OLD')}
END;

CREATE TRIGGER analytics_support_update AFTER UPDATE OF
  kind, amount_value, asset_code, asset_scale, supporter_key, supporter_name, stream_id, is_test, occurred_at
  ON support_events WHEN OLD.is_test = 0 OR NEW.is_test = 0 BEGIN
  ${remove('analytics_hourly', 'OLD')}
  ${add('analytics_hourly', 'NEW')}
  ${remove('analytics_totals', 'OLD')}
  ${add('analytics_totals', 'NEW')}
  ${recomputeSupporter('OLD')}
  ${recomputeSupporter('NEW')}
END;

${ANALYTICS_BACKFILL_SQL}
`,
}
