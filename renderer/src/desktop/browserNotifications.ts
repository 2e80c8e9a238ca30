import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { AppSettings } from '../../../server/contracts/api.js'
import {
  notificationFor,
  type NotificationSettings,
} from '../../../server/contracts/supportNotifications.js'
import { live } from '../live/liveConnection.js'
import { desktopBridge } from './bridge.js'

/**
 * Tip notifications from the open dashboard when the app runs headless (no tray to raise them). The
 * browser asks for permission only when the streamer presses the button; the answer, and "Not now",
 * are remembered in this browser, so loading the dashboard never prompts.
 */
const ASKED_KEY = 'wm.browserNotifications.asked'

export type BrowserNotificationState =
  /** The desktop app (the tray notifies) or a browser without the Notification API. */
  | 'unavailable'
  /** Permission not asked yet: the banner offers it. */
  | 'ask'
  /** "Not now" was chosen: the Settings page still offers it. */
  | 'dismissed'
  | 'granted'
  | 'denied'

const listeners = new Set<() => void>()
const changed = () => listeners.forEach((listener) => listener())

function supported(): boolean {
  return !desktopBridge() && typeof window.Notification === 'function'
}

function readState(): BrowserNotificationState {
  if (!supported()) return 'unavailable'
  const permission = window.Notification.permission
  if (permission === 'granted' || permission === 'denied') return permission
  return localStorage.getItem(ASKED_KEY) ? 'dismissed' : 'ask'
}

export function useBrowserNotificationState(): BrowserNotificationState {
  return useSyncExternalStore((listener) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }, readState)
}

/** Asks the browser once, from a click (browsers ignore or block prompts without one). */
export async function askNotificationPermission(): Promise<BrowserNotificationState> {
  if (!supported()) return 'unavailable'
  localStorage.setItem(ASKED_KEY, '1')
  try {
    await window.Notification.requestPermission()
  } finally {
    changed()
  }
  return readState()
}

export function dismissNotificationOffer(): void {
  localStorage.setItem(ASKED_KEY, '1')
  changed()
}

/**
 * Raises a notification for each tip (and test alert) the live stream brings, by the tray's rule:
 * the "Notifications for tips" switch, quiet while alerts are paused, tests labelled as tests.
 */
export function useBrowserNotifications(settings: AppSettings | null): void {
  const rules = useRef<NotificationSettings | null>(null)
  useEffect(() => {
    rules.current = settings
      ? { notificationsEnabled: settings.notificationsEnabled, alertsPaused: settings.alertsPaused }
      : null
  }, [settings])

  useEffect(() => {
    if (!supported()) return
    const show = (title: string, body: string, tag: string) => {
      if (window.Notification.permission !== 'granted') return
      // The same tag in two open tabs shows one notification, not two.
      const notification = new window.Notification(title, { body, tag })
      notification.onclick = () => {
        window.focus()
        notification.close()
      }
    }
    const offs = [
      live.on('alerts.paused', (event) => {
        if (rules.current) rules.current = { ...rules.current, alertsPaused: event.paused }
      }),
      live.on('support.recorded', (event) => {
        const note = rules.current
          ? notificationFor('support.recorded', event, rules.current, navigator.language)
          : null
        if (note) show(note.title, note.body, `wm-support-${event.id}`)
      }),
      live.on('alert.updated', (event) => {
        const note = rules.current
          ? notificationFor('alert.updated', event, rules.current, navigator.language)
          : null
        if (note) show(note.title, note.body, `wm-alert-${event.alert.id}`)
      }),
      live.on('alert.test', (event) => {
        const note = rules.current
          ? notificationFor('alert.test', event, rules.current, navigator.language)
          : null
        if (note) show(note.title, note.body, `wm-test-${event.id}`)
      }),
    ]
    return () => offs.forEach((off) => off())
  }, [])
}
