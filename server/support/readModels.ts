import type { Db } from '../storage/db.js'
import { createEventLogRepository, type EventLogRepository } from './eventLogRepository.js'
import { createSupporterRepository, type SupporterRepository } from './supporterRepository.js'
import { createSupporterStats, type SupporterStats } from './supporterStats.js'
import type { SupporterIdentity } from './supporters.js'
import { createTotalsRepository, type SupportTotals } from './totalsRepository.js'

/**
 * Every read over the support ledger, built once by the composition root and handed to the features
 * that show support (analytics, gamification, overlays, alerts, tiers): no other module reads
 * `support_events` or its aggregates.
 */
export interface SupportReadModels {
  /** Totals by window and stream, goal progress. */
  totals: SupportTotals
  /** Rankings (top supporters, leaderboards) and one supporter's figures. */
  supporters: SupporterRepository
  /** The events one by one: the Events page, its export, the ticker, largest this stream. */
  eventLog: EventLogRepository
  /** What tier suggestions start from. */
  stats: SupporterStats
  /** Who a supporter is to the outside: the name shown, the label, the public id. */
  identity: SupporterIdentity
}

export function createSupportReadModels(db: Db, identity: SupporterIdentity): SupportReadModels {
  return {
    totals: createTotalsRepository(db),
    supporters: createSupporterRepository(db),
    eventLog: createEventLogRepository(db),
    stats: createSupporterStats(db),
    identity,
  }
}
