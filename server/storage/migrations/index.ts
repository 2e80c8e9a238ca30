import { foundation } from './0001_foundation.js'

export interface Migration {
  id: number
  name: string
  sql: string
}

/**
 * Every migration ever shipped, in order. Append only: never edit or reorder an entry that has been
 * released; add a new file and a new entry instead.
 */
export const migrations: readonly Migration[] = [foundation]
