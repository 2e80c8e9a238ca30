import type { Migration } from './migration.js'
import { foundation } from './0001_foundation.js'
import { tips } from './0002_tips.js'
import { integrations } from './0003_integrations.js'
import { gamification } from './0004_gamification.js'
import { alerts } from './0005_alerts.js'
import { analytics } from './0006_analytics.js'
import { oneSettingsTable } from './0007_one_settings_table.js'
import { supportAggregates } from './0008_support_aggregates.js'
import { oneGoalSystem } from './0009_one_goal_system.js'
import { webMonetization } from './0010_web_monetization.js'

export type { Migration } from './migration.js'

/**
 * Every migration ever shipped, in order. Append only: never edit or reorder an entry that has been
 * released; add a new file and a new entry instead.
 */
export const migrations: readonly Migration[] = [
  foundation,
  tips,
  integrations,
  gamification,
  alerts,
  analytics,
  oneSettingsTable,
  supportAggregates,
  oneGoalSystem,
  webMonetization,
]
