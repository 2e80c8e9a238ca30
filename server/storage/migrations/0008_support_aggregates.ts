import {
  SUPPORT_AGGREGATE_REBUILD,
  SUPPORT_AGGREGATE_TABLES,
  SUPPORT_AGGREGATE_TRIGGERS,
} from '../../support/supportAggregates.js'
import type { Migration } from './migration.js'

/**
 * One set of support aggregates (server/support/supportAggregates.ts declares and documents them):
 * the analytics rollups (0006) and the gamification aggregates (0004) counted the same events twice,
 * under two rules of who a supporter is. Both sets and their triggers go; the support module's tables
 * are built from the events, so every figure of an upgraded database comes from the events it holds.
 * The tables of supporter state (public ids, announced levels) keep their rows: a supporter with a
 * key is the same supporter under the one rule, with the same public id and label.
 */
const oldTriggers = [
  'support_events_gamification',
  'support_events_daily_totals',
  'support_events_gamification_delete',
  'support_events_gamification_update',
  'analytics_support_insert',
  'analytics_support_delete',
  'analytics_support_update',
]

const oldTables = [
  'analytics_hourly',
  'analytics_totals',
  'analytics_supporters',
  'support_daily_totals',
  'supporter_totals',
  'supporter_stream_totals',
  'supporter_daily',
  'supporter_window_totals',
  'supporter_names',
]

export const supportAggregates: Migration = {
  id: 8,
  name: 'one set of support aggregates',
  sql: `
${oldTriggers.map((name) => `DROP TRIGGER ${name};`).join('\n')}
${oldTables.map((name) => `DROP TABLE ${name};`).join('\n')}
${SUPPORT_AGGREGATE_TABLES}
${SUPPORT_AGGREGATE_TRIGGERS}
${SUPPORT_AGGREGATE_REBUILD}
`,
}
