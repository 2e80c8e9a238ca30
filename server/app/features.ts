import { createAnalyticsFeature } from '../analytics/analyticsFeature.js'
import { createOverlaysFeature } from '../overlays/overlaysFeature.js'
import { createGamificationFeature } from '../gamification/feature.js'
import { createIntegrationsFeature } from '../integrations/feature.js'
import { createSandboxFeature } from '../sandbox/index.js'
import { createTipsFeature } from '../tips/tipsFeature.js'
import type { AppContext, Feature } from './context.js'

/**
 * The composition root's list of features. Each feature issue adds its factory here, in the order its
 * routes and start-up work should run.
 */
export function createFeatures(ctx: AppContext): Feature[] {
  const sandbox = createSandboxFeature(ctx)
  return [
    createIntegrationsFeature(ctx),
    createGamificationFeature(ctx),
    createAnalyticsFeature(ctx),
    createOverlaysFeature(ctx),
    sandbox,
    createTipsFeature(ctx, { sandbox }),
  ]
}
