import { useState, type FormEvent } from 'react'
import type {
  WebMonetizationResponse,
  WmSettings,
} from '../../../server/contracts/webMonetization.js'
import { ApiError, call } from '../api/client.js'
import { formatAmount } from '../lib/format.js'
import { useLiveEvents } from '../live/hooks.js'
import { useResource } from '../lib/useResource.js'
import { ActionButton, Card, CopyField, ErrorNote, Loading } from './ui.js'

/**
 * Web Monetization on the Integrations page: the link tag for any page, the Owncast snippet, what to
 * do where a page's CSP blocks the report, the optional list-all approval, and the live counter.
 */
export function WebMonetizationCard() {
  const wm = useResource(() => call('GET /web-monetization'), [])
  useLiveEvents(['support.recorded', 'stream.started', 'stream.stopped', 'reconnected'], () =>
    wm.reload(),
  )
  const { resource } = wm
  return (
    <Card title="Web Monetization">
      {resource.state === 'loading' ? <Loading what="Web Monetization" /> : null}
      {resource.state === 'error' ? (
        <ErrorNote error={resource.error} what="Web Monetization" onRetry={wm.reload} />
      ) : null}
      {resource.data ? <WebMonetizationBody data={resource.data} onChange={wm.reload} /> : null}
    </Card>
  )
}

/**
 * The dashboard's "streaming now" line: viewers streaming with Web Monetization and what they sent,
 * verified on the wallet. Shown once anything has been streamed, so a streamer without it sees nothing.
 */
export function StreamingNowLine() {
  const wm = useResource(() => call('GET /web-monetization'), [])
  useLiveEvents(['support.recorded', 'stream.started', 'stream.stopped', 'reconnected'], () =>
    wm.reload(),
  )
  const data = wm.resource.data
  if (!data || (data.live.viewers === 0 && BigInt(data.live.total.value) === 0n)) return null
  return <StreamingNow live={data.live} />
}

function StreamingNow({ live }: { live: WebMonetizationResponse['live'] }) {
  return (
    <p className="wm-live" data-testid="wm-live" role="status">
      Streaming now: {live.viewers} {live.viewers === 1 ? 'viewer' : 'viewers'},{' '}
      {formatAmount(live.total)} {live.streamId ? 'this stream' : 'in the last 12 hours'}
    </p>
  )
}

function WebMonetizationBody({
  data,
  onChange,
}: {
  data: WebMonetizationResponse
  onChange(): void
}) {
  const { live } = data
  return (
    <>
      <StreamingNow live={live} />
      {!data.available ? (
        <p className="notice" role="status">
          Set up your wallet first: the link carries your wallet address.
        </p>
      ) : null}
      <CopyField
        id="wm-link-tag"
        label="Link tag for any page (OSP channel page, your website): paste into its <head>"
        value={data.linkTag}
      />
      <CopyField
        id="wm-owncast-snippet"
        label="Owncast: admin → Configuration → General → Custom Scripting"
        value={data.owncastSnippet}
        multiline
      />
      <p className="muted small">
        Viewers with a Web Monetization extension pay your wallet directly while they watch. The
        page only reports where to look: the app counts only what your wallet confirms, once.
      </p>
      <details className="wm-csp">
        <summary>If reports do not arrive (the page&apos;s security policy)</summary>
        <p>
          Owncast&apos;s own policy lets its custom script report to any address, but the browser
          still needs two things: the report address ({data.reportOrigin}) must be reachable from
          the viewer&apos;s browser, so use your public https URL (a tunnel) rather than 127.0.0.1;
          and pages served with a <code>connect-src</code> policy (a reverse proxy, OSP, your own
          site) must allow {data.reportOrigin}. Where you cannot change the policy, serve the app
          under the same origin through your reverse proxy (for example{' '}
          <code>
            location /wm/ {'{'} proxy_pass {data.reportOrigin}/; {'}'}
          </code>
          ) and change REPORT_URL in the snippet to that path. Money is counted anyway when you
          allow listing below.
        </p>
      </details>
      <ListAllControl granted={data.listAll.granted} onChange={onChange} />
      <WmSettingsForm settings={data.settings} onSaved={onChange} />
    </>
  )
}

function ListAllControl({ granted, onChange }: { granted: boolean; onChange(): void }) {
  return (
    <div className="wm-list-all">
      <p>
        Count streams from every page, even where no report arrives:{' '}
        <strong data-testid="wm-list-all">{granted ? 'allowed' : 'not allowed'}</strong>
      </p>
      {granted ? (
        <ActionButton
          label="Stop listing"
          run={async () => {
            await call('DELETE /web-monetization/list-all')
            onChange()
            return 'Stopped.'
          }}
        />
      ) : (
        <ActionButton
          label="Allow listing in my wallet"
          run={async () => {
            const { redirect } = await call('POST /web-monetization/list-all')
            window.open(redirect, '_blank', 'popup,width=520,height=720')
            return 'Approve in your wallet, then come back.'
          }}
        />
      )}
    </div>
  )
}

function WmSettingsForm({ settings, onSaved }: { settings: WmSettings; onSaved(): void }) {
  const [step, setStep] = useState(settings.supporterStep)
  const [origins, setOrigins] = useState(settings.reportOrigins.join('\n'))
  const [seconds, setSeconds] = useState(String(settings.anonymousAlertSeconds))
  const [countForSupporters, setCount] = useState(settings.countForSupporters)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState('')

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setSaved('')
    try {
      await call('PUT /web-monetization/settings', {
        body: {
          supporterStep: step.trim(),
          reportOrigins: origins
            .split(/\s+/)
            .map((origin) => origin.trim())
            .filter(Boolean),
          anonymousAlertSeconds: Number(seconds),
          countForSupporters,
        },
      })
      setSaved('Saved.')
      onSaved()
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    }
  }

  return (
    <form
      className="form-grid"
      aria-label="Web Monetization settings"
      onSubmit={(event) => void save(event)}
    >
      <label>
        Streaming supporter alert every
        <input
          name="wmStep"
          value={step}
          inputMode="decimal"
          aria-invalid={error?.field === 'body.supporterStep' || undefined}
          onChange={(event) => setStep(event.target.value)}
        />
      </label>
      <label>
        Anonymous streams: one alert every (seconds)
        <input
          name="wmSeconds"
          type="number"
          min={10}
          max={3600}
          value={seconds}
          aria-invalid={error?.field === 'body.anonymousAlertSeconds' || undefined}
          onChange={(event) => setSeconds(event.target.value)}
        />
      </label>
      <label>
        Other pages allowed to report (one origin per line; your Owncast address is always allowed)
        <textarea
          name="wmOrigins"
          rows={2}
          value={origins}
          aria-invalid={error?.field?.startsWith('body.reportOrigins') || undefined}
          onChange={(event) => setOrigins(event.target.value)}
        />
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={countForSupporters}
          onChange={(event) => setCount(event.target.checked)}
        />{' '}
        Streamed money counts for leaderboards and the gifter path
      </label>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error.message}
          <span className="muted small"> ({error.code})</span>
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit">Save</button>{' '}
        <span role="status" className="outcome ok">
          {saved}
        </span>
      </div>
    </form>
  )
}
