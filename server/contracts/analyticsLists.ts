/**
 * The lists the dashboard iterates over (time frames, kinds of support), as plain values: no schema
 * library is loaded with them, so a renderer page may import them without growing its bundle.
 */
import type { SupportKind } from './common.js'

export const TIMEFRAMES = ['last_24h', 'last_7d', 'last_30d', 'all_time'] as const
export const SUPPORT_KINDS: readonly SupportKind[] = ['tip', 'web-monetization', 'redemption']
