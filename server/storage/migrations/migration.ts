/** One numbered migration: applied once, in order, inside a transaction. */
export interface Migration {
  id: number
  name: string
  sql: string
}
