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
 * Work that must exist whenever a support event exists (its alert, its thank-you): run inside the
 * recording transaction, so a process that dies right after the commit has lost neither. Recorders only
 * write rows (an outbox); what they start (showing, sending) starts after the commit.
 */
export type SupportRecorder = (event: RecordedSupport) => void

/**
 * The support ledger: the one place a support event is recorded. Each fact is recorded once (keyed by
 * its source), in one transaction with the writes that go with it and the recorders' rows, and
 * announced once on the bus as `support.recorded` after the commit. Test events (test alerts) are
 * recorded but never announced as support: they are not money.
 */
export interface SupportLedger {
  record(input: NewSupportEvent, options?: Omit<RecordOptions, 'alongside'>): RecordResult
  /** With the caller's writes: null when `alongside` said the fact was already recorded. */
  record(input: NewSupportEvent, options: RecordOptions): RecordResult | null
  findBySourceKey: SupportEventRepository['findBySourceKey']
  countBySourceKey: SupportEventRepository['countBySourceKey']
  /** Whose a recorded event is and what it counts for (levels after `support.recorded`). */
  findCounted: SupportEventRepository['findCounted']
  /** Adds a recorder (alerts, chat); returns its removal. */
  addRecorder(name: string, recorder: SupportRecorder): () => void
}

export interface SupportLedgerDeps {
  db: Db
  bus: EventBus
  repository: SupportEventRepository
  /** A recorder that failed: the event is kept, the failure is logged. */
  onRecorderError?(name: string, error: unknown): void
}

export function createSupportLedger(deps: SupportLedgerDeps): SupportLedger {
  const { db, bus, repository } = deps
  const recorders = new Set<{ name: string; recorder: SupportRecorder }>()

  /** Each recorder in a savepoint of its own: one that throws loses its rows, never the money. */
  function runRecorders(event: RecordedSupport): void {
    for (const { name, recorder } of recorders) {
      try {
        db.transaction(() => recorder(event))()
      } catch (error) {
        deps.onRecorderError?.(name, error)
      }
    }
  }

  return {
    record(input: NewSupportEvent, options: RecordOptions = {}): RecordResult {
      let recorded: RecordedSupport | undefined
      const result = db.transaction(() => {
        if (options.alongside && !options.alongside()) return null
        const stored = repository.record(input)
        if (stored.inserted && !stored.event.isTest) {
          recorded = { ...stored.event, tip: options.tip ?? null }
          runRecorders(recorded)
        }
        return stored
      })()
      if (recorded) bus.emit('support.recorded', recorded)
      // Null only when `alongside` declined, which the second overload types.
      return result as RecordResult
    },
    findBySourceKey: (sourceKey) => repository.findBySourceKey(sourceKey),
    countBySourceKey: (sourceKey) => repository.countBySourceKey(sourceKey),
    findCounted: (id) => repository.findCounted(id),
    addRecorder(name, recorder) {
      const entry = { name, recorder }
      recorders.add(entry)
      return () => recorders.delete(entry)
    },
  }
}
