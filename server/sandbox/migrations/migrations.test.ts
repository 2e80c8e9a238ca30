/**
 * The sandbox's own SQLite file is migrated like the app's: numbered migrations recorded in
 * `schema_migrations`, checked as a prefix. A sandbox.sqlite written by 0.1.0 (before it had
 * migrations; tests/fixtures/legacy-0.1.0) opens with its wallets, balances, keys, grants and payments.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { findAppRoot } from '../../app/appRoot.js'
import { migrate, MigrationError } from '../../storage/db.js'
import { makeTempDir } from '../../testing/harness.js'
import { openSandboxDb } from '../sandboxRepository.js'
import { startSandboxWallet, type SandboxWallet } from '../sandboxWallet.js'
import { sandboxMigrations } from './index.js'

const LEGACY_FILE = path.join(findAppRoot(), 'tests', 'fixtures', 'legacy-0.1.0', 'sandbox.sqlite')
const TABLES = [
  'wallets',
  'keys',
  'grants',
  'access_tokens',
  'incoming_payments',
  'quotes',
  'outgoing_payments',
]

const running: SandboxWallet[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const wallet of running.splice(0)) await wallet.close()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function tempFile(): string {
  const dir = makeTempDir('wm-sandbox-migrations-')
  dirs.push(dir)
  return path.join(dir, 'sandbox.sqlite')
}

function copyOfLegacy(): string {
  const file = tempFile()
  fs.copyFileSync(LEGACY_FILE, file)
  return file
}

/** Every row of every sandbox table, in a stable order. */
function rowsOf(file: string): Record<string, unknown[]> {
  const db = new Database(file)
  try {
    return Object.fromEntries(
      TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]),
    )
  } finally {
    db.close()
  }
}

/** The CREATE statements of the sandbox's tables and indexes (the migrations table aside). */
function schemaOf(file: string): { name: string; sql: string }[] {
  const db = new Database(file)
  try {
    return db
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE sql IS NOT NULL AND name != 'schema_migrations' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[]
  } finally {
    db.close()
  }
}

describe('sandbox migrations', () => {
  it('adopts a sandbox.sqlite written by 0.1.0 with every wallet, balance, key and payment', async () => {
    const before = rowsOf(copyOfLegacy())
    expect(before.wallets).toHaveLength(5)
    expect(before.outgoing_payments?.length).toBeGreaterThan(0)

    const file = copyOfLegacy()
    const wallet = await startSandboxWallet({ dbFile: file, port: 0 })
    running.push(wallet)
    const balances = Object.fromEntries(
      (before.wallets as { name: string; balance: string }[]).map((row) => [
        row.name,
        BigInt(row.balance),
      ]),
    )
    for (const [name, balance] of Object.entries(balances))
      expect(wallet.balanceOf(name), name).toBe(balance)
    const key = (before.keys as { kid: string; private_pem: string | null }[]).find(
      (row) => row.private_pem,
    )
    expect(wallet.client.keyId).toBe(key?.kid)
    expect(wallet.client.privateKeyPem).toBe(key?.private_pem)
    await wallet.close()

    // Everything 0.1.0 wrote is kept as it was; the one new row is the ready-made wallet added since
    // (dave, whose funding is refused).
    const after = rowsOf(file)
    const added = (after.wallets as { name: string }[]).filter(
      (row) => !(before.wallets as { name: string }[]).some((old) => old.name === row.name),
    )
    expect(added.map((row) => row.name)).toEqual(['dave'])
    expect({
      ...after,
      wallets: (after.wallets as { name: string }[]).filter((row) => row.name !== 'dave'),
    }).toEqual(before)
    const db = new Database(file)
    const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()
    db.close()
    expect(applied).toEqual(sandboxMigrations.map(({ id, name }) => ({ id, name })))
  })

  it('opens an up-to-date file without applying anything again', () => {
    const file = copyOfLegacy()
    openSandboxDb(file).close()
    const db = new Database(file)
    try {
      expect(migrate(db, sandboxMigrations)).toBe(0)
    } finally {
      db.close()
    }
  })

  it('gives a new file the same tables as 0.1.0 wrote', () => {
    const file = tempFile()
    openSandboxDb(file).close()
    const normalize = (sql: string) => sql.replace(/IF NOT EXISTS /g, '').replace(/\s+/g, ' ')
    expect(schemaOf(file).map(({ name, sql }) => [name, normalize(sql)])).toEqual(
      schemaOf(copyOfLegacy()).map(({ name, sql }) => [name, normalize(sql)]),
    )
  })

  it('refuses a file written by a newer version', () => {
    const file = copyOfLegacy()
    openSandboxDb(file).close()
    const db = new Database(file)
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
      sandboxMigrations.length + 1,
      'from_the_future',
      Date.now(),
    )
    db.close()
    expect(() => openSandboxDb(file)).toThrow(MigrationError)
  })
})
