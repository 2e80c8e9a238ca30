import type { AppContext, Feature } from './context.js'

/**
 * The composition root's list of features. Each feature issue adds its factory here, in the order its
 * routes and start-up work should run.
 */
export function createFeatures(_ctx: AppContext): Feature[] {
  return []
}
