import {
  askNotificationPermission,
  dismissNotificationOffer,
  useBrowserNotificationState,
} from './browserNotifications.js'

/** The one-time offer, above every page, to turn on tip notifications in this browser (headless). */
export function NotificationOffer({ enabled }: { enabled: boolean }) {
  const state = useBrowserNotificationState()
  if (state !== 'ask' || !enabled) return null
  return (
    <div className="notice notification-offer" role="region" aria-label="Tip notifications">
      <p>
        <strong>Get a notification on this computer when a tip arrives.</strong> There is no tray
        icon in this mode: this browser shows them, even with the tab in the background.
      </p>
      <button type="button" className="primary" onClick={() => void askNotificationPermission()}>
        Turn on notifications
      </button>{' '}
      <button type="button" onClick={dismissNotificationOffer}>
        Not now
      </button>
    </div>
  )
}
