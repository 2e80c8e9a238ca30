import type { Db } from '../storage/db.js'
import { randomToken, sha256Hex } from './tokens.js'

export const SESSION_COOKIE = 'wm_admin'
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
const LOGIN_TOKEN_TTL_MS = 24 * 60 * 60 * 1000

export interface AdminSessions {
  /** A one-time login token for the dashboard URL (printed by headless mode, opened by the desktop window). */
  issueLoginToken(): string
  /** Exchanges a login token for a new session id; the token cannot be used again. */
  redeemLoginToken(token: string): string | null
  isValidSession(sessionId: string | undefined): boolean
  endSession(sessionId: string): void
  /** Removes expired sessions; returns how many. */
  sweep(): number
}

export interface AdminSessionDeps {
  db: Db
  now?: () => number
}

/**
 * Admin sessions of the local listener (DESIGN §2). Login tokens live in memory (a restart prints a new
 * one); sessions are stored hashed in SQLite, so a restart keeps the streamer signed in and a copy of the
 * database does not hold usable session ids.
 */
export function createAdminSessions({ db, now = Date.now }: AdminSessionDeps): AdminSessions {
  const loginTokens = new Map<string, number>()
  const insert = db.prepare(
    'INSERT INTO admin_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)',
  )
  const find = db.prepare('SELECT expires_at FROM admin_sessions WHERE id_hash = ?')
  const remove = db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?')
  const removeExpired = db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?')

  return {
    issueLoginToken() {
      const token = randomToken()
      loginTokens.set(sha256Hex(token), now() + LOGIN_TOKEN_TTL_MS)
      return token
    },
    redeemLoginToken(token) {
      const key = sha256Hex(token)
      const expiresAt = loginTokens.get(key)
      // Map lookup by hash: comparing digests leaks nothing useful about the token itself.
      if (expiresAt === undefined) return null
      loginTokens.delete(key)
      if (expiresAt <= now()) return null
      const sessionId = randomToken()
      const created = now()
      insert.run(sha256Hex(sessionId), created, created + SESSION_TTL_MS)
      return sessionId
    },
    isValidSession(sessionId) {
      if (!sessionId || sessionId.length > 200) return false
      const row = find.get(sha256Hex(sessionId)) as { expires_at: number } | undefined
      return row !== undefined && row.expires_at > now()
    },
    endSession(sessionId) {
      remove.run(sha256Hex(sessionId))
    },
    sweep() {
      for (const [key, expiresAt] of loginTokens) if (expiresAt <= now()) loginTokens.delete(key)
      return removeExpired.run(now()).changes
    },
  }
}
