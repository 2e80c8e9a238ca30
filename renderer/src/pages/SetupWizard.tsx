import { useState, type FormEvent } from 'react'
import { OwncastForm } from '../components/OwncastForm.js'
import type { PublicUrlCheck } from '../../../server/contracts/analytics.js'
import type { WalletStatusResponse } from '../../../server/contracts/wallet.js'
import type { SettingsHandle } from '../App.js'
import { ApiError } from '../api/client.js'
import { core, integrations, overlays, setup, wallet } from '../api/endpoints.js'
import {
  ActionButton,
  CopyField,
  ErrorNote,
  Loading,
  PageHeader,
  ResourceView,
  Unavailable,
} from '../components/ui.js'
import { navigate } from '../lib/router.js'
import { useResource } from '../lib/useResource.js'

const STEPS = [
  { id: 'wallet', title: 'Wallet' },
  { id: 'public-url', title: 'Public URL' },
  { id: 'obs', title: 'OBS' },
  { id: 'owncast', title: 'Owncast' },
  { id: 'done', title: 'Done' },
] as const

type StepId = (typeof STEPS)[number]['id']

/**
 * The first-run wizard: wallet, public URL, OBS, Owncast. Every step can be skipped;
 * Settings reopens the wizard.
 */
export function SetupWizard({ settings }: { settings: SettingsHandle }) {
  const [index, setIndex] = useState(0)
  const [finishError, setFinishError] = useState<string | null>(null)
  const step = STEPS[index]!
  const next = () => setIndex((i) => Math.min(i + 1, STEPS.length - 1))
  const back = () => setIndex((i) => Math.max(i - 1, 0))

  const finish = async () => {
    try {
      await settings.update({ setupCompleted: true })
      navigate('dashboard')
    } catch (error) {
      setFinishError(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <div className="page setup">
      <PageHeader title="Set up WM Companion" />
      <ol className="stepper" aria-label="Setup steps">
        {STEPS.map((item, i) => (
          <li
            key={item.id}
            aria-current={i === index ? 'step' : undefined}
            className={i < index ? 'done' : ''}
          >
            <button type="button" className="link" onClick={() => setIndex(i)}>
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>{' '}
              {item.title}
            </button>
          </li>
        ))}
      </ol>
      <section className="card wizard-step" aria-labelledby={`step-${step.id}`} data-step={step.id}>
        <h2 id={`step-${step.id}`}>
          Step {index + 1} of {STEPS.length}: {step.title}
        </h2>
        <div className="step-body">
          <StepBody id={step.id} onDone={next} />
        </div>
        {finishError ? (
          <p className="notice notice-error" role="alert">
            Could not save that setup is finished: {finishError}
          </p>
        ) : null}
        <div className="wizard-nav">
          {index > 0 ? (
            <button type="button" onClick={back}>
              Back
            </button>
          ) : null}
          {step.id === 'done' ? (
            <button type="button" className="primary" onClick={() => void finish()}>
              Open the dashboard
            </button>
          ) : (
            <>
              <button type="button" onClick={next}>
                Skip this step
              </button>
              <button type="button" className="primary" onClick={next}>
                Continue
              </button>
            </>
          )}
        </div>
      </section>
      <p className="muted small">
        You can come back here at any time from Settings → “Run the setup again”.
      </p>
    </div>
  )
}

function StepBody({ id, onDone }: { id: StepId; onDone: () => void }) {
  switch (id) {
    case 'wallet':
      return <WalletStep onDone={onDone} />
    case 'public-url':
      return <PublicUrlStep />
    case 'obs':
      return <ObsStep />
    case 'owncast':
      return <OwncastStep />
    case 'done':
      return (
        <p>
          That is all. The dashboard shows tips as they arrive; the Overlays and Integrations pages
          keep the URLs you need. Anything you skipped can be done later from Settings.
        </p>
      )
  }
}

function describeWallet(status: WalletStatusResponse): string {
  if (!status.configured) return 'No wallet is set up yet.'
  const asset = status.asset ? ` (${status.asset.assetCode})` : ''
  return status.source === 'sandbox'
    ? `Using the sandbox wallet ${status.walletAddress ?? ''}${asset}: play money for rehearsing, no real payments.`
    : `Tips go to ${status.walletAddress ?? 'your wallet'}${asset}.`
}

function WalletStep({ onDone }: { onDone: () => void }) {
  const { resource, reload } = useResource(() => wallet.status(), [])
  const [form, setForm] = useState({ walletAddress: '', keyId: '', privateKey: '' })
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<WalletStatusResponse | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const status = await wallet.setup({
        walletAddress: form.walletAddress.trim(),
        keyId: form.keyId.trim(),
        privateKey: form.privateKey.trim() || undefined,
      })
      setSaved(status)
      setForm((f) => ({ ...f, privateKey: '' }))
      reload()
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    } finally {
      setBusy(false)
    }
  }

  const chooseSandbox = async () => {
    setBusy(true)
    setError(null)
    try {
      setSaved(await wallet.useSandbox())
      reload()
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    } finally {
      setBusy(false)
    }
  }

  if (resource.state === 'loading') return <Loading what="the wallet" />
  if (resource.state === 'error' && resource.error.unavailable)
    return (
      <>
        <Unavailable what="wallet setup" />
        <p>Skip this step for now; the rest of the app works without a wallet.</p>
      </>
    )
  const status = saved ?? resource.data
  const fieldError = (field: string) =>
    error && error.field?.endsWith(field) ? (
      <span className="field-error" id={`err-${field}`}>
        {error.message}
      </span>
    ) : null

  return (
    <div className="wallet-step">
      <p>
        Viewers pay straight into your own Interledger wallet (Open Payments). Your wallet provider
        gives you a <strong>wallet address</strong>, a <strong>key id</strong> and a{' '}
        <strong>private key</strong> (create a developer key in your wallet&apos;s settings). The
        private key stays on this computer.
      </p>
      {resource.state === 'error' ? (
        <ErrorNote error={resource.error} what="the wallet" onRetry={reload} />
      ) : null}
      {status ? (
        <p
          className={status.configured ? 'notice notice-ok' : 'notice'}
          role="status"
          data-testid="wallet-status"
        >
          {describeWallet(status)}
        </p>
      ) : null}
      {status?.sandboxAvailable !== false ? (
        <div className="sandbox-choice">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void chooseSandbox()}
          >
            Use the sandbox wallet
          </button>
          <span className="muted">
            No wallet yet? Rehearse with play money; switch to a real wallet later.
          </span>
        </div>
      ) : null}
      <form onSubmit={(event) => void submit(event)} className="form-grid" aria-label="Your wallet">
        <label>
          Wallet address
          <input
            name="walletAddress"
            required
            placeholder="https://wallet.example/alice or $wallet.example/alice"
            value={form.walletAddress}
            aria-invalid={error?.field?.endsWith('walletAddress') || undefined}
            aria-describedby={
              error?.field?.endsWith('walletAddress') ? 'err-walletAddress' : undefined
            }
            onChange={(event) => setForm({ ...form, walletAddress: event.target.value })}
          />
          {fieldError('walletAddress')}
        </label>
        <label>
          Key id
          <input
            name="keyId"
            required
            value={form.keyId}
            aria-invalid={error?.field?.endsWith('keyId') || undefined}
            onChange={(event) => setForm({ ...form, keyId: event.target.value })}
          />
          {fieldError('keyId')}
        </label>
        <label>
          Private key (PEM or base64)
          <textarea
            name="privateKey"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            placeholder="-----BEGIN PRIVATE KEY-----"
            value={form.privateKey}
            aria-invalid={error?.field?.endsWith('privateKey') || undefined}
            onChange={(event) => setForm({ ...form, privateKey: event.target.value })}
          />
          {fieldError('privateKey')}
        </label>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Checking the wallet…' : 'Save and check the wallet'}
          </button>
        </div>
      </form>
      {error && !error.field ? <ErrorNote error={error} what="the wallet" /> : null}
      {status?.configured ? (
        <button type="button" className="primary" onClick={onDone}>
          Wallet is ready: continue
        </button>
      ) : null}
    </div>
  )
}

