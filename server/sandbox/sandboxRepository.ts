/**
 * The sandbox wallet's own SQLite file (not the app's database: the sandbox is a separate wallet
 * provider that merely runs in the same process), its schema in ./migrations. Amounts are stored as
 * decimal strings of minor units and computed with bigint; every money move runs in one transaction.
 */
import { generateKeyPairSync } from 'node:crypto'
import { generateJwk, type JWK } from '@interledger/http-signature-utils'
import { openDatabase, type Db } from '../storage/db.js'
import { sandboxMigrations } from './migrations/index.js'

export type SandboxDb = Db
export type WalletRole = 'streamer' | 'client' | 'viewer'

export interface WalletRow {
  name: string
  public_name: string
  asset_code: string
  asset_scale: number
  role: WalletRole
  balance: string
  position: number
}

export interface KeyRow {
  wallet_name: string
  kid: string
  public_jwk: string
  private_pem: string | null
  created_at: number
}

export type GrantState = 'pending' | 'approved' | 'finalized' | 'rejected' | 'revoked'

export interface GrantRow {
  id: string
  client: string
  access: string
  state: GrantState
  continue_id: string
  continue_token: string
  wait_sec: number | null
  last_continued_at: number
  interact_id: string | null
  interact_nonce: string | null
  interact_ref: string | null
  client_nonce: string | null
  finish_uri: string | null
  interaction_expires_at: number | null
  created_at: number
}

export interface AccessTokenRow {
  id: string
  grant_id: string
  value: string
  expires_at: number
  revoked: number
  created_at: number
}

export interface IncomingPaymentRow {
  id: string
  wallet_name: string
  client: string | null
  incoming_amount: string | null
  received_amount: string
  completed: number
  expires_at: number
  metadata: string | null
  shared_secret: string
  created_at: number
}

export interface QuoteRow {
  id: string
  wallet_name: string
  client: string
  receiver: string
  incoming_payment_id: string
  debit_amount: string
  receive_amount: string
  fee: string
  used: number
  expires_at: number
  created_at: number
}

export type OutgoingState = 'sending' | 'completed' | 'failed'

export interface OutgoingPaymentRow {
  id: string
  wallet_name: string
  client: string
  grant_id: string
  quote_id: string | null
  receiver: string
  incoming_payment_id: string
  debit_amount: string
  receive_amount: string
  fee: string
  sent_amount: string
  state: OutgoingState
  metadata: string | null
  settle_at: number
  created_at: number
}

export interface SeedWallet {
  name: string
  publicName: string
  assetCode: string
  assetScale: number
  role: WalletRole
  balance: bigint
  /** Its account servicer refuses to fund outgoing payments: they are accepted, then cancelled. */
  fundingRefused?: boolean
}

/** The ready-made wallets (DESIGN §5, last point). Balances are play money in minor units. */
export const SEED_WALLETS: readonly SeedWallet[] = [
  {
    name: 'streamer',
    publicName: 'Sandbox Streamer',
    assetCode: 'EUR',
    assetScale: 2,
    role: 'streamer',
    balance: 0n,
  },
  {
    name: 'wm-companion',
    publicName: 'WM Companion',
    assetCode: 'EUR',
    assetScale: 2,
    role: 'client',
    balance: 0n,
  },
  {
    name: 'alice',
    publicName: 'Alice',
    assetCode: 'EUR',
    assetScale: 2,
    role: 'viewer',
    balance: 100_000n,
  },
  {
    name: 'bob',
    publicName: 'Bob',
    assetCode: 'EUR',
    assetScale: 2,
    role: 'viewer',
    balance: 5_000n,
  },
  {
    name: 'carol',
    publicName: 'Carol',
    assetCode: 'USD',
    assetScale: 2,
    role: 'viewer',
    balance: 100_000n,
  },
  {
    name: 'dave',
    publicName: 'Dave',
    assetCode: 'EUR',
    assetScale: 2,
    role: 'viewer',
    balance: 100_000n,
    fundingRefused: true,
  },
]

/** Rafiki's words when its account servicer cancels an outgoing payment it cannot fund. */
export const FUNDING_REFUSED_REASON = 'Account does not have enough balance'

/** Whether the wallet's outgoing payments are accepted and then cancelled (like Rafiki's FUNDING). */
export function fundingRefused(walletName: string): boolean {
  return SEED_WALLETS.some((wallet) => wallet.name === walletName && wallet.fundingRefused === true)
}

/** Wallets that publish the app's client key: the client identity itself and the streamer. */
const CLIENT_KEY_WALLETS = ['wm-companion', 'streamer']

/**
 * Opens (or creates) the sandbox's SQLite file like the app's own: WAL, foreign keys, readable by the
 * user only (it holds a sandbox-only private key), migrated before use; then the ready-made wallets and
 * the client key are added when missing.
 */
