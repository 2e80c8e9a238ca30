import { createEventBus } from '../events/bus.js'
import { createFileSecretStore } from '../settings/secrets.js'
import { openDatabase, type Db } from '../storage/db.js'
import { createSupporterStats } from '../support/supporterStats.js'
import { createTierRepository } from '../tiers/tierRepository.js'
import { createTierService, type TierService, type TierServiceDeps } from '../tiers/tierService.js'
import { makeTempDir } from './harness.js'
import { settingsFor } from './settings.js'

/**
 * A tier service on a fresh migrated `:memory:` database (or `db`), with the real repository,
 * supporter statistics, settings and a secret store in a temporary folder; EUR at scale 2.
 */
export function tierServiceFor(
  overrides: Partial<TierServiceDeps> & { db?: Db } = {},
): TierService {
  const db = overrides.db ?? openDatabase(':memory:')
  return createTierService({
    db,
    bus: createEventBus(),
    settings: settingsFor(db),
    secrets: createFileSecretStore(makeTempDir()),
    repository: createTierRepository(db),
    supporterStats: createSupporterStats(db),
    streamerAsset: () => ({ assetCode: 'EUR', assetScale: 2 }),
    // The tip API's defaults at EUR scale 2: €0.50 to €1,000.
    tipLimits: () => ({ minAmount: 50n, maxAmount: 100_000n }),
    ...overrides,
  })
}
