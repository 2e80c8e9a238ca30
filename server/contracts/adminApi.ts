/**
 * Every route of the admin API (local listener, under /api), as one table. The server registers each
 * feature's part of it; the renderer's client (renderer/src/api/client.ts) calls routes by their key and
 * takes their input and answer types from here, type-only.
 */
import { coreAdminRoutes } from './core.js'
import { integrationAdminRoutes } from './integrations.js'

export const adminApi = {
  ...coreAdminRoutes,
  ...integrationAdminRoutes,
} as const

export type AdminApi = typeof adminApi
export type AdminRouteKey = keyof AdminApi
