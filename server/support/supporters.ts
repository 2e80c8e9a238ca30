import { createHmac, randomBytes } from 'node:crypto'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'
import { ADJECTIVES, NOUNS } from './labelWords.js'

/**
 * Who a supporter is and which name is shown: the one rule every reader of the ledger uses (the
 * dashboard's top supporters, the Supporters page, the overlays, the gifter path, tier statistics).
 *
 * - **Who.** A supporter is their key when the event has one (the wallet address of a tip, a platform
 *   user id); without a key, their chosen name, trimmed and lower-cased (`name:ann`), so "Ann" and
 *   " ann " are one supporter. An event with neither is anonymous: it counts in totals and goals, but
 *   belongs to no supporter (no leaderboard row, no level).
 * - **Which name.** A supporter (a ranking row, a level) is shown by the latest non-empty name they
 *   chose (trimmed), whatever the asset; one who never chose a name, by a stable anonymous label
 *   ("Brave Otter 417", see `createSupporterIdentity`). A single event (an alert, a ticker entry, the
 *   event list) shows the name given with it, else its supporter's label. The key itself (a wallet
 *   address) is never shown, nor sent to a page.
 * - **Levels.** Rankings and totals count every supporter; a level-up, which names the supporter on
 *   stream, is announced only to one known by a key (anyone can type a name).
 *
 * The SQL below is the same rule for the triggers and queries of this module (and it is the expression
 * of the `support_events_supporter_id` index: keep the text identical so SQLite uses it).
 */
export function supporterIdSql(row = ''): string {
  return `COALESCE(NULLIF(${row}supporter_key, ''), 'name:' || lower(NULLIF(trim(${row}supporter_name), '')))`
}

/** The name an event carries, as the rule reads it: trimmed, empty meaning none. */
export function supporterNameSql(row = ''): string {
  return `NULLIF(trim(${row}supporter_name), '')`
}

/** The rule in TypeScript: the supporter an event belongs to, or null for anonymous support. */
export function supporterIdOf(
  supporterKey: string | null | undefined,
  supporterName: string | null | undefined,
): string | null {
  if (supporterKey) return supporterKey
  const name = supporterName?.trim().toLowerCase()
  return name ? `name:${name}` : null
}

const CACHE_LIMIT = 20_000

export interface SupporterIdentity {
  /** A stable anonymous label such as "Brave Otter 417": same supporter, same label; unreadable back. */
  label(supporterId: string): string
  /** The name to show: the latest chosen one, else the label. */
  shownName(supporterId: string, chosenName: string | null): string
  /** A stable opaque id for API answers; resolvable back only through this install's table. */
  publicId(supporterId: string): string
  /** The supporter behind an id this install handed out, or undefined. */
  resolve(publicId: string): string | undefined
}

/**
 * Labels and ids are HMACs of the supporter id (a wallet address, mostly) under a random per-install
 * secret kept in the settings (`supporters.labelSecret`), so they are stable for that install, reveal
 * nothing about the wallet, and cannot be matched across installs.
 */
export function createSupporterIdentity(db: Db, settings: SettingsStore): SupporterIdentity {
  let stored = settings.get('supporters.labelSecret')
  if (stored === null) {
    stored = randomBytes(32).toString('base64')
    settings.set('supporters.labelSecret', stored)
  }
  const secret = Buffer.from(stored, 'base64')
  const registerId = db.prepare(
    'INSERT OR IGNORE INTO supporter_ids (public_id, supporter_key) VALUES (?, ?)',
  )
  const findId = db.prepare('SELECT supporter_key FROM supporter_ids WHERE public_id = ?')
  const labels = new Map<string, string>()
  const ids = new Map<string, string>()

  function remember(cache: Map<string, string>, key: string, value: string): void {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, value)
  }

  function digest(purpose: string, supporterId: string): Buffer {
    return createHmac('sha256', secret).update(`${purpose}\n${supporterId}`).digest()
  }

  function label(supporterId: string): string {
    const cached = labels.get(supporterId)
    if (cached) return cached
    const mac = digest('label', supporterId)
    const adjective = ADJECTIVES[mac.readUInt16BE(0) % ADJECTIVES.length] as string
    const noun = NOUNS[mac.readUInt16BE(2) % NOUNS.length] as string
    const number = mac.readUInt32BE(4) % 1000
    const text = `${adjective} ${noun} ${number}`
    remember(labels, supporterId, text)
    return text
  }

  return {
    label,
    shownName: (supporterId, chosenName) => chosenName ?? label(supporterId),
    publicId(supporterId) {
      const cached = ids.get(supporterId)
      if (cached) return cached
      const id = `sp_${digest('id', supporterId).subarray(0, 12).toString('base64url')}`
      registerId.run(id, supporterId)
      remember(ids, supporterId, id)
      return id
    },
    resolve(publicId) {
      const found = findId.get(publicId) as { supporter_key: string } | undefined
      return found?.supporter_key
    },
  }
}
