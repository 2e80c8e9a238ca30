import type { Migration } from './migration.js'

/**
 * Gamification (issue 5): the streamer's tip tiers, gifter path and goals, plus per-supporter aggregates
 * that triggers keep in step with support_events, so leaderboards and level progress read a few indexed
 * rows instead of scanning every event (a million events must answer in milliseconds).
 *
 * Only verified support counts: is_test = 0 and a supporter_key (a supporter we can tell apart). Amounts
 * stay per asset (asset_code + asset_scale): EUR is never added to USD. Days are UTC days since the epoch
 * (occurred_at / 86400000, integer division).
 */
const DAY = 86_400_000

/**
 * Recomputes every aggregate one support event row (OLD or NEW) touches, from the events themselves:
 * used when an event is deleted or changed (rare: corrections, test-data clean-up), so the aggregates
 * never drift. Each statement reads one supporter's or one day's events through an index.
 */
function recompute(row: 'OLD' | 'NEW'): string {
  const asset = `asset_code = ${row}.asset_code AND asset_scale = ${row}.asset_scale`
  const verified = `is_test = 0 AND amount_value > 0`
  const dayStart = `(${row}.occurred_at / ${DAY}) * ${DAY}`
  return `
  DELETE FROM support_daily_totals WHERE ${asset} AND day = ${row}.occurred_at / ${DAY};
  INSERT INTO support_daily_totals (day, asset_code, asset_scale, total_value, support_count)
  SELECT ${row}.occurred_at / ${DAY}, asset_code, asset_scale, SUM(amount_value), COUNT(*)
  FROM support_events WHERE ${verified} AND ${asset}
    AND occurred_at >= ${dayStart} AND occurred_at < ${dayStart} + ${DAY}
  GROUP BY asset_code, asset_scale;

  DELETE FROM supporter_totals WHERE supporter_key = ${row}.supporter_key AND ${asset};
  INSERT INTO supporter_totals
    (supporter_key, asset_code, asset_scale, total_value, support_count, first_at, last_at)
  SELECT supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*), MIN(occurred_at), MAX(occurred_at)
  FROM support_events WHERE ${verified} AND supporter_key = ${row}.supporter_key AND ${asset}
  GROUP BY supporter_key, asset_code, asset_scale;

  DELETE FROM supporter_stream_totals
  WHERE stream_id = ${row}.stream_id AND supporter_key = ${row}.supporter_key AND ${asset};
  INSERT INTO supporter_stream_totals
    (stream_id, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  SELECT stream_id, supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*), MAX(occurred_at)
  FROM support_events WHERE ${verified} AND supporter_key = ${row}.supporter_key AND ${asset}
    AND stream_id = ${row}.stream_id
  GROUP BY stream_id, supporter_key, asset_code, asset_scale;

  DELETE FROM supporter_daily
  WHERE day = ${row}.occurred_at / ${DAY} AND supporter_key = ${row}.supporter_key AND ${asset};
  INSERT INTO supporter_daily
    (day, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  SELECT ${row}.occurred_at / ${DAY}, supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*),
    MAX(occurred_at)
  FROM support_events WHERE ${verified} AND supporter_key = ${row}.supporter_key AND ${asset}
    AND occurred_at >= ${dayStart} AND occurred_at < ${dayStart} + ${DAY}
  GROUP BY supporter_key, asset_code, asset_scale;

  DELETE FROM supporter_window_totals WHERE supporter_key = ${row}.supporter_key AND ${asset};
  INSERT INTO supporter_window_totals
    (window_name, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  SELECT w.name, d.supporter_key, d.asset_code, d.asset_scale, SUM(d.total_value), SUM(d.support_count),
    MAX(d.last_at)
  FROM leaderboard_windows w JOIN supporter_daily d ON d.day >= w.from_day
  WHERE d.supporter_key = ${row}.supporter_key AND d.asset_code = ${row}.asset_code
    AND d.asset_scale = ${row}.asset_scale
  GROUP BY w.name, d.supporter_key, d.asset_code, d.asset_scale;

  DELETE FROM supporter_names WHERE supporter_key = ${row}.supporter_key;
  INSERT INTO supporter_names (supporter_key, name, named_at)
  SELECT supporter_key, supporter_name, MAX(occurred_at) FROM support_events
  WHERE is_test = 0 AND supporter_key = ${row}.supporter_key AND supporter_name IS NOT NULL
  GROUP BY supporter_key;`
}

