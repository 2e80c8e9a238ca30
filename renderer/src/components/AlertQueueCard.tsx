import type { AlertView } from '../../../server/contracts/alerts.js'
import { alerts } from '../api/endpoints.js'
import { useLiveEvents } from '../live/hooks.js'
import { formatDateTime } from '../lib/format.js'
import { useResource } from '../lib/useResource.js'
import { ActionButton, Card, EmptyState, ErrorNote, Loading } from './ui.js'

function headline(alert: AlertView): string {
  return alert.alert.headline.map((part) => part.text).join('')
}

/** Held alerts to approve (moderation) and the latest ones to replay (alerts feature). */
export function AlertQueueCard() {
  const queue = useResource(() => alerts.queue(), [])
  useLiveEvents(['support.recorded', 'alert.test', 'alerts.paused', 'reconnected'], () =>
    queue.reload(),
  )
  const { resource } = queue
  return (
    <Card title="Alert queue">
      {resource.state === 'loading' ? <Loading what="the alert queue" /> : null}
      {resource.state === 'error' ? (
        <ErrorNote error={resource.error} what="the alert queue" onRetry={queue.reload} />
      ) : null}
      {resource.data ? (
        <>
          <h3>Waiting for approval</h3>
          {resource.data.held.length === 0 ? (
            <EmptyState title="Nothing is held.">
              With moderation on (Settings → Alert rules), alerts wait here until you approve them.
            </EmptyState>
          ) : (
            <ul className="top-list">
              {resource.data.held.map((item) => (
                <li key={item.id}>
                  <span className="name">
                    {headline(item)}
                    {item.alert.message ? (
                      <span className="muted"> “{item.alert.message}”</span>
                    ) : null}
                  </span>
                  <ActionButton
                    label="Approve"
                    run={async () => {
                      await alerts.approve(item.id)
                      queue.reload()
                    }}
                  />
                  <ActionButton
                    label="Reject"
                    run={async () => {
                      await alerts.reject(item.id)
                      queue.reload()
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
          <h3>Recent</h3>
          {resource.data.recent.length === 0 ? (
            <EmptyState title="No alert has played yet.">
              Press “Test alert” above to try one.
            </EmptyState>
          ) : (
            <ul className="top-list">
              {resource.data.recent.slice(0, 8).map((item) => (
                <li key={item.id}>
                  <span className="name">
                    {headline(item)}
                    {item.isTest ? <span className="tag">test</span> : null}
                  </span>
                  <span className="muted small">{formatDateTime(item.createdAt)}</span>
                  <ActionButton
                    label="Replay"
                    run={async () => {
                      await alerts.replay(item.id)
                      return 'Queued again.'
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Card>
  )
}
