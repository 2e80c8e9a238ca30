/**
 * What the tray and the preload bridge do to the running server. The same logic as the dashboard's admin
 * routes (server/core/coreFeature.ts): set the setting and tell everyone on the bus. No Electron import:
 * tested under Node against a real server.
 */
import type { Infrastructure } from '../../server/app/infrastructure.js'
import type { SupportEventView } from '../../server/contracts/events.js'
import { decimalToMinor } from '../../server/contracts/money.js'
import { randomToken } from '../../server/security/tokens.js'

export type DesktopActionContext = Pick<
  Infrastructure,
  'settings' | 'bus' | 'ledger' | 'streamerAsset' | 'overlayKeys'
>

/** Pauses or resumes alerts: the setting is stored and `alerts.paused` reaches overlays, SSE and the tray. */
export function setAlertsPaused(ctx: DesktopActionContext, paused: boolean): boolean {
  ctx.settings.set('alerts.paused', paused)
  ctx.bus.emit('alerts.paused', { paused })
  return paused
}

export const TEST_ALERT = {
  amount: '5',
  supporterName: 'Test Viewer',
  message: 'This is a test alert from WM Companion.',
} as const

/**
 * A test alert, like the dashboard's "Send test alert": recorded as a test support event (never counted
 * in analytics) and announced as `alert.test`.
 */
export function sendTestAlert(ctx: DesktopActionContext): SupportEventView {
  const asset = ctx.streamerAsset()
  const { event } = ctx.ledger.record({
    sourceKey: `test:${randomToken(12)}`,
    kind: 'tip',
    amountValue: decimalToMinor(TEST_ALERT.amount, asset.assetScale),
    assetCode: asset.assetCode,
    assetScale: asset.assetScale,
    supporterName: TEST_ALERT.supporterName,
    message: TEST_ALERT.message,
    isTest: true,
  })
  ctx.bus.emit('alert.test', event)
  return event
}

/** The alert box overlay URL to paste into OBS (the overlays feature serves `/overlay/alerts`). */
export function overlayAlertsUrl(localUrl: string, overlayKey: string): string {
  return `${localUrl.replace(/\/+$/, '')}/overlay/alerts?key=${encodeURIComponent(overlayKey)}`
}

export function currentOverlayAlertsUrl(ctx: DesktopActionContext, localUrl: string): string {
  return overlayAlertsUrl(localUrl, ctx.overlayKeys.current())
}