export const gamification: Migration = {
  id: 4,
  name: 'gamification',
  sql: `
CREATE TABLE gamification_config (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE custom_tip_tiers (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  theme TEXT NOT NULL,
  emoji TEXT NOT NULL,
  name TEXT NOT NULL,
  perk TEXT NOT NULL,
  amount_value INTEGER NOT NULL CHECK (amount_value > 0),
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL
);

CREATE TABLE goals (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  target_value INTEGER NOT NULL CHECK (target_value > 0),
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  reached_at INTEGER,
  created_at INTEGER NOT NULL
);

-- Latest chosen name per supporter, whatever the asset.
CREATE TABLE supporter_names (
  supporter_key TEXT PRIMARY KEY,
  name TEXT,
  named_at INTEGER NOT NULL
);

-- Opaque ids handed out in API answers (an HMAC of the key), so the admin API can address a supporter
-- without the wallet address appearing anywhere.
CREATE TABLE supporter_ids (
  public_id TEXT PRIMARY KEY,
  supporter_key TEXT NOT NULL
);

-- The level last announced on the bus, so a level-up is announced once.
CREATE TABLE supporter_levels (
  supporter_key TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  level INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (supporter_key, asset_code, asset_scale)
);

CREATE TABLE supporter_totals (
  supporter_key TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  total_value INTEGER NOT NULL,
  support_count INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (supporter_key, asset_code, asset_scale)
) WITHOUT ROWID;
CREATE INDEX supporter_totals_by_total
  ON supporter_totals (asset_code, asset_scale, total_value DESC, last_at, supporter_key);
CREATE INDEX supporter_totals_by_count
  ON supporter_totals (asset_code, asset_scale, support_count DESC, last_at, supporter_key);

CREATE TABLE supporter_stream_totals (
  stream_id TEXT NOT NULL,
  supporter_key TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  total_value INTEGER NOT NULL,
  support_count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (stream_id, supporter_key, asset_code, asset_scale)
) WITHOUT ROWID;
CREATE INDEX supporter_stream_totals_by_total
  ON supporter_stream_totals (stream_id, asset_code, asset_scale, total_value DESC, last_at, supporter_key);
CREATE INDEX supporter_stream_totals_by_count
  ON supporter_stream_totals (stream_id, asset_code, asset_scale, support_count DESC, last_at, supporter_key);

-- Per supporter and UTC day: what rolls out of a sliding window when a day ends.
CREATE TABLE supporter_daily (
  day INTEGER NOT NULL,
  supporter_key TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  total_value INTEGER NOT NULL,
  support_count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (day, supporter_key, asset_code, asset_scale)
) WITHOUT ROWID;

-- Per asset and UTC day: goals sum whole days from here and only their first day from the events.
CREATE TABLE support_daily_totals (
  day INTEGER NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  total_value INTEGER NOT NULL,
  support_count INTEGER NOT NULL,
  PRIMARY KEY (asset_code, asset_scale, day)
) WITHOUT ROWID;

-- Sliding windows of whole UTC days ('7d', '30d'): from_day is the first day inside the window. The
-- service rolls from_day forward when a day ends, subtracting the days that left (supporter_daily).
CREATE TABLE leaderboard_windows (
  name TEXT PRIMARY KEY,
  days INTEGER NOT NULL,
  from_day INTEGER NOT NULL
);
INSERT INTO leaderboard_windows (name, days, from_day) VALUES
  ('7d', 7, CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 6),
  ('30d', 30, CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 29);

CREATE TABLE supporter_window_totals (
  window_name TEXT NOT NULL,
  supporter_key TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  total_value INTEGER NOT NULL,
  support_count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (window_name, supporter_key, asset_code, asset_scale)
) WITHOUT ROWID;
CREATE INDEX supporter_window_totals_by_total
  ON supporter_window_totals (window_name, asset_code, asset_scale, total_value DESC, last_at, supporter_key);
CREATE INDEX supporter_window_totals_by_count
  ON supporter_window_totals (window_name, asset_code, asset_scale, support_count DESC, last_at, supporter_key);

CREATE TRIGGER support_events_gamification AFTER INSERT ON support_events
WHEN NEW.is_test = 0 AND NEW.supporter_key IS NOT NULL AND NEW.amount_value > 0
BEGIN
  INSERT INTO supporter_totals
    (supporter_key, asset_code, asset_scale, total_value, support_count, first_at, last_at)
  VALUES (NEW.supporter_key, NEW.asset_code, NEW.asset_scale, NEW.amount_value, 1, NEW.occurred_at,
    NEW.occurred_at)
  ON CONFLICT (supporter_key, asset_code, asset_scale) DO UPDATE SET
    total_value = total_value + excluded.total_value,
    support_count = support_count + 1,
    first_at = min(first_at, excluded.first_at),
    last_at = max(last_at, excluded.last_at);

  INSERT INTO supporter_stream_totals
    (stream_id, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  SELECT NEW.stream_id, NEW.supporter_key, NEW.asset_code, NEW.asset_scale, NEW.amount_value, 1,
    NEW.occurred_at
  WHERE NEW.stream_id IS NOT NULL
  ON CONFLICT (stream_id, supporter_key, asset_code, asset_scale) DO UPDATE SET
    total_value = total_value + excluded.total_value,
    support_count = support_count + 1,
    last_at = max(last_at, excluded.last_at);

  INSERT INTO supporter_daily
    (day, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  VALUES (NEW.occurred_at / 86400000, NEW.supporter_key, NEW.asset_code, NEW.asset_scale,
    NEW.amount_value, 1, NEW.occurred_at)
  ON CONFLICT (day, supporter_key, asset_code, asset_scale) DO UPDATE SET
    total_value = total_value + excluded.total_value,
    support_count = support_count + 1,
    last_at = max(last_at, excluded.last_at);

  INSERT INTO supporter_window_totals
    (window_name, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
  SELECT w.name, NEW.supporter_key, NEW.asset_code, NEW.asset_scale, NEW.amount_value, 1,
    NEW.occurred_at
  FROM leaderboard_windows w WHERE NEW.occurred_at / 86400000 >= w.from_day
  ON CONFLICT (window_name, supporter_key, asset_code, asset_scale) DO UPDATE SET
    total_value = total_value + excluded.total_value,
    support_count = support_count + 1,
    last_at = max(last_at, excluded.last_at);

  INSERT INTO supporter_names (supporter_key, name, named_at)
  SELECT NEW.supporter_key, NEW.supporter_name, NEW.occurred_at WHERE NEW.supporter_name IS NOT NULL
  ON CONFLICT (supporter_key) DO UPDATE SET name = excluded.name, named_at = excluded.named_at
  WHERE excluded.named_at >= named_at;
END;

CREATE TRIGGER support_events_daily_totals AFTER INSERT ON support_events
WHEN NEW.is_test = 0 AND NEW.amount_value > 0
BEGIN
  INSERT INTO support_daily_totals (day, asset_code, asset_scale, total_value, support_count)
  VALUES (NEW.occurred_at / 86400000, NEW.asset_code, NEW.asset_scale, NEW.amount_value, 1)
  ON CONFLICT (asset_code, asset_scale, day) DO UPDATE SET
    total_value = total_value + excluded.total_value,
    support_count = support_count + 1;
END;

CREATE TRIGGER support_events_gamification_delete AFTER DELETE ON support_events
WHEN OLD.is_test = 0
BEGIN
  ${recompute('OLD')}
END;

CREATE TRIGGER support_events_gamification_update AFTER UPDATE OF
  amount_value, asset_code, asset_scale, supporter_key, supporter_name, stream_id, is_test, occurred_at
  ON support_events WHEN OLD.is_test = 0 OR NEW.is_test = 0
BEGIN
  ${recompute('OLD')}
  ${recompute('NEW')}
END;

-- Events recorded before this migration: fill the aggregates once.
INSERT INTO supporter_totals
  (supporter_key, asset_code, asset_scale, total_value, support_count, first_at, last_at)
SELECT supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*), MIN(occurred_at),
  MAX(occurred_at)
FROM support_events WHERE is_test = 0 AND supporter_key IS NOT NULL AND amount_value > 0
GROUP BY supporter_key, asset_code, asset_scale;

INSERT INTO supporter_stream_totals
  (stream_id, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
SELECT stream_id, supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*), MAX(occurred_at)
FROM support_events
WHERE is_test = 0 AND supporter_key IS NOT NULL AND stream_id IS NOT NULL AND amount_value > 0
GROUP BY stream_id, supporter_key, asset_code, asset_scale;

INSERT INTO supporter_daily
  (day, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
SELECT occurred_at / 86400000, supporter_key, asset_code, asset_scale, SUM(amount_value), COUNT(*),
  MAX(occurred_at)
FROM support_events WHERE is_test = 0 AND supporter_key IS NOT NULL AND amount_value > 0
GROUP BY occurred_at / 86400000, supporter_key, asset_code, asset_scale;

INSERT INTO support_daily_totals (day, asset_code, asset_scale, total_value, support_count)
SELECT occurred_at / 86400000, asset_code, asset_scale, SUM(amount_value), COUNT(*)
FROM support_events WHERE is_test = 0 AND amount_value > 0
GROUP BY occurred_at / 86400000, asset_code, asset_scale;

INSERT INTO supporter_window_totals
  (window_name, supporter_key, asset_code, asset_scale, total_value, support_count, last_at)
SELECT w.name, d.supporter_key, d.asset_code, d.asset_scale, SUM(d.total_value), SUM(d.support_count),
  MAX(d.last_at)
FROM leaderboard_windows w JOIN supporter_daily d ON d.day >= w.from_day
GROUP BY w.name, d.supporter_key, d.asset_code, d.asset_scale;

INSERT INTO supporter_names (supporter_key, name, named_at)
SELECT supporter_key, supporter_name, MAX(occurred_at)
FROM support_events
WHERE is_test = 0 AND supporter_key IS NOT NULL AND supporter_name IS NOT NULL
GROUP BY supporter_key;
`,
}
