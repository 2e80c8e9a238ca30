import type { Migration } from './migration.js'

// Owncast and OSP (issue 4). platform_events (0001) keeps every accepted webhook body exactly as received
// (the normalized event is derived from it again when read; normalized_type and stream_id are kept for
// queries). Events up to the watermark `platformEvents.processedThrough` in integration_settings are
// processed (applied to stream sessions, announced on the bus): a restart picks up the rest. Stream
// sessions record the evidence they were built from, so late and out-of-order events can be reconciled.
// The chat outbox makes "thank you" messages durable: a tip never waits for Owncast. Integration settings
// that are not secrets live in their own key/value table.
export const integrations: Migration = {
  id: 3,
  name: 'integrations',
  sql: `
ALTER TABLE platform_events ADD COLUMN occurred_at INTEGER;
CREATE INDEX platform_events_stream ON platform_events (stream_id) WHERE stream_id IS NOT NULL;

ALTER TABLE streams ADD COLUMN start_source TEXT NOT NULL DEFAULT 'event';
ALTER TABLE streams ADD COLUMN end_source TEXT;
ALTER TABLE streams ADD COLUMN last_event_at INTEGER;
CREATE INDEX streams_platform_started ON streams (platform, started_at);
CREATE INDEX streams_open ON streams (platform) WHERE ended_at IS NULL;

CREATE TABLE integration_outbox (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('chat', 'system')),
  purpose TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX integration_outbox_due ON integration_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX integration_outbox_purpose ON integration_outbox (purpose, created_at);

CREATE TABLE integration_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
}