function PublicUrlStep() {
  const status = useResource(() => core.status(), [])
  const [check, setCheck] = useState<PublicUrlCheck | null>(null)
  return (
    <div>
      <p>
        Viewers&apos; tip pages and Owncast&apos;s webhooks reach WM Companion through its{' '}
        <strong>public URL</strong>: a tunnel (cloudflared, ngrok, …) to the public port, or this
        server&apos;s own https address. Set it with <code>WM_PUBLIC_URL</code> and restart.
      </p>
      <ResourceView resource={status.resource} what="the status" onRetry={status.reload}>
        {(data) => (
          <>
            <CopyField id="public-url" label="Public URL" value={data.publicUrl} />
            {!data.publicUrlConfigured ? (
              <p className="notice" role="status">
                WM_PUBLIC_URL is not set: this address only works on this machine.
              </p>
            ) : null}
          </>
        )}
      </ResourceView>
      <ActionButton
        label="Check reachability"
        busyLabel="Checking…"
        run={async () => {
          setCheck(await setup.checkPublicUrl())
        }}
      />
      {check ? (
        <p
          className={check.ok ? 'notice notice-ok' : 'notice notice-warn'}
          role="status"
          data-testid="public-url-check"
        >
          {check.message}
        </p>
      ) : null}
    </div>
  )
}

