import type { Migration } from './migration.js'

/**
 * Web Monetization: the incoming payments the app watches on the streamer's wallet (found by a page's
 * report or by the list-all poller), with the cumulative `receivedAmount` already recorded in the
 * ledger and when to read each one next, so a restart resumes the reads and never counts twice; and
 * each viewer's verified streamed total per stream, for the "streaming supporter" alert steps.
 */
export const webMonetization: Migration = {
  id: 10,
  name: 'web monetization',
  sql: `
CREATE TABLE wm_incoming_payments (
  url TEXT PRIMARY KEY,
  found_by TEXT NOT NULL CHECK (found_by IN ('report', 'poller')),
  state TEXT NOT NULL DEFAULT 'watching' CHECK (state IN ('watching', 'done', 'rejected')),
  reason TEXT,
  asset_code TEXT,
  asset_scale INTEGER,
  recorded_value TEXT NOT NULL DEFAULT '0',
  one_time INTEGER NOT NULL DEFAULT 0 CHECK (one_time IN (0, 1)),
  expires_at INTEGER,
  viewer_key TEXT,
  viewer_name TEXT,
  stream_id TEXT,
  reports INTEGER NOT NULL DEFAULT 0,
  reads INTEGER NOT NULL DEFAULT 0,
  first_seen_at INTEGER NOT NULL,
  last_report_at INTEGER,
  last_read_at INTEGER,
  last_change_at INTEGER,
  next_read_at INTEGER,
  expiry_read_done INTEGER NOT NULL DEFAULT 0 CHECK (expiry_read_done IN (0, 1))
);
CREATE INDEX wm_incoming_payments_due ON wm_incoming_payments (next_read_at)
  WHERE next_read_at IS NOT NULL;
CREATE INDEX wm_incoming_payments_changed ON wm_incoming_payments (last_change_at);

CREATE TABLE wm_stream_viewers (
  stream_key TEXT NOT NULL,
  viewer_key TEXT NOT NULL,
  viewer_name TEXT,
  total_value TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  steps_alerted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (stream_key, viewer_key, asset_code, asset_scale)
);
`,
}
