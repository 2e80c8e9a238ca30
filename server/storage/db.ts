import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { migrations as knownMigrations, type Migration } from './migrations/index.js'

export type Db = Database.Database

export class MigrationError extends Error {
  override name = 'MigrationError'
}

export interface OpenDatabaseOptions {
  /**
   * The better-sqlite3 addon to load instead of the one in node_modules: Electron's own build in a
   * source checkout (DESIGN §9, electron/logic/nativeBinding.ts). Node and packaged apps leave it out.
   */
  nativeBinding?: string
}

/**
 * The addon every database of this process loads when none is named: set once by the start function in
 * Electron (the app's file, the sandbox's, the checkpoint worker's connection all need the same build).
 */
let processBinding: string | undefined

export function useNativeBinding(nativeBinding: string | undefined): void {
  processBinding = nativeBinding
}

/** The addon databases of this process load (undefined: the one in node_modules). */
export function nativeBindingInUse(): string | undefined {
  return processBinding
}

/**
 * Opens the app's SQLite file (DESIGN §4): WAL, foreign keys on, synchronous=NORMAL (a committed
 * transaction survives a killed process; only a power loss could cost the last ones), and migrates it.
 * The file is readable by the user only: it holds grant tokens.
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = knownMigrations,
  options: OpenDatabaseOptions = {},
): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  }
  const nativeBinding = options.nativeBinding ?? processBinding
  const db = new Database(file, nativeBinding ? { nativeBinding } : undefined)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (file !== ':memory:') restrictToOwner(file)
    migrate(db, migrations)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

function restrictToOwner(file: string): void {
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(candidate, 0o600)
    } catch {
      // -wal/-shm may not exist yet; SQLite creates them with the main file's mode.
    }
  }
}

/**
 * Applies numbered, append-only migrations. Those already applied must be a prefix of the known list
 * (same ids, same names, same order); anything else means the file belongs to another build.
 */
export function migrate(db: Db, migrations: readonly Migration[] = knownMigrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`)
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as {
    id: number
    name: string
  }[]
  if (applied.length > migrations.length) {
    const newest = applied[applied.length - 1]
    throw new MigrationError(
      `The database was written by a newer version of WM Companion (migration ${newest?.id} ${newest?.name}); update the app or point WM_DATA_DIR elsewhere.`,
    )
  }
  applied.forEach((row, index) => {
    const expected = migrations[index]
    if (!expected || expected.id !== row.id || expected.name !== row.name) {
      throw new MigrationError(
        `Migration history does not match this version: found ${row.id} ${row.name}, expected ${expected?.id} ${expected?.name}.`,
      )
    }
  })
  const insert = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)')
  let count = 0
  for (const migration of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(migration.sql)
      insert.run(migration.id, migration.name, Date.now())
    })()
    count += 1
  }
  return count
}
