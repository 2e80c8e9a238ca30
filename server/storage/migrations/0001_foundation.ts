import type { Migration } from './migration.js'

// Times are integer milliseconds since the Unix epoch; money is integer minor units with asset code and
// scale (DESIGN §4).
export const foundation: Migration = {
  id: 1,
  name: 'foundation',
  sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE admin_sessions (
  id_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE streams (
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  title TEXT,
  started_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX streams_started_at ON streams (started_at);

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  auth_server TEXT NOT NULL,
  wallet_address TEXT,
  access_token TEXT,
  manage_url TEXT,
  continue_uri TEXT,
  continue_token TEXT,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE viewer_sessions (
  id TEXT PRIMARY KEY,
  wallet_address TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX viewer_sessions_expires_at ON viewer_sessions (expires_at);

CREATE TABLE tip_flows (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN
    ('created', 'awaiting_consent', 'authorized', 'paying', 'completed', 'rejected', 'expired', 'failed')),
  stream_id TEXT REFERENCES streams (id),
  viewer_session_id TEXT,
  tier_id TEXT,
  amount_value INTEGER NOT NULL CHECK (amount_value > 0),
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  viewer_wallet TEXT NOT NULL,
  viewer_name TEXT,
  message TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  error_code TEXT,
  error_message TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX tip_flows_state ON tip_flows (state);

CREATE TABLE platform_events (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  event_id TEXT,
  type TEXT NOT NULL,
  normalized_type TEXT,
  stream_id TEXT REFERENCES streams (id),
  payload TEXT NOT NULL,
  normalized TEXT,
  received_at INTEGER NOT NULL,
  processed_at INTEGER
);
CREATE UNIQUE INDEX platform_events_dedupe ON platform_events (platform, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX platform_events_received_at ON platform_events (received_at);

CREATE TABLE support_events (
  id INTEGER PRIMARY KEY,
  source_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('tip', 'web-monetization', 'redemption')),
  amount_value INTEGER NOT NULL CHECK (amount_value >= 0),
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL CHECK (asset_scale BETWEEN 0 AND 18),
  supporter_key TEXT,
  supporter_name TEXT,
  message TEXT,
  tier_id TEXT,
  stream_id TEXT REFERENCES streams (id),
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  occurred_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX support_events_occurred_at ON support_events (occurred_at) WHERE is_test = 0;
CREATE INDEX support_events_supporter ON support_events (supporter_key, occurred_at) WHERE is_test = 0;
CREATE INDEX support_events_stream ON support_events (stream_id) WHERE is_test = 0;
`,
}
