import type { Db } from '../storage/db.js'
import { randomToken, sha256Hex } from '../security/tokens.js'

export const VIEWER_COOKIE = 'wm_viewer'
export const VIEWER_SESSION_TTL_MS = 30 * 60 * 1000

export interface ViewerSession {
  /** The id stored in SQLite (a hash of the cookie value: a copy of the database holds no cookie). */
  id: string
  walletAddress: string | null
  expiresAt: number
}

export interface ViewerSessions {
  /** The live session of this cookie value, its inactivity timer restarted; null when unknown or expired. */
  touch(cookieValue: string | undefined): ViewerSession | null
  /** A new session; returns the cookie value to set. */
  create(): { cookieValue: string; session: ViewerSession }
  rememberWallet(sessionId: string, walletAddress: string): void
  /** The wallet remembered for this cookie value, without extending the session; null when none. */
  walletOf(cookieValue: string | undefined): string | null
  /** Deletes expired rows; returns how many. */
  sweep(): number
}

export interface ViewerSessionDeps {
  db: Db
  now?: () => number
  ttlMs?: number
}

/**
 * A viewer's wallet address remembered for 30 minutes of inactivity: cookie-bound, TTL in SQLite,
 * expired rows removed on a timer, so a second tip needs no retyping.
 */
export function createViewerSessions({
  db,
  now = Date.now,
  ttlMs = VIEWER_SESSION_TTL_MS,
}: ViewerSessionDeps): ViewerSessions {
  const find = db.prepare('SELECT id, wallet_address, expires_at FROM viewer_sessions WHERE id = ?')
  const extend = db.prepare(
    'UPDATE viewer_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?',
  )
  const insert = db.prepare(
    'INSERT INTO viewer_sessions (id, wallet_address, created_at, last_seen_at, expires_at) VALUES (?, NULL, ?, ?, ?)',
  )
  const setWallet = db.prepare(
    'UPDATE viewer_sessions SET wallet_address = ?, last_seen_at = ?, expires_at = ? WHERE id = ?',
  )
  const removeExpired = db.prepare('DELETE FROM viewer_sessions WHERE expires_at <= ?')
  const remove = db.prepare('DELETE FROM viewer_sessions WHERE id = ?')

  return {
    touch(cookieValue) {
      if (!cookieValue || cookieValue.length > 100) return null
      const id = sha256Hex(cookieValue)
      const row = find.get(id) as
        { id: string; wallet_address: string | null; expires_at: number } | undefined
      if (!row) return null
      const at = now()
      if (row.expires_at <= at) {
        remove.run(id)
        return null
      }
      const expiresAt = at + ttlMs
      extend.run(at, expiresAt, id)
      return { id, walletAddress: row.wallet_address, expiresAt }
    },
    create() {
      const cookieValue = randomToken(24)
      const id = sha256Hex(cookieValue)
      const at = now()
      insert.run(id, at, at, at + ttlMs)
      return { cookieValue, session: { id, walletAddress: null, expiresAt: at + ttlMs } }
    },
    rememberWallet(sessionId, walletAddress) {
      const at = now()
      setWallet.run(walletAddress, at, at + ttlMs, sessionId)
    },
    walletOf(cookieValue) {
      if (!cookieValue || cookieValue.length > 100) return null
      const row = find.get(sha256Hex(cookieValue)) as
        { wallet_address: string | null; expires_at: number } | undefined
      return row && row.expires_at > now() ? row.wallet_address : null
    },
    sweep() {
      return removeExpired.run(now()).changes
    },
  }
}
