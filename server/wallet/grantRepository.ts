import type { Db } from '../storage/db.js'

/** `wm-read`: read-all on the streamer's wallet; `wm-list`: the interactive list-all (Web Monetization). */
export type GrantPurpose = 'incoming-payment' | 'quote' | 'wm-read' | 'wm-list'

/** A reusable non-interactive grant of the app's client identity (DESIGN §5 step 2: keep it, rotate it). */
export interface StoredGrant {
  id: string
  purpose: GrantPurpose
  authServer: string
  accessToken: string
  manageUrl: string
  /** ms since epoch; null when the auth server gave no expiry. */
  expiresAt: number | null
}

export interface GrantRepository {
  /** The newest grant for `purpose` at `authServer` of this client identity. */
  find(purpose: GrantPurpose, authServer: string, clientKey: string): StoredGrant | undefined
  /** Stores a new grant and drops the older ones of the same purpose, server and identity, at once. */
  replace(
    grant: StoredGrant,
    owner: { walletAddress: string; clientKey: string },
    now: number,
  ): void
  updateToken(
    id: string,
    token: { accessToken: string; manageUrl: string; expiresAt: number | null },
    now: number,
  ): void
  delete(id: string): void
  /** Every stored grant of a client identity. */
  listFor(clientKey: string): StoredGrant[]
}

interface GrantRow {
  id: string
  purpose: GrantPurpose
  auth_server: string
  access_token: string
  manage_url: string
  expires_at: number | null
}

function fromRow(row: GrantRow): StoredGrant {
  return {
    id: row.id,
    purpose: row.purpose,
    authServer: row.auth_server,
    accessToken: row.access_token,
    manageUrl: row.manage_url,
    expiresAt: row.expires_at,
  }
}

/** The SQL of the `grants` table, which the wallet feature owns. */
export function createGrantRepository(db: Db): GrantRepository {
  const find = db.prepare(
    `SELECT id, purpose, auth_server, access_token, manage_url, expires_at FROM grants
     WHERE purpose = ? AND auth_server = ? AND client_key = ? ORDER BY updated_at DESC LIMIT 1`,
  )
  const insert = db.prepare(
    `INSERT INTO grants (id, purpose, auth_server, wallet_address, access_token, manage_url, expires_at,
       created_at, updated_at, client_key)
     VALUES (@id, @purpose, @authServer, @walletAddress, @accessToken, @manageUrl, @expiresAt, @now, @now, @clientKey)`,
  )
  const deleteOthers = db.prepare(
    'DELETE FROM grants WHERE purpose = ? AND auth_server = ? AND client_key = ? AND id != ?',
  )
  const updateToken = db.prepare(
    `UPDATE grants SET access_token = @accessToken, manage_url = @manageUrl, expires_at = @expiresAt,
       updated_at = @now WHERE id = @id`,
  )
  const deleteOne = db.prepare('DELETE FROM grants WHERE id = ?')
  const listFor = db.prepare(
    `SELECT id, purpose, auth_server, access_token, manage_url, expires_at FROM grants
     WHERE client_key = ? ORDER BY updated_at`,
  )
  const replace = db.transaction(
    (grant: StoredGrant, owner: { walletAddress: string; clientKey: string }, now: number) => {
      insert.run({
        id: grant.id,
        purpose: grant.purpose,
        authServer: grant.authServer,
        walletAddress: owner.walletAddress,
        accessToken: grant.accessToken,
        manageUrl: grant.manageUrl,
        expiresAt: grant.expiresAt,
        now,
        clientKey: owner.clientKey,
      })
      deleteOthers.run(grant.purpose, grant.authServer, owner.clientKey, grant.id)
    },
  )

  return {
    find(purpose, authServer, clientKey) {
      const row = find.get(purpose, authServer, clientKey) as GrantRow | undefined
      return row ? fromRow(row) : undefined
    },
    replace: (grant, owner, now) => replace(grant, owner, now),
    updateToken(id, token, now) {
      updateToken.run({ id, ...token, now })
    },
    delete(id) {
      deleteOne.run(id)
    },
    listFor(clientKey) {
      return (listFor.all(clientKey) as GrantRow[]).map(fromRow)
    },
  }
}
