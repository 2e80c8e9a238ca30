/**
 * Notify or not, and what to say: the one rule for the desktop tray (electron/main.ts shows it with
 * Electron's Notification) and for the dashboard in a browser when the app runs headless (the renderer
 * shows it with the web Notification API). Pure and free of TypeBox, so the renderer imports it too.
 */
import type { DomainEvents } from './events.js'
import { formatAmount } from './money.js'
import { cleanText } from './text.js'

export interface DesktopNotification {
  title: string
  body: string
}

export interface NotificationSettings {
  /** The Settings page's "Notifications for tips" switch (`desktop.notifications`). */
  notificationsEnabled: boolean
  /** "Pause alerts": while alerts are held, notifications stay quiet too. */
  alertsPaused: boolean
}

/**
 * The bus events that may notify: a tip or a test alert as it is recorded, and a Web Monetization
 * alert as it is queued (streamed money notifies by its own alert rules, never per payment).
 */
export const NOTIFYING_EVENTS = ['support.recorded', 'alert.test', 'alert.updated'] as const
export type NotifyingEvent = (typeof NOTIFYING_EVENTS)[number]

const MAX_NAME_CHARS = 40
const MAX_MESSAGE_CHARS = 160

/**
 * Viewer-supplied text as one plain line: the app's one text rule (server/contracts/text.ts: joined
 * emoji kept, bidi overrides and controls removed, line breaks as spaces, length bounded), then angle
 * brackets and ampersands replaced by look-alike forms, since some Linux notification servers render
 * body markup.
 */
export function plainViewerText(value: string | null | undefined, max: number): string {
  const cleaned = cleanText(value, { maxChars: max - 1 }) ?? ''
  return cleaned
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203a')
    .replace(/&/g, '\uff06')
    .replace(/\s+/g, ' ')
    .trim()
}

function describe(
  event: DomainEvents['alert.test'],
  tierName: string | null,
  locale: string | undefined,
): { amount: string; who: string; body: string } {
  const amount = formatAmount(event.amount, locale)
  const who = plainViewerText(event.supporterName, MAX_NAME_CHARS) || 'Someone'
  const tier = plainViewerText(tierName, MAX_NAME_CHARS)
  const message = plainViewerText(event.message, MAX_MESSAGE_CHARS)
  const head = tier ? `${who} (${tier})` : who
  return { amount, who, body: message ? `${head}: ${message}` : head }
}

/** The notification for a bus event, or null when none should show. */
export function notificationFor<K extends NotifyingEvent>(
  name: K,
  payload: DomainEvents[K],
  settings: NotificationSettings,
  locale?: string,
): DesktopNotification | null {
  if (!settings.notificationsEnabled || settings.alertsPaused) return null
  if (name === 'alert.updated') {
    const view = payload as DomainEvents['alert.updated']
    // A streaming supporter crossing a step, the viewers streamed in an interval, a "send now":
    // the alerts Web Monetization queues, once each (a replay or a later state change is not news).
    if (view.source !== 'web-monetization' || view.state !== 'queued' || view.replayOf !== null)
      return null
    const headline = plainViewerText(view.alert.headline.map((part) => part.text).join(''), 120)
    const message = plainViewerText(view.alert.message, MAX_MESSAGE_CHARS)
    return {
      title: `${view.isTest ? 'Test: ' : ''}${headline || `Web Monetization: ${view.alert.amountText}`}`,
      body: message || 'Web Monetization, verified on your wallet',
    }
  }
  if (name === 'support.recorded') {
    const support = payload as DomainEvents['support.recorded']
    // Tips notify one by one; streamed payments follow their own alert rules.
    if (!support.tip) return null
    const { amount, body } = describe(support, support.tip.tierName, locale)
    return { title: support.isTest ? `Test tip: ${amount}` : `New tip: ${amount}`, body }
  }
  const { amount, body } = describe(payload as DomainEvents['alert.test'], null, locale)
  return { title: `Test alert: ${amount}`, body }
}
