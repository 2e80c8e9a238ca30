import type { Db } from '../storage/db.js'
import type { SupportEventView, SupportKind } from '../contracts/events.js'
import { makeAmount } from '../contracts/money.js'
import { supporterIdSql } from './supporters.js'

export interface NewSupportEvent {
  /** What makes this event unique at its source: incoming payment URL, webhook event id, ... */
  sourceKey: string
  kind: SupportKind
  amountValue: bigint
  assetCode: string
  assetScale: number
  supporterKey?: string | null
  supporterName?: string | null
  message?: string | null
  tierId?: string | null
  streamId?: string | null
  isTest?: boolean
  occurredAt?: number
}

export interface RecordResult {
  /** False when the source key was already recorded: a retry, a replay or a double callback. */
  inserted: boolean
  event: SupportEventView
}

/** A row read with safeIntegers, so amounts beyond 2^53 minor units stay exact. */
export interface SupportEventRow {
  id: number | bigint
  kind: SupportKind
  amount_value: number | bigint
  asset_code: string
  asset_scale: number | bigint
  supporter_name: string | null
  message: string | null
  tier_id: string | null
  stream_id: string | null
  is_test: number | bigint
  occurred_at: number | bigint
}

/** What counts of one event: whose it is (supporters.ts), how much, in which asset, whether real. */
export interface CountedEvent {
  supporterId: string | null
  /** The supporter is known by a key (a wallet, a platform account), not only by a typed name. */
  keyed: boolean
  assetCode: string
  assetScale: number
  amountValue: bigint
  isTest: boolean
}

export interface SupportEventRepository {
  /** Records a support event exactly once per source key; returns the stored row either way. */
  record(input: NewSupportEvent): RecordResult
  findBySourceKey(sourceKey: string): SupportEventView | undefined
  countBySourceKey(sourceKey: string): number
  findCounted(id: number): CountedEvent | undefined
  /**
   * Inserts many events in one transaction without reading them back (a bulk load: benches, an
   * import); each source key still counts once. Returns how many were new. One event at a time goes
   * through `record`: a transaction of its own costs more than the insert.
   */
  importEvents(inputs: Iterable<NewSupportEvent>): number
  /**
   * Every recorded event of a kind with the source key it was recorded under, oldest first: how a
   * reconciliation (a crash test, a fault run) compares the ledger with a wallet's payments.
   */
  recorded(kind: SupportKind): { sourceKey: string; event: SupportEventView }[]
}

export function toSupportEventView(row: SupportEventRow): SupportEventView {
  return {
    id: Number(row.id),
    kind: row.kind,
    amount: makeAmount(row.amount_value, row.asset_code, Number(row.asset_scale)),
    supporterName: row.supporter_name,
    message: row.message,
    tierId: row.tier_id,
    streamId: row.stream_id,
    isTest: Number(row.is_test) === 1,
    occurredAt: new Date(Number(row.occurred_at)).toISOString(),
  }
}

export function createSupportEventRepository(db: Db): SupportEventRepository {
  const insert = db.prepare(`INSERT INTO support_events
    (source_key, kind, amount_value, asset_code, asset_scale, supporter_key, supporter_name, message,
     tier_id, stream_id, is_test, occurred_at, created_at)
    VALUES (@sourceKey, @kind, @amountValue, @assetCode, @assetScale, @supporterKey, @supporterName,
     @message, @tierId, @streamId, @isTest, @occurredAt, @createdAt)
    ON CONFLICT (source_key) DO NOTHING`)
  const bySource = db
    .prepare(
      `SELECT id, kind, amount_value, asset_code, asset_scale, supporter_name, message, tier_id, stream_id,
        is_test, occurred_at FROM support_events WHERE source_key = ?`,
    )
    .safeIntegers(true)
  const count = db.prepare('SELECT COUNT(*) AS n FROM support_events WHERE source_key = ?')
  const ofKind = db
    .prepare(
      `SELECT source_key, id, kind, amount_value, asset_code, asset_scale, supporter_name, message,
        tier_id, stream_id, is_test, occurred_at FROM support_events WHERE kind = ? ORDER BY id`,
    )
    .safeIntegers(true)
  const counted = db
    .prepare(
      `SELECT ${supporterIdSql()} AS supporter_id, NULLIF(supporter_key, '') IS NOT NULL AS keyed,
         asset_code, asset_scale, amount_value, is_test
       FROM support_events WHERE id = ?`,
    )
    .safeIntegers(true)

  function insertRow(input: NewSupportEvent, now: number) {
    return insert.run({
      sourceKey: input.sourceKey,
      kind: input.kind,
      amountValue: input.amountValue,
      assetCode: input.assetCode,
      assetScale: input.assetScale,
      supporterKey: input.supporterKey ?? null,
      supporterName: input.supporterName ?? null,
      message: input.message ?? null,
      tierId: input.tierId ?? null,
      streamId: input.streamId ?? null,
      isTest: input.isTest ? 1 : 0,
      occurredAt: input.occurredAt ?? now,
      createdAt: now,
    })
  }

  return {
    record(input) {
      const result = insertRow(input, Date.now())
      const row = bySource.get(input.sourceKey) as SupportEventRow
      return { inserted: result.changes === 1, event: toSupportEventView(row) }
    },
    findCounted(id) {
      const row = counted.get(id) as
        | {
            supporter_id: string | null
            keyed: bigint
            asset_code: string
            asset_scale: bigint
            amount_value: bigint
            is_test: bigint
          }
        | undefined
      if (!row) return undefined
      return {
        supporterId: row.supporter_id,
        keyed: row.keyed !== 0n,
        assetCode: row.asset_code,
        assetScale: Number(row.asset_scale),
        amountValue: row.amount_value,
        isTest: row.is_test !== 0n,
      }
    },
    importEvents(inputs) {
      return db.transaction(() => {
        let inserted = 0
        const now = Date.now()
        for (const input of inputs) inserted += insertRow(input, now).changes
        return inserted
      })()
    },
    findBySourceKey(sourceKey) {
      const row = bySource.get(sourceKey) as SupportEventRow | undefined
      return row ? toSupportEventView(row) : undefined
    },
    countBySourceKey(sourceKey) {
      return (count.get(sourceKey) as { n: number }).n
    },
    recorded(kind) {
      return (ofKind.all(kind) as (SupportEventRow & { source_key: string })[]).map((row) => ({
        sourceKey: row.source_key,
        event: toSupportEventView(row),
      }))
    },
  }
}
