/**
 * Every route of the admin API (local listener, under /api), as one table. The server registers each
 * feature's part of it; the renderer's client (renderer/src/api/client.ts) calls routes by their key and
 * takes their input and answer types from here, type-only.
 */
import { analyticsAdminRoutes } from './analytics.js'
import { coreAdminRoutes } from './core.js'
import { gamificationAdminRoutes } from './gamification.js'

export const adminApi = {
  ...coreAdminRoutes,
  ...analyticsAdminRoutes,
  ...gamificationAdminRoutes,
} as const

export type AdminApi = typeof adminApi
export type AdminRouteKey = keyof AdminApi
