import { useState } from 'react'
import type { OverlayId, OverlayLinkView } from '../../../server/contracts/overlays.js'
import { AlertQueueCard } from '../components/AlertQueueCard.js'
import { OverlaySettingsPanel } from '../components/OverlaySettingsPanel.js'
import { StreamLabels } from '../components/StreamLabels.js'
import { TimerControl } from '../components/TimerControl.js'
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
  const [openPanel, setOpenPanel] = useState<OverlayId | null>(null)
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
            <>
              <div className="overlay-list">
                {rows.map((row) => (
                  <Card key={row.id} title={row.title} headingLevel={2}>
                    <p className="overlay-size">
                      Browser source size{' '}
                      <strong data-testid={`size-${row.id}`}>
                        {row.width}×{row.height}
                      </strong>
                      <span className="muted small">{` · ${row.connected} connected now`}</span>
                    </p>
                    <CopyField
                      id={`overlay-${row.id}`}
                      label="Browser source URL"
                      value={row.url}
                    />
                    <details
                      className="overlay-settings-toggle"
                      open={openPanel === row.id}
                      onToggle={(event) => {
                        const isOpen = event.currentTarget.open
                        setOpenPanel((current) =>
                          isOpen ? row.id : current === row.id ? null : current,
                        )
                      }}
                    >
                      <summary>Settings and preview</summary>
                      {openPanel === row.id ? <OverlaySettingsPanel link={row} /> : null}
                    </details>
                  </Card>
                ))}
              </div>
              <AlertQueueCard />
              <TimerControl />
              <StreamLabels />
              <Card title="Overlay key">
                <p>
                  If an overlay URL leaked (shown on stream, say), make a new key: every old URL
                  stops working.
                </p>
                <RotateKey rows={rows} onRotated={list.reload} />
              </Card>
            </>
          )
        }
      </ResourceView>
    </div>
  )
}

/**
 * A new key changes every overlay URL: it asks first, and says which overlays OBS must be given
 * again (those connected now by name, then every other one pasted).
 */
function RotateKey({ rows, onRotated }: { rows: OverlayLinkView[]; onRotated: () => void }) {
  const [asking, setAsking] = useState<OverlayLinkView[] | null>(null)
  const [done, setDone] = useState<string[] | null>(null)
  if (!asking)
    return (
      <>
        <ActionButton
          label="Make a new overlay key…"
          run={async () => {
            setDone(null)
            // Who is connected right now, not when the page was opened.
            const fresh = await overlays.links().catch(() => ({ overlays: rows }))
            setAsking(fresh.overlays.filter((row) => row.connected > 0))
          }}
        />
        {done ? (
          <p className="notice notice-ok" role="status">
            New key made. Paste the new URLs above into OBS for:{' '}
            {done.length ? done.join(', ') : 'every overlay you added'}.
          </p>
        ) : null}
      </>
    )
  const inUse = asking
  return (
    <div className="notice notice-warn" role="alertdialog" aria-label="Make a new overlay key?">
      <p>
        <strong>Make a new overlay key?</strong> Every overlay URL changes and the old ones stop
        working at once.
      </p>
      {inUse.length ? (
        <p>
          Open now (in OBS or a preview):{' '}
          <strong>{inUse.map((row) => row.title).join(', ')}</strong>. Re-paste their new URLs into
          OBS, and those of any other overlay you added.
        </p>
      ) : (
        <p>No overlay is open now; re-paste the URL of every overlay you added to OBS.</p>
      )}
      <div className="form-actions">
        <ActionButton
          label="Yes, make a new key"
          run={async () => {
            await core.rotateOverlayKey()
            setDone(inUse.map((row) => row.title))
            setAsking(null)
            onRotated()
          }}
        />{' '}
        <button type="button" onClick={() => setAsking(null)}>
          Cancel
        </button>
      </div>
    </div>
  )
}