export function ObsStep() {
  const links = useResource(async () => (await overlays.links()).overlays, [])
  return (
    <div>
      <ResourceView resource={links.resource} what="the overlay URLs" onRetry={links.reload}>
        {(list) => {
          const alerts = list.find((o) => o.id === 'alerts') ?? list[0]
          return alerts ? (
            <>
              <p>
                In OBS, add a <strong>Browser</strong> source, paste the{' '}
                {alerts.title.toLowerCase()} URL, and set its width and height to{' '}
                <strong data-testid="obs-size">
                  {alerts.width}×{alerts.height}
                </strong>
                . Then fire a test alert: it should play in OBS within a second.
              </p>
              <CopyField id="obs-url" label={`${alerts.title} URL`} value={alerts.url} />
            </>
          ) : (
            <p className="notice">No overlay is available in this version yet.</p>
          )
        }}
      </ResourceView>
      <ActionButton
        label="Fire a test alert"
        busyLabel="Sending…"
        run={async () => {
          await core.testAlert({ name: 'Test Viewer', message: 'Hello from the setup wizard!' })
          return 'Sent. If nothing shows in OBS, check that the browser source URL is the one above and that alerts are not paused.'
        }}
      />
    </div>
  )
}

function OwncastStep() {
  const overview = useResource(() => integrations.overview(), [])
  if (overview.resource.state === 'error' && overview.resource.error.unavailable)
    return (
      <>
        <Unavailable what="the Owncast integration" />
        <p>Skip this step; tips still work through the tip page link.</p>
      </>
    )
  return (
    <div>
      <p>
        In Owncast admin → Integrations → <strong>Webhooks</strong>, add the webhook URL below; in{' '}
        <strong>Access Tokens</strong>, create a token with “send chat messages” and paste it below;
        in <strong>External Actions</strong>, add the tip button with the JSON below.
      </p>
      <ResourceView
        resource={overview.resource}
        what="the Owncast settings"
        onRetry={overview.reload}
      >
        {(data) => (
          <>
            <CopyField id="owncast-webhook" label="Webhook URL" value={data.owncast.webhookUrl} />
            <CopyField
              id="owncast-action"
              label="External Action JSON"
              value={JSON.stringify(data.owncast.externalAction)}
            />
            <OwncastForm settings={data.owncast} onSaved={() => overview.reload()} />
            <p className="muted small">
              Everything here is also on the <a href="#/integrations">Integrations</a> page.
            </p>
          </>
        )}
      </ResourceView>
    </div>
  )
}
