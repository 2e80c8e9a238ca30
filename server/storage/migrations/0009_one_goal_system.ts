import type { Migration } from './migration.js'

/**
 * One goal system: the goal overlay's goal (kept until now inside the `overlays.display` setting as a
 * decimal target and an ISO start) becomes a goal of the `goals` table, the one marked `on_overlay`,
 * so its progress, its "reached" moment and its events come from the same place as every other goal.
 * The target is read in the streamer's asset of the day (as the overlay did); a stored goal that no
 * longer parses (a target with more decimals than the asset has, or zero) is dropped, and the overlay
 * shows its default goal, as it did for such a target.
 */
const display = `(SELECT value FROM settings WHERE key = 'overlays.display')`
const asset = `(SELECT value FROM settings WHERE key = 'wallet.streamerAsset')`

export const oneGoalSystem: Migration = {
  id: 9,
  name: 'one goal system',
  sql: `
ALTER TABLE goals ADD COLUMN on_overlay INTEGER NOT NULL DEFAULT 0 CHECK (on_overlay IN (0, 1));
CREATE UNIQUE INDEX goals_one_on_overlay ON goals (on_overlay) WHERE on_overlay = 1;

INSERT INTO goals
  (id, title, target_value, asset_code, asset_scale, starts_at, ends_at, reached_at, created_at, on_overlay)
SELECT lower(hex(randomblob(16))), title, CAST(whole || substr(fraction || '000000000000000000', 1, scale) AS INTEGER),
  code, scale, starts_at, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, 1
FROM (
  SELECT title, code, scale, starts_at,
    CASE WHEN instr(target, '.') > 0 THEN substr(target, 1, instr(target, '.') - 1) ELSE target END AS whole,
    CASE WHEN instr(target, '.') > 0 THEN substr(target, instr(target, '.') + 1) ELSE '' END AS fraction
  FROM (
    SELECT json_extract(${display}, '$.goal.title') AS title,
      json_extract(${display}, '$.goal.target') AS target,
      CAST(round((julianday(json_extract(${display}, '$.goal.startAt')) - 2440587.5) * 86400000) AS INTEGER)
        AS starts_at,
      COALESCE(json_extract(${asset}, '$.assetCode'), 'EUR') AS code,
      COALESCE(json_extract(${asset}, '$.assetScale'), 2) AS scale
  )
  WHERE title IS NOT NULL AND starts_at IS NOT NULL
    AND typeof(target) = 'text' AND target GLOB '[0-9]*' AND target NOT GLOB '*[^0-9.]*'
)
WHERE (length(fraction) <= scale OR rtrim(substr(fraction, scale + 1), '0') = '')
  AND CAST(whole || substr(fraction || '000000000000000000', 1, scale) AS INTEGER) > 0;

UPDATE settings SET value = json_remove(value, '$.goal') WHERE key = 'overlays.display';
`,
}
