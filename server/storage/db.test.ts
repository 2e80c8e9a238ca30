import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../testing/harness.js'
import { createRequire } from 'node:module'
import { MigrationError, migrate, openDatabase, useNativeBinding } from './db.js'
import { migrations } from './migrations/index.js'

const require = createRequire(import.meta.url)

describe('openDatabase', () => {
  it('opens a WAL database with foreign keys, applies every migration once, and is private to the user', () => {
    const file = path.join(makeTempDir(), 'db.sqlite')
    const db = openDatabase(file)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()
    expect(applied).toEqual(migrations.map(({ id, name }) => ({ id, name })))
    db.close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)

    const again = openDatabase(file)
    expect(migrate(again)).toBe(0)
    again.close()
  })

  it('applies only the new migrations of a newer build', () => {
    const file = path.join(makeTempDir(), 'db.sqlite')
    const [first] = migrations
    if (!first) throw new Error('no migrations')
    openDatabase(file, [first]).close()
    const extra = { id: 9999, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }
    const db = openDatabase(file, [...migrations, extra])
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeTruthy()
    db.close()
  })

  it('refuses a database whose history is not a prefix of the known migrations', () => {
    const file = path.join(makeTempDir(), 'db.sqlite')
    const [first] = migrations
    if (!first) throw new Error('no migrations')
    openDatabase(file, [first, { id: 2, name: 'from-another-branch', sql: 'SELECT 1' }]).close()
    expect(() => openDatabase(file, [first, { id: 2, name: 'tips', sql: 'SELECT 1' }])).toThrow(
      MigrationError,
    )
  })

  it('refuses a database written by a newer version', () => {
    const file = path.join(makeTempDir(), 'db.sqlite')
    openDatabase(file, [...migrations, { id: 9999, name: 'future', sql: 'SELECT 1' }]).close()
    expect(() => openDatabase(file)).toThrow(/newer version/)
  })

  it('rolls back a failing migration entirely', () => {
    const file = path.join(makeTempDir(), 'db.sqlite')
    const broken = {
      id: 9999,
      name: 'broken',
      sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);',
    }
    expect(() => openDatabase(file, [...migrations, broken])).toThrow()
    const db = openDatabase(file)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined()
    db.close()
  })
})

describe('the addon of this process', () => {
  it('is the one every database opens with once the start function names it', async () => {
    const { startSandboxWallet } = await import('../sandbox/sandboxWallet.js')
    const addon = path.join(
      path.dirname(require.resolve('better-sqlite3/package.json')),
      'build/Release/better_sqlite3.node',
    )
    try {
      // A copy of the Node build stands in for Electron's: opening works through the named file...
      const copy = path.join(makeTempDir(), 'better_sqlite3.node')
      fs.copyFileSync(addon, copy)
      useNativeBinding(copy)
      openDatabase(':memory:').close()
      // ...and a file that is no addon fails every open, the sandbox wallet's too.
      const bogus = path.join(makeTempDir(), 'not-an-addon.node')
      fs.writeFileSync(bogus, 'nope')
      useNativeBinding(bogus)
      expect(() => openDatabase(':memory:')).toThrow()
      await expect(
        startSandboxWallet({ port: 0, dbFile: path.join(makeTempDir(), 'sandbox.sqlite') }),
      ).rejects.toThrow()
    } finally {
      useNativeBinding(undefined)
    }
  })
})
