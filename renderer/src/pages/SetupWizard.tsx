import { useEffect, useState, type FormEvent } from 'react'
import { OwncastForm } from '../components/OwncastForm.js'
import type { PublicUrlCheck } from '../../../server/contracts/analytics.js'
import type { WalletStatusResponse } from '../../../server/contracts/wallet.js'
import type { SettingsHandle } from '../lib/settingsHandle.js'
import { core, integrations, overlays, setup, wallet } from '../api/endpoints.js'
import { PrivateKeyField } from '../components/PrivateKeyField.js'
import { errorOutcome, OutcomeMessage } from '../components/Outcome.js'
import { explainError, type PlainError } from '../lib/plainErrors.js'
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
  // The wallet step has its own primary action until a wallet is ready; then "Continue" is the one.
  const [walletReady, setWalletReady] = useState(false)
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
          <StepBody id={step.id} onWalletReady={setWalletReady} />
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
          ) : step.id === 'wallet' && !walletReady ? (
            <button type="button" onClick={next}>
              Skip this step
            </button>
          ) : step.id === 'wallet' ? (
            <button type="button" className="primary" onClick={next}>
              Continue
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

function StepBody({ id, onWalletReady }: { id: StepId; onWalletReady: (ready: boolean) => void }) {
  switch (id) {
    case 'wallet':
      return <WalletStep onReady={onWalletReady} />
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

type WalletChoice = 'mine' | 'sandbox'

function WalletStep({ onReady }: { onReady: (ready: boolean) => void }) {
  const { resource, reload } = useResource(() => wallet.status(), [])
  const [choice, setChoice] = useState<WalletChoice | null>(null)
  const [saved, setSaved] = useState<WalletStatusResponse | null>(null)
  const loadedConfigured = resource.state === 'ready' ? resource.data.configured : false
  useEffect(() => {
    if (!saved) onReady(loadedConfigured)
  }, [loadedConfigured, saved, onReady])

  if (resource.state === 'loading') return <Loading what="the wallet" />
  if (resource.state === 'error' && resource.error.unavailable)
    return (
      <>
        <Unavailable what="wallet setup" />
        <p>Skip this step for now; the rest of the app works without a wallet.</p>
      </>
    )
  const status = saved ?? resource.data
  // A wallet already set up is a choice made: show that path until the streamer picks the other.
  const chosen: WalletChoice | null =
    choice ?? (status?.configured ? (status.source === 'sandbox' ? 'sandbox' : 'mine') : null)
  const done = (next: WalletStatusResponse) => {
    setSaved(next)
    onReady(next.configured)
    reload()
  }
  const sandboxOffered = status?.sandboxAvailable !== false

  return (
    <div className="wallet-step">
      <p>
        Viewers pay straight into your own Interledger wallet (Open Payments). You can set up your
        wallet now, or rehearse first with the built-in sandbox wallet and its play money.
      </p>
      {resource.state === 'error' ? (
        <ErrorNote error={resource.error} what="the wallet" onRetry={reload} />
      ) : null}
      <fieldset className="wallet-choice" data-testid="wallet-choice">
        <legend>How do you want to start?</legend>
        <label className={chosen === 'mine' ? 'choice chosen' : 'choice'}>
          <input
            type="radio"
            name="wallet-choice"
            checked={chosen === 'mine'}
            onChange={() => setChoice('mine')}
          />
          <span>
            <strong>My wallet</strong>
            <span className="muted small">Real tips into the wallet your provider gave you.</span>
          </span>
        </label>
        {sandboxOffered ? (
          <label className={chosen === 'sandbox' ? 'choice chosen' : 'choice'}>
            <input
              type="radio"
              name="wallet-choice"
              checked={chosen === 'sandbox'}
              onChange={() => setChoice('sandbox')}
            />
            <span>
              <strong>Rehearse with the sandbox wallet</strong>
              <span className="muted small">
                Play money on this computer; switch to your wallet whenever you like.
              </span>
            </span>
          </label>
        ) : null}
      </fieldset>
      {status?.configured && chosen === (status.source === 'sandbox' ? 'sandbox' : 'mine') ? (
        <div data-testid="wallet-status">
          <OutcomeMessage outcome={{ tone: 'success', text: describeWallet(status) }} />
        </div>
      ) : null}
      {chosen === 'sandbox' ? (
        <SandboxPath configured={status?.source === 'sandbox'} onDone={done} />
      ) : null}
      {chosen === 'mine' ? <MyWalletPath onDone={done} /> : null}
    </div>
  )
}

function SandboxPath({
  configured,
  onDone,
}: {
  configured: boolean
  onDone: (status: WalletStatusResponse) => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<PlainError | null>(null)
  if (configured) return null
  return (
    <div className="wallet-path">
      <p>
        The sandbox is a wallet provider inside WM Companion: tips, alerts and the dashboard work as
        with real money, but nothing is paid. It starts now and keeps running until you switch it
        off in Settings.
      </p>
      {error ? <OutcomeMessage outcome={errorOutcome(error)} /> : null}
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => {
          setBusy(true)
          setError(null)
          wallet
            .useSandbox()
            .then(onDone, (failure: unknown) => setError(explainError(failure)))
            .finally(() => setBusy(false))
        }}
      >
        {busy ? 'Starting the sandbox…' : 'Use the sandbox wallet'}
      </button>
    </div>
  )
}

function MyWalletPath({ onDone }: { onDone: (status: WalletStatusResponse) => void }) {
  const [form, setForm] = useState({ walletAddress: '', keyId: '', privateKey: '' })
  const [error, setError] = useState<PlainError | null>(null)
  const [busy, setBusy] = useState(false)

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
      setForm((f) => ({ ...f, privateKey: '' }))
      onDone(status)
    } catch (failure) {
      setError(explainError(failure))
    } finally {
      setBusy(false)
    }
  }

  const invalid = (field: string) => error?.field?.endsWith(field) || undefined
  const fieldError = (field: string) =>
    invalid(field) ? (
      <span className="field-error" id={`err-${field}`}>
        {error?.text}
      </span>
    ) : null

  return (
    <form onSubmit={(event) => void submit(event)} className="form-grid" aria-label="Your wallet">
      <p>
        Your wallet provider gives you a <strong>wallet address</strong>, a <strong>key id</strong>{' '}
        and a <strong>private key</strong> (create a developer key in your wallet&apos;s settings).
        The private key stays on this computer.
      </p>
      <label>
        Wallet address
        <input
          name="walletAddress"
          required
          placeholder="https://wallet.example/alice or $wallet.example/alice"
          value={form.walletAddress}
          aria-invalid={invalid('walletAddress')}
          aria-describedby={invalid('walletAddress') ? 'err-walletAddress' : undefined}
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
          aria-invalid={invalid('keyId')}
          aria-describedby={invalid('keyId') ? 'err-keyId' : undefined}
          onChange={(event) => setForm({ ...form, keyId: event.target.value })}
        />
        {fieldError('keyId')}
      </label>
      <PrivateKeyField
        value={form.privateKey}
        invalid={invalid('privateKey')}
        onChange={(privateKey) => setForm((f) => ({ ...f, privateKey }))}
      />
      {fieldError('privateKey')}
      {error && !error.field ? <OutcomeMessage outcome={errorOutcome(error)} /> : null}
      {error?.field ? (
        <span className="outcome-detail" data-testid="outcome-detail">
          {error.detail}
        </span>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking the wallet…' : 'Save and check the wallet'}
        </button>
      </div>
    </form>
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
