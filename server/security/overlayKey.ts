import type { Db } from '../storage/db.js'
import { randomToken, safeEqual } from './tokens.js'

const KEY = 'overlay_key'

export interface OverlayKeys {
  current(): string
  verify(candidate: unknown): boolean
  /** A new key: every overlay URL pasted into OBS so far stops working. */
  rotate(): string
}

/** The key in overlay URLs (OBS browser sources cannot send headers), kept in the settings table. */
export function createOverlayKeys(db: Db): OverlayKeys {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?')
  const write = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  )
  let cached = (read.get(KEY) as { value: string } | undefined)?.value
  if (!cached) {
    cached = randomToken(18)
    write.run(KEY, cached, Date.now())
  }
  return {
    current: () => cached as string,
    verify: (candidate) => typeof candidate === 'string' && safeEqual(candidate, cached as string),
    rotate() {
      cached = randomToken(18)
      write.run(KEY, cached, Date.now())
      return cached
    },
  }
}
