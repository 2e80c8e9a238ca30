import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../storage/db.js'
import { createViewerSessions, VIEWER_SESSION_TTL_MS } from './viewerSessions.js'

let db: Db | undefined
afterEach(() => db?.close())

describe('viewer sessions', () => {
  it('remembers the wallet for 30 minutes of inactivity, each visit restarting the clock', () => {
    db = openDatabase(':memory:')
    let clock = 1_000_000
    const sessions = createViewerSessions({ db, now: () => clock })
    const { cookieValue, session } = sessions.create()
    sessions.rememberWallet(session.id, 'https://wallet.example/alice')

    clock += VIEWER_SESSION_TTL_MS - 1000
    expect(sessions.touch(cookieValue)?.walletAddress).toBe('https://wallet.example/alice')
    clock += VIEWER_SESSION_TTL_MS - 1000
    expect(sessions.touch(cookieValue)?.walletAddress).toBe('https://wallet.example/alice')
    clock += VIEWER_SESSION_TTL_MS
    expect(sessions.touch(cookieValue)).toBeNull()
  })

  it('stores only a hash of the cookie and sweeps expired rows', () => {
    db = openDatabase(':memory:')
    let clock = 5_000
    const sessions = createViewerSessions({ db, now: () => clock })
    const first = sessions.create()
    sessions.create()
    const ids = (db.prepare('SELECT id FROM viewer_sessions').all() as { id: string }[]).map(
      (r) => r.id,
    )
    expect(ids).not.toContain(first.cookieValue)
    expect(sessions.touch('not-a-session')).toBeNull()
    clock += VIEWER_SESSION_TTL_MS + 1
    expect(sessions.sweep()).toBe(2)
    expect(db.prepare('SELECT COUNT(*) AS n FROM viewer_sessions').get()).toEqual({ n: 0 })
  })
})
