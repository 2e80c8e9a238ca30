import type { Migration } from './migration.js'

// Tip flows (DESIGN §5): what a restart needs to resume a flow without paying or counting twice, and the
// reusable grants of the app's client identity.
export const tips: Migration = {
  id: 2,
  name: 'tips',
  sql: `
ALTER TABLE tip_flows ADD COLUMN incoming_payment_url TEXT;
ALTER TABLE tip_flows ADD COLUMN next_check_at INTEGER;
CREATE UNIQUE INDEX tip_flows_incoming_payment ON tip_flows (incoming_payment_url)
  WHERE incoming_payment_url IS NOT NULL;
CREATE INDEX tip_flows_viewer_session ON tip_flows (viewer_session_id);
CREATE INDEX tip_flows_expires_at ON tip_flows (state, expires_at);

ALTER TABLE grants ADD COLUMN client_key TEXT;
CREATE INDEX grants_lookup ON grants (purpose, auth_server, client_key);
`,
}
