import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../testing/harness.js'
import { openDatabase } from '../storage/db.js'
import { createSupporterIdentity } from './supporters.js'
import { settingsFor } from '../testing/settings.js'

function identityOnFreshDb() {
  const db = openDatabase(':memory:')
  return createSupporterIdentity(db, settingsFor(db))
}

const wallet = 'https://wallet.example/alice'

describe('anonymous supporter labels', () => {
  it('gives the same wallet the same label, across restarts of the same install', () => {
    const file = path.join(makeTempDir(), 'wm.sqlite')
    const first = openDatabase(file)
    const a = createSupporterIdentity(first, settingsFor(first))
    const label = a.label(wallet)
    const id = a.publicId(wallet)
    expect(a.label(wallet)).toBe(label)
    first.close()
    const second = openDatabase(file)
    const b = createSupporterIdentity(second, settingsFor(second))
    expect(b.label(wallet)).toBe(label)
    expect(b.publicId(wallet)).toBe(id)
    expect(b.resolve(id)).toBe(wallet)
    second.close()
  })

  it('reads as a word pair and a number and does not reveal the wallet', () => {
    const identity = identityOnFreshDb()
    const label = identity.label(wallet)
    expect(label).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{1,3}$/)
    expect(label.toLowerCase()).not.toContain('alice')
    expect(identity.publicId(wallet)).not.toContain('alice')
    expect(identity.resolve('sp_unknown')).toBeUndefined()
  })

  it('tells different wallets apart and differs between installs (per-install secret)', () => {
    const one = identityOnFreshDb()
    const other = identityOnFreshDb()
    const labels = new Set(
      Array.from({ length: 200 }, (_, i) => one.label(`https://wallet.example/u${i}`)),
    )
    expect(labels.size).toBeGreaterThan(195)
    const ids = new Set(
      Array.from({ length: 200 }, (_, i) => one.publicId(`https://wallet.example/u${i}`)),
    )
    expect(ids.size).toBe(200)
    expect(other.publicId(wallet)).not.toBe(one.publicId(wallet))
  })
})
