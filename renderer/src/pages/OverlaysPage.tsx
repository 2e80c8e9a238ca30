import { AlertQueueCard } from '../components/AlertQueueCard.js'
import { core, overlays } from '../api/endpoints.js'
import {
  ActionButton,
  Card,
  CopyField,
  EmptyState,
  PageHeader,
  ResourceView,
} from '../components/ui.js'
import { useLiveEvents } from '../live/hooks.js'
import { useResource } from '../lib/useResource.js'

export function OverlaysPage() {
  const list = useResource(async () => (await overlays.links()).overlays, [])
  const status = useResource(() => core.status(), [])
  useLiveEvents(['alerts.paused', 'reconnected'], () => status.reload())
  const paused = status.resource.data?.alertsPaused ?? false

  return (
    <div className="page overlays">
      <PageHeader title="Overlays">
        <ActionButton
          label="Test alert"
          run={async () => {
            await core.testAlert({})
            return 'Test alert sent to the alert overlay.'
          }}
        />
        <ActionButton
          label={paused ? 'Resume alerts' : 'Pause alerts'}
          run={async () => {
            await core.pauseAlerts(!paused)
            status.reload()
            return paused ? 'Alerts resumed.' : 'Alerts paused: they wait until you resume.'
          }}
        />
      </PageHeader>
      <p>
        Add each overlay to OBS as a <strong>Browser</strong> source with the URL below (the key in
        it is what lets OBS in; keep it private). Overlays have a transparent background.
      </p>
      <ResourceView resource={list.resource} what="the overlays" onRetry={list.reload}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState title="No overlay is available in this version." />
          ) : (
            <div className="overlay-grid">
              {rows.map((row) => (
                <Card key={row.id} title={row.title} headingLevel={2}>
                  <CopyField id={`overlay-${row.id}`} label="Browser source URL" value={row.url} />
                  <p className="muted small">
                    Size {row.width}×{row.height}
                    {` · ${row.connected} connected now`}
                  </p>
                  {row.url.includes('tip-tiers') ? null : (
                    <details>
                      <summary>Preview</summary>
                      <iframe
                        className="overlay-preview"
                        title={`${row.title} preview`}
                        src={row.url}
                        width={row.width}
                        height={row.height}
                        loading="lazy"
                      />
                    </details>
                  )}
                </Card>
              ))}
            </div>
          )
        }
      </ResourceView>
      <AlertQueueCard />
      <Card title="Overlay key">
        <p>
          If an overlay URL leaked (shown on stream, say), make a new key: every old URL stops
          working.
        </p>
        <ActionButton
          label="Make a new overlay key"
          run={async () => {
            await core.rotateOverlayKey()
            list.reload()
            return 'New key made: paste the new URLs into OBS.'
          }}
        />
      </Card>
    </div>
  )
}
