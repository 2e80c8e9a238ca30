import type { Migration } from './migration.js'

/**
 * One settings table (server/settings/keys.ts lists every key): the rows of `gamification_config`,
 * `integration_settings` and `alert_config` move into `settings`, and every key takes its
 * `<feature>.<name>` spelling. Values stay JSON; the overlay key, stored bare until now, is quoted.
 * Preferences and switches kept in settings.json move in server/settings/legacy.ts (a file, not SQL).
 */
const renames: [from: string, to: string][] = [
  ['streamer_asset', 'wallet.streamerAsset'],
  ['openPayments.wallet', 'wallet.config'],
  ['gamification.labelSecret', 'supporters.labelSecret'],
  ['ai.baseUrl', 'tiers.aiBaseUrl'],
  ['ai.model', 'tiers.aiModel'],
]

const moves: [table: string, from: string, to: string][] = [
  ['gamification_config', 'tiers', 'tiers.mode'],
  ['gamification_config', 'gifterPath', 'gifterPath.config'],
  ['integration_settings', 'owncast', 'owncast.settings'],
  ['integration_settings', 'platformEvents.processedThrough', 'platformEvents.processedThrough'],
]

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`

export const oneSettingsTable: Migration = {
  id: 7,
  name: 'one settings table',
  sql: `
${renames.map(([from, to]) => `UPDATE settings SET key = ${quote(to)} WHERE key = ${quote(from)};`).join('\n')}
UPDATE settings SET key = 'overlays.key', value = json_quote(value) WHERE key = 'overlay_key';
${moves
  .map(
    ([table, from, to]) =>
      `INSERT INTO settings (key, value, updated_at)
  SELECT ${quote(to)}, value, updated_at FROM ${table} WHERE key = ${quote(from)};`,
  )
  .join('\n')}
-- alert_config already spells its keys alerts.* and overlays.*.
INSERT INTO settings (key, value, updated_at) SELECT key, value, updated_at FROM alert_config;
DROP TABLE gamification_config;
DROP TABLE integration_settings;
DROP TABLE alert_config;
`,
}
