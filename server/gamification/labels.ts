import { createHmac, randomBytes } from 'node:crypto'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { Db } from '../storage/db.js'

const ADJECTIVES = [
  'Brave',
  'Calm',
  'Clever',
  'Cosmic',
  'Curious',
  'Daring',
  'Dizzy',
  'Eager',
  'Fancy',
  'Fearless',
  'Fluffy',
  'Friendly',
  'Gentle',
  'Giddy',
  'Glowing',
  'Golden',
  'Happy',
  'Hidden',
  'Humble',
  'Jolly',
  'Kind',
  'Lively',
  'Lucky',
  'Magic',
  'Mellow',
  'Merry',
  'Mighty',
  'Misty',
  'Noble',
  'Nimble',
  'Peppy',
  'Plucky',
  'Polite',
  'Proud',
  'Quick',
  'Quiet',
  'Radiant',
  'Rapid',
  'Rustic',
  'Shiny',
  'Silent',
  'Silly',
  'Sleepy',
  'Snappy',
  'Sneaky',
  'Sparkly',
  'Speedy',
  'Spicy',
  'Steady',
  'Stellar',
  'Sunny',
  'Swift',
  'Tiny',
  'Cheery',
  'Velvet',
  'Vivid',
  'Wandering',
  'Whimsical',
  'Wild',
  'Wise',
  'Witty',
  'Zany',
  'Zesty',
  'Bold',
] as const

const NOUNS = [
  'Badger',
  'Bear',
  'Beaver',
  'Bison',
  'Cat',
  'Cheetah',
  'Comet',
  'Crane',
  'Dolphin',
  'Dragon',
  'Eagle',
  'Falcon',
  'Ferret',
  'Finch',
  'Fox',
  'Gecko',
  'Heron',
  'Hedgehog',
  'Koala',
  'Lemur',
  'Lion',
  'Llama',
  'Lynx',
  'Meteor',
  'Moose',
  'Narwhal',
  'Nebula',
  'Otter',
  'Owl',
  'Panda',
  'Panther',
  'Parrot',
  'Pegasus',
  'Penguin',
  'Phoenix',
  'Puffin',
  'Quokka',
  'Rabbit',
  'Raccoon',
  'Raven',
  'Robin',
  'Rocket',
  'Salmon',
  'Seal',
  'Shark',
  'Sparrow',
  'Squirrel',
  'Star',
  'Swan',
  'Tiger',
  'Toucan',
  'Turtle',
  'Unicorn',
  'Walrus',
  'Whale',
  'Wolf',
  'Wombat',
  'Yak',
  'Zebra',
  'Griffin',
  'Kraken',
  'Mantis',
  'Orca',
  'Pixel',
] as const

const CACHE_LIMIT = 20_000

export interface SupporterIdentity {
  /** A stable anonymous label such as "Brave Otter 417": same key, same label; the key cannot be read back. */
  label(supporterKey: string): string
  /** A stable opaque id for API answers; resolvable back to the key only through this install's table. */
  publicId(supporterKey: string): string
  /** The supporter key behind an id this install handed out, or undefined. */
  resolve(publicId: string): string | undefined
}

/**
 * Labels and ids are HMACs of the supporter key (a wallet address) under a random per-install secret
 * kept in the settings (`supporters.labelSecret`), so they are stable for that install, reveal nothing
 * about the wallet, and cannot be matched across installs.
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
  const findKey = db.prepare('SELECT supporter_key FROM supporter_ids WHERE public_id = ?')
  const labels = new Map<string, string>()
  const ids = new Map<string, string>()

  function remember(cache: Map<string, string>, key: string, value: string): void {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, value)
  }

  function digest(purpose: string, supporterKey: string): Buffer {
    return createHmac('sha256', secret).update(`${purpose}\n${supporterKey}`).digest()
  }

  return {
    label(supporterKey) {
      const cached = labels.get(supporterKey)
      if (cached) return cached
      const mac = digest('label', supporterKey)
      const adjective = ADJECTIVES[mac.readUInt16BE(0) % ADJECTIVES.length] as string
      const noun = NOUNS[mac.readUInt16BE(2) % NOUNS.length] as string
      const number = mac.readUInt32BE(4) % 1000
      const label = `${adjective} ${noun} ${number}`
      remember(labels, supporterKey, label)
      return label
    },
    publicId(supporterKey) {
      const cached = ids.get(supporterKey)
      if (cached) return cached
      const id = `sp_${digest('id', supporterKey).subarray(0, 12).toString('base64url')}`
      registerId.run(id, supporterKey)
      remember(ids, supporterKey, id)
      return id
    },
    resolve(publicId) {
      const found = findKey.get(publicId) as { supporter_key: string } | undefined
      return found?.supporter_key
    },
  }
}
