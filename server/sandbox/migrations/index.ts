import type { Migration } from '../../storage/migrations/index.js'
import { walletsGrantsPayments } from './0001_wallets_grants_payments.js'

/**
 * Every migration of the sandbox's own SQLite file (sandbox.sqlite), in order, recorded in its
 * `schema_migrations` table and checked as a prefix like the app's (server/storage/db.ts `migrate`).
 * Append only: never edit or reorder a released entry; add a new file and a new entry instead.
 */
export const sandboxMigrations: readonly Migration[] = [walletsGrantsPayments]
