import { integrations } from '../api/endpoints.js'
import { ObsSettings } from '../components/ObsSettings.js'
import { OspTemplates } from '../components/OspTemplates.js'
import { OwncastForm } from '../components/OwncastForm.js'
import { ChatOutboxCard } from '../components/ChatOutboxCard.js'
import { TipPageLink } from '../components/TipPageLink.js'
import { WebMonetizationCard } from '../components/WebMonetizationCard.js'
import { Card, CopyField, EmptyState, ErrorNote, Loading, PageHeader } from '../components/ui.js'
import { useLiveEvents } from '../live/hooks.js'
import { formatDateTime } from '../lib/format.js'
import { useResource } from '../lib/useResource.js'

export function IntegrationsPage() {
  const overview = useResource(() => integrations.overview(), [])
  useLiveEvents(['stream.started', 'stream.stopped', 'reconnected'], () => overview.reload())
  const { resource } = overview

  return (
    <div className="page integrations">
      <PageHeader title="Integrations" />
      {resource.state === 'loading' ? <Loading what="the integrations" /> : null}
      {resource.state === 'error' ? (
        <ErrorNote
          error={resource.error}
          what="the Owncast and OSP integration"
          onRetry={overview.reload}
        />
      ) : null}
      {resource.data ? (
        <>
          {!resource.data.publicUrlConfigured ? (
            <p className="notice" role="status">
              WM_PUBLIC_URL is not set, so these URLs only work on this machine. Start a tunnel to
              the public port and set WM_PUBLIC_URL to its https address (Setup → Public URL).
            </p>
          ) : null}
          <Card title="Tip page">
            <TipPageLink id="integrations-tip-url" />
          </Card>
          <Card title="Owncast">
            <CopyField
              id="int-owncast-webhook"
              label="Webhook URL (Owncast admin → Integrations → Webhooks)"
              value={resource.data.owncast.webhookUrl}
            />
            <CopyField
              id="int-owncast-action"
              label="External Action JSON (the tip button)"
              value={JSON.stringify(resource.data.owncast.externalAction)}
            />
            <OwncastForm settings={resource.data.owncast} onSaved={() => overview.reload()} />
            <p>
              Access token {resource.data.owncast.accessTokenConfigured ? 'saved' : 'not set'} ·
              thank-you messages{' '}
              {resource.data.owncast.thankYouEnabled
                ? resource.data.owncast.privateThanks
                  ? 'on, private when the tipper came from chat'
                  : 'on'
                : 'off'}{' '}
              · webhooks checked{' '}
              {resource.data.owncast.authMode === 'signature'
                ? 'by signature'
                : 'by the key in the URL'}
            </p>
            <p className="muted small">
              Last event:{' '}
              {resource.data.owncast.lastEvent
                ? `${resource.data.owncast.lastEvent.type} at ${formatDateTime(resource.data.owncast.lastEvent.receivedAt)}`
                : 'none received yet'}
            </p>
          </Card>
          <Card title="Open Streaming Platform">
            <CopyField
              id="int-osp-webhook"
              label="Webhook URL"
              value={resource.data.osp.webhookUrl}
            />
            <CopyField
              id="int-osp-header"
              label="Request header JSON"
              value={resource.data.osp.header}
            />
            <OspTemplates />
          </Card>
          <ChatOutboxCard outbox={resource.data.outbox} onChanged={overview.reload} />
          <WebMonetizationCard />
          <Card title="Live stream">
            {resource.data.liveStream ? (
              <p>
                Live now on {resource.data.liveStream.platform}:{' '}
                {resource.data.liveStream.title ?? resource.data.liveStream.id}, since{' '}
                {formatDateTime(resource.data.liveStream.startedAt)}.
              </p>
            ) : (
              <EmptyState title="No stream is live.">
                Start streaming in Owncast; the webhook tells WM Companion.
              </EmptyState>
            )}
          </Card>
        </>
      ) : null}
      <Card title="OBS Studio">
        <ObsSettings />
      </Card>
    </div>
  )
}
