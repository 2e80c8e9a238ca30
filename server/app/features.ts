import { createAnalyticsFeature } from '../analytics/analyticsFeature.js'
import { createGamificationFeature } from '../gamification/feature.js'
import { createIntegrationsFeature } from '../integrations/feature.js'
import { createOverlaysFeature } from '../overlays/overlaysFeature.js'
import type { AppContext, Feature } from './context.js'

/**
 * The composition root's list of features. Each feature issue adds its factory here, in the order its
 * routes and start-up work should run.
 */
export function createFeatures(ctx: AppContext): Feature[] {
  return [
    createIntegrationsFeature(ctx),
    createGamificationFeature(ctx),
    createAnalyticsFeature(ctx),
    createOverlaysFeature(ctx),
  ]
}
