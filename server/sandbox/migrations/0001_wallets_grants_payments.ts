import type { Migration } from '../../storage/migrations/index.js'

// The sandbox's tables as version 0.1.0 created them: wallets with play balances, their keys (the
// app's client key among them), GNAP grants and access tokens, and the Open Payments resources.
// `IF NOT EXISTS` because 0.1.0 created these tables without recording a migration: a sandbox.sqlite
// written by it is adopted as it is (this migration only records itself there), and a new file gets
// the same schema. Amounts are decimal strings of minor units.
export const walletsGrantsPayments: Migration = {
  id: 1,
  name: 'wallets_grants_payments',
  sql: `
CREATE TABLE IF NOT EXISTS wallets (
  name TEXT PRIMARY KEY,
  public_name TEXT NOT NULL,
  asset_code TEXT NOT NULL,
  asset_scale INTEGER NOT NULL,
  role TEXT NOT NULL,
  balance TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS keys (
  wallet_name TEXT NOT NULL REFERENCES wallets(name),
  kid TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  private_pem TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (wallet_name, kid)
);
CREATE TABLE IF NOT EXISTS grants (
  id TEXT PRIMARY KEY,
  client TEXT NOT NULL,
  access TEXT NOT NULL,
  state TEXT NOT NULL,
  continue_id TEXT NOT NULL UNIQUE,
  continue_token TEXT NOT NULL,
  wait_sec INTEGER,
  last_continued_at INTEGER NOT NULL,
  interact_id TEXT UNIQUE,
  interact_nonce TEXT,
  interact_ref TEXT,
  client_nonce TEXT,
  finish_uri TEXT,
  interaction_expires_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS access_tokens (
  id TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants(id),
  value TEXT NOT NULL UNIQUE,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS incoming_payments (
  id TEXT PRIMARY KEY,
  wallet_name TEXT NOT NULL REFERENCES wallets(name),
  client TEXT,
  incoming_amount TEXT,
  received_amount TEXT NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  metadata TEXT,
  shared_secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
  id TEXT PRIMARY KEY,
  wallet_name TEXT NOT NULL REFERENCES wallets(name),
  client TEXT NOT NULL,
  receiver TEXT NOT NULL,
  incoming_payment_id TEXT NOT NULL REFERENCES incoming_payments(id),
  debit_amount TEXT NOT NULL,
  receive_amount TEXT NOT NULL,
  fee TEXT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outgoing_payments (
  id TEXT PRIMARY KEY,
  wallet_name TEXT NOT NULL REFERENCES wallets(name),
  client TEXT NOT NULL,
  grant_id TEXT NOT NULL REFERENCES grants(id),
  quote_id TEXT REFERENCES quotes(id),
  receiver TEXT NOT NULL,
  incoming_payment_id TEXT NOT NULL REFERENCES incoming_payments(id),
  debit_amount TEXT NOT NULL,
  receive_amount TEXT NOT NULL,
  fee TEXT NOT NULL,
  sent_amount TEXT NOT NULL,
  state TEXT NOT NULL,
  metadata TEXT,
  settle_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outgoing_by_grant ON outgoing_payments(grant_id);
CREATE INDEX IF NOT EXISTS outgoing_by_state ON outgoing_payments(state);
`,
}
