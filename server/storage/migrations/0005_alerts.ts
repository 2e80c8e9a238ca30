import type { Migration } from './migration.js'

// The alert queue (issue 6): one row per alert, so an overlay reload or an OBS scene switch never replays
// a shown alert and never loses a queued one. `alert` is the JSON the overlay receives (OverlayAlert),
// fixed when the alert is queued. An original alert exists once per support event; replays point back
// with `replay_of`. `alert_config` keeps alert and overlay settings (JSON per key).
export const alerts: Migration = {
  id: 5,
  name: 'alerts',
  sql: `
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  support_event_id INTEGER NOT NULL REFERENCES support_events (id),
  source TEXT NOT NULL CHECK (source IN ('tip', 'test', 'web-monetization', 'replay')),
  state TEXT NOT NULL CHECK (state IN ('held', 'queued', 'showing', 'shown', 'skipped', 'rejected')),
  reason TEXT,
  replay_of INTEGER REFERENCES alerts (id),
  variant_id TEXT,
  alert TEXT NOT NULL,
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1)),
  auto_approve_at INTEGER,
  displayed_at INTEGER,
  shown_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX alerts_once_per_support_event ON alerts (support_event_id) WHERE replay_of IS NULL;
CREATE INDEX alerts_state ON alerts (state, id);

CREATE TABLE alert_config (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
}
