import type { AppSettings } from '../../../server/contracts/api.js'
import type { SettingsHandle } from '../lib/settingsHandle.js'
import { Card } from '../components/ui.js'
import { desktopBridge } from './bridge.js'
import { askNotificationPermission, useBrowserNotificationState } from './browserNotifications.js'

/**
 * The Settings page's card for how the app runs on this computer: in the desktop app, start at login
 * and automatic updates (the shell applies them as they change); in a browser (headless mode), where
 * tip notifications come from instead of a tray.
 */
export function DesktopSettingsCard({ settings }: { settings: SettingsHandle }) {
  const current = settings.settings
  if (!current) return null
  return desktopBridge() ? (
    <DesktopSwitches current={current} update={settings.update} />
  ) : (
    <BrowserNotificationsCard />
  )
}

function DesktopSwitches({
  current,
  update,
}: {
  current: AppSettings
  update: SettingsHandle['update']
}) {
  const platform = desktopBridge()?.platform
  const tray = platform === 'darwin' ? 'menu bar' : 'tray'
  const toggle = (key: 'openAtLogin' | 'autoUpdate', label: string, hint: string) => (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={current[key]}
        onChange={(event) => void update({ [key]: event.target.checked })}
      />{' '}
      {label}
      <span className="muted small"> {hint}</span>
    </label>
  )
  return (
    <Card title="Desktop app">
      {toggle('openAtLogin', 'Start when I log in', `(waits in the ${tray}, no window opens)`)}
      {toggle(
        'autoUpdate',
        'Install updates automatically',
        '(never during a stream: after it ends, or when you quit)',
      )}
    </Card>
  )
}

function BrowserNotificationsCard() {
  const state = useBrowserNotificationState()
  if (state === 'unavailable') return null
  return (
    <Card title="Notifications in this browser">
      {state === 'granted' ? (
        <p className="notice notice-ok" role="status">
          On: this browser shows a notification for each tip while the dashboard is open.
        </p>
      ) : state === 'denied' ? (
        <p className="notice notice-warn" role="status">
          Blocked by this browser. Allow notifications for this site in the browser&apos;s site
          settings to get them.
        </p>
      ) : (
        <>
          <p className="muted">
            There is no tray icon when WM Companion runs headless: this browser can show tip
            notifications instead, while the dashboard is open.
          </p>
          <button type="button" onClick={() => void askNotificationPermission()}>
            Turn on notifications
          </button>
        </>
      )}
    </Card>
  )
}
