/**
 * Every route of the admin API (local listener, under /api), as one table. The server registers each
 * feature's part of it; the renderer's client (renderer/src/api/client.ts) calls routes by their key and
 * takes their input and answer types from here, type-only.
 */
import { alertsAdminRoutes } from './alerts.js'
import { analyticsAdminRoutes } from './analytics.js'
import { dashboardAdminRoutes } from './dashboard.js'
import { gamificationAdminRoutes } from './gamification.js'
import { integrationAdminRoutes } from './integrations.js'
import { labelsAdminRoutes } from './labels.js'
import { obsAdminRoutes } from './obs.js'
import { overlaysAdminRoutes } from './overlays.js'
import { tiersAdminRoutes } from './tiers.js'
import { timerAdminRoutes } from './timer.js'
import { tipAdminRoutes } from './tips.js'
import { walletAdminRoutes } from './wallet.js'
import { webMonetizationAdminRoutes } from './webMonetization.js'

export const adminApi = {
  ...dashboardAdminRoutes,
  ...analyticsAdminRoutes,
  ...gamificationAdminRoutes,
  ...alertsAdminRoutes,
  ...overlaysAdminRoutes,
  ...tiersAdminRoutes,
  ...walletAdminRoutes,
  ...tipAdminRoutes,
  ...integrationAdminRoutes,
  ...webMonetizationAdminRoutes,
  ...obsAdminRoutes,
  ...labelsAdminRoutes,
  ...timerAdminRoutes,
} as const

export type AdminApi = typeof adminApi
export type AdminRouteKey = keyof AdminApi
