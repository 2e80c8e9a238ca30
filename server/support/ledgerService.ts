import type { RecordedSupport, TipDetails } from '../contracts/events.js'
import type { EventBus } from '../events/bus.js'
import type { Db } from '../storage/db.js'
import type { NewSupportEvent, RecordResult, SupportEventRepository } from './supportRepository.js'

export interface RecordOptions {
  /** The tier and flow of a tip: carried on `support.recorded` so no consumer looks them up. */
  tip?: TipDetails
  /**
   * The caller's own writes, in the same transaction as the event (a tip flow's move to completed).
   * Returning false records nothing: the fact was already recorded by another path.
   */
  alongside?(): boolean
}

/**
 * The support ledger: the one place a support event is recorded. Each fact is recorded once (keyed by
 * its source), in one transaction with the writes that go with it, and announced once on the bus as
 * `support.recorded` after the commit. Test events (test alerts) are recorded but never announced as
 * support: they are not money.
 */
export interface SupportLedger {
  record(input: NewSupportEvent, options?: Omit<RecordOptions, 'alongside'>): RecordResult
  /** With the caller's writes: null when `alongside` said the fact was already recorded. */
  record(input: NewSupportEvent, options: RecordOptions): RecordResult | null
  findBySourceKey: SupportEventRepository['findBySourceKey']
  countBySourceKey: SupportEventRepository['countBySourceKey']
  /** Whose a recorded event is and what it counts for (levels after `support.recorded`). */
  findCounted: SupportEventRepository['findCounted']
}

export interface SupportLedgerDeps {
  db: Db
  bus: EventBus
  repository: SupportEventRepository
}

export function createSupportLedger(deps: SupportLedgerDeps): SupportLedger {
  const { db, bus, repository } = deps
  return {
    record(input: NewSupportEvent, options: RecordOptions = {}): RecordResult {
      const result = db.transaction(() => {
        if (options.alongside && !options.alongside()) return null
        return repository.record(input)
      })()
      if (result?.inserted && !result.event.isTest) {
        const recorded: RecordedSupport = { ...result.event, tip: options.tip ?? null }
        bus.emit('support.recorded', recorded)
      }
      // Null only when `alongside` declined, which the second overload types.
      return result as RecordResult
    },
    findBySourceKey: (sourceKey) => repository.findBySourceKey(sourceKey),
    countBySourceKey: (sourceKey) => repository.countBySourceKey(sourceKey),
    findCounted: (id) => repository.findCounted(id),
  }
}
