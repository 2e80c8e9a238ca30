import { useEffect, useState } from 'react'
import type { UpdateStatusView } from '../../../server/contracts/desktop.js'
import { desktopBridge } from './bridge.js'

/** The updater has no push channel to the page: asking once a minute is enough for a banner. */
const POLL_MS = 60_000

/**
 * "Update ready" (desktop app only): the update installs when the app quits or after the stream ends;
 * "Restart now" is offered only when no stream is live, so a click can never cut a stream.
 */
export function UpdateBanner() {
  const bridge = desktopBridge()
  const [view, setView] = useState<UpdateStatusView | null>(null)
  const [refused, setRefused] = useState(false)

  useEffect(() => {
    if (!bridge) return
    let stopped = false
    const load = () =>
      bridge.updateStatus().then(
        (next) => {
          if (!stopped) setView(next)
        },
        () => undefined,
      )
    void load()
    const timer = setInterval(() => void load(), POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [bridge])

  if (!bridge || !view || (view.status !== 'ready' && view.status !== 'installing')) return null
  const installing = view.status === 'installing'
  return (
    <div className="notice notice-ok update-banner" role="status" data-testid="update-banner">
      <p>
        <strong>
          {installing ? `Installing WM Companion ${view.version ?? ''}…` : view.message}
        </strong>
        {installing ? ' The app restarts by itself.' : null}
      </p>
      {refused ? (
        <p className="muted small" role="alert">
          Not restarted: a stream is live or the update is no longer ready. It installs later, after
          the stream ends or when you quit.
        </p>
      ) : null}
      {view.canInstallNow && !installing ? (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setRefused(false)
            void bridge.installUpdate().then(async (started) => {
              if (!started) setRefused(true)
              setView(await bridge.updateStatus())
            })
          }}
        >
          Restart now
        </button>
      ) : null}
    </div>
  )
}
