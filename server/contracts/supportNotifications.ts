/**
 * Notify or not, and what to say: the one rule for the desktop tray (electron/main.ts shows it with
 * Electron's Notification) and for the dashboard in a browser when the app runs headless (the renderer
 * shows it with the web Notification API). Pure and free of TypeBox, so the renderer imports it too.
 */
import type { DomainEvents } from './events.js'
import { formatAmount } from './money.js'

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

/** The bus events that may notify. */
export const NOTIFYING_EVENTS = ['support.recorded', 'alert.test'] as const
export type NotifyingEvent = (typeof NOTIFYING_EVENTS)[number]

const MAX_NAME_CHARS = 40
const MAX_MESSAGE_CHARS = 160

/**
 * Viewer-supplied text as one plain line: control characters (newlines included), bidirectional
 * overrides and zero-width characters removed, angle brackets and ampersands replaced by look-alike
 * forms (some Linux notification servers render body markup), whitespace collapsed, length bounded.
 */
export function plainViewerText(value: string | null | undefined, max: number): string {
  if (!value) return ''
  const cleaned = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203a')
    .replace(/&/g, '\uff06')
    .replace(/\s+/g, ' ')
    .trim()
  const chars = [...cleaned]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}\u2026` : cleaned
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