export function openSandboxDb(file: string): SandboxDb {
  const db = openDatabase(file, sandboxMigrations)
  try {
    seed(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

function seed(db: SandboxDb): void {
  db.transaction(() => {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO wallets (name, public_name, asset_code, asset_scale, role, balance, position)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    SEED_WALLETS.forEach((wallet, index) =>
      insert.run(
        wallet.name,
        wallet.publicName,
        wallet.assetCode,
        wallet.assetScale,
        wallet.role,
        wallet.balance.toString(),
        index,
      ),
    )
    const existing = db
      .prepare('SELECT * FROM keys WHERE private_pem IS NOT NULL ORDER BY created_at LIMIT 1')
      .get() as KeyRow | undefined
    if (existing) return
    // Generated once and persisted, so the app's client identity survives restarts.
    const { privateKey } = generateKeyPairSync('ed25519')
    const kid = `sandbox-${new Date().toISOString().slice(0, 10)}-${randomSuffix()}`
    const jwk: JWK = generateJwk({ privateKey, keyId: kid })
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const insertKey = db.prepare(
      'INSERT INTO keys (wallet_name, kid, public_jwk, private_pem, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    for (const walletName of CLIENT_KEY_WALLETS) {
      insertKey.run(walletName, kid, JSON.stringify(jwk), pem, Date.now())
    }
  })()
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 8)
}

/** Typed statements over the sandbox database. */
export function createSandboxRepository(db: SandboxDb) {
  const stmt = {
    wallets: db.prepare('SELECT * FROM wallets ORDER BY position'),
    wallet: db.prepare('SELECT * FROM wallets WHERE name = ?'),
    setBalance: db.prepare('UPDATE wallets SET balance = ? WHERE name = ?'),
    keysOf: db.prepare('SELECT * FROM keys WHERE wallet_name = ? ORDER BY created_at'),
    clientKey: db.prepare(
      "SELECT * FROM keys WHERE wallet_name = 'wm-companion' AND private_pem IS NOT NULL ORDER BY created_at LIMIT 1",
    ),
    insertGrant: db.prepare(
      `INSERT INTO grants (id, client, access, state, continue_id, continue_token, wait_sec,
        last_continued_at, interact_id, interact_nonce, interact_ref, client_nonce, finish_uri,
        interaction_expires_at, created_at)
       VALUES (@id, @client, @access, @state, @continue_id, @continue_token, @wait_sec,
        @last_continued_at, @interact_id, @interact_nonce, @interact_ref, @client_nonce, @finish_uri,
        @interaction_expires_at, @created_at)`,
    ),
    grant: db.prepare('SELECT * FROM grants WHERE id = ?'),
    grantByContinue: db.prepare('SELECT * FROM grants WHERE continue_id = ?'),
    grantByInteraction: db.prepare('SELECT * FROM grants WHERE interact_id = ?'),
    setGrantState: db.prepare('UPDATE grants SET state = ? WHERE id = ?'),
    approveGrant: db.prepare(
      "UPDATE grants SET state = 'approved', interact_ref = ? WHERE id = ? AND state = 'pending'",
    ),
    rejectGrant: db.prepare(
      "UPDATE grants SET state = 'rejected' WHERE id = ? AND state = 'pending'",
    ),
    touchContinue: db.prepare('UPDATE grants SET last_continued_at = ? WHERE id = ?'),
    insertToken: db.prepare(
      `INSERT INTO access_tokens (id, grant_id, value, expires_at, revoked, created_at)
       VALUES (@id, @grant_id, @value, @expires_at, 0, @created_at)`,
    ),
    token: db.prepare('SELECT * FROM access_tokens WHERE id = ?'),
    tokenByValue: db.prepare('SELECT * FROM access_tokens WHERE value = ?'),
    revokeToken: db.prepare('UPDATE access_tokens SET revoked = 1 WHERE id = ?'),
    revokeGrantTokens: db.prepare('UPDATE access_tokens SET revoked = 1 WHERE grant_id = ?'),
    insertIncoming: db.prepare(
      `INSERT INTO incoming_payments (id, wallet_name, client, incoming_amount, received_amount,
        completed, expires_at, metadata, shared_secret, created_at)
       VALUES (@id, @wallet_name, @client, @incoming_amount, @received_amount, @completed,
        @expires_at, @metadata, @shared_secret, @created_at)`,
    ),
    incoming: db.prepare('SELECT * FROM incoming_payments WHERE id = ?'),
    incomingOfWallet: db.prepare(
      'SELECT * FROM incoming_payments WHERE wallet_name = ? ORDER BY created_at, id',
    ),
    completeIncoming: db.prepare('UPDATE incoming_payments SET completed = 1 WHERE id = ?'),
    creditIncoming: db.prepare(
      'UPDATE incoming_payments SET received_amount = ?, completed = ? WHERE id = ?',
    ),
    insertQuote: db.prepare(
      `INSERT INTO quotes (id, wallet_name, client, receiver, incoming_payment_id, debit_amount,
        receive_amount, fee, used, expires_at, created_at)
       VALUES (@id, @wallet_name, @client, @receiver, @incoming_payment_id, @debit_amount,
        @receive_amount, @fee, 0, @expires_at, @created_at)`,
    ),
    quote: db.prepare('SELECT * FROM quotes WHERE id = ?'),
    useQuote: db.prepare('UPDATE quotes SET used = 1 WHERE id = ? AND used = 0'),
    insertOutgoing: db.prepare(
      `INSERT INTO outgoing_payments (id, wallet_name, client, grant_id, quote_id, receiver,
        incoming_payment_id, debit_amount, receive_amount, fee, sent_amount, state, metadata,
        settle_at, created_at)
       VALUES (@id, @wallet_name, @client, @grant_id, @quote_id, @receiver, @incoming_payment_id,
        @debit_amount, @receive_amount, @fee, @sent_amount, @state, @metadata, @settle_at,
        @created_at)`,
    ),
    outgoing: db.prepare('SELECT * FROM outgoing_payments WHERE id = ?'),
    outgoingOfWallet: db.prepare(
      'SELECT * FROM outgoing_payments WHERE wallet_name = ? ORDER BY created_at, id',
    ),
    outgoingOfGrant: db.prepare(
      "SELECT * FROM outgoing_payments WHERE grant_id = ? AND state != 'failed'",
    ),
    sendingOutgoing: db.prepare(
      "SELECT * FROM outgoing_payments WHERE state = 'sending' ORDER BY created_at, rowid",
    ),
    finishOutgoing: db.prepare(
      "UPDATE outgoing_payments SET state = ?, sent_amount = ? WHERE id = ? AND state = 'sending'",
    ),
    setOutgoingMetadata: db.prepare('UPDATE outgoing_payments SET metadata = ? WHERE id = ?'),
  }

  return {
    db,
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)()
    },
    wallets: () => stmt.wallets.all() as WalletRow[],
    wallet: (name: string) => stmt.wallet.get(name) as WalletRow | undefined,
    setBalance: (name: string, balance: bigint) => stmt.setBalance.run(balance.toString(), name),
    keysOf: (walletName: string) => stmt.keysOf.all(walletName) as KeyRow[],
    clientKey: () => stmt.clientKey.get() as KeyRow | undefined,
    insertGrant: (row: GrantRow) => stmt.insertGrant.run(row),
    grant: (id: string) => stmt.grant.get(id) as GrantRow | undefined,
    grantByContinue: (id: string) => stmt.grantByContinue.get(id) as GrantRow | undefined,
    grantByInteraction: (id: string) => stmt.grantByInteraction.get(id) as GrantRow | undefined,
    setGrantState: (id: string, state: GrantState) => stmt.setGrantState.run(state, id),
    approveGrant: (id: string, interactRef: string) =>
      stmt.approveGrant.run(interactRef, id).changes === 1,
    rejectGrant: (id: string) => stmt.rejectGrant.run(id).changes === 1,
    touchContinue: (id: string, at: number) => stmt.touchContinue.run(at, id),
    insertToken: (row: Omit<AccessTokenRow, 'revoked'>) => stmt.insertToken.run(row),
    token: (id: string) => stmt.token.get(id) as AccessTokenRow | undefined,
    tokenByValue: (value: string) => stmt.tokenByValue.get(value) as AccessTokenRow | undefined,
    revokeToken: (id: string) => stmt.revokeToken.run(id),
    revokeGrantTokens: (grantId: string) => stmt.revokeGrantTokens.run(grantId),
    insertIncoming: (row: IncomingPaymentRow) => stmt.insertIncoming.run(row),
    incoming: (id: string) => stmt.incoming.get(id) as IncomingPaymentRow | undefined,
    incomingOfWallet: (walletName: string) =>
      stmt.incomingOfWallet.all(walletName) as IncomingPaymentRow[],
    completeIncoming: (id: string) => stmt.completeIncoming.run(id),
    creditIncoming: (id: string, received: bigint, completed: boolean) =>
      stmt.creditIncoming.run(received.toString(), completed ? 1 : 0, id),
    insertQuote: (row: Omit<QuoteRow, 'used'>) => stmt.insertQuote.run(row),
    quote: (id: string) => stmt.quote.get(id) as QuoteRow | undefined,
    useQuote: (id: string) => stmt.useQuote.run(id).changes === 1,
    insertOutgoing: (row: OutgoingPaymentRow) => stmt.insertOutgoing.run(row),
    outgoing: (id: string) => stmt.outgoing.get(id) as OutgoingPaymentRow | undefined,
    outgoingOfWallet: (walletName: string) =>
      stmt.outgoingOfWallet.all(walletName) as OutgoingPaymentRow[],
    outgoingOfGrant: (grantId: string) => stmt.outgoingOfGrant.all(grantId) as OutgoingPaymentRow[],
    sendingOutgoing: () => stmt.sendingOutgoing.all() as OutgoingPaymentRow[],
    finishOutgoing: (id: string, state: OutgoingState, sent: bigint) =>
      stmt.finishOutgoing.run(state, sent.toString(), id).changes === 1,
    setOutgoingMetadata: (id: string, metadata: string) =>
      stmt.setOutgoingMetadata.run(metadata, id),
  }
}

export type SandboxRepository = ReturnType<typeof createSandboxRepository>
