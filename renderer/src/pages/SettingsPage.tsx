import { useState } from 'react'
import type { AppSettings } from '../../../server/contracts/api.js'
import type { SettingsHandle } from '../lib/settingsHandle.js'
import { core, tipTiers } from '../api/endpoints.js'
import {
  ActionButton,
  Card,
  CopyField,
  ErrorNote,
  Loading,
  PageHeader,
  ResourceView,
} from '../components/ui.js'
import { navigate } from '../lib/router.js'
import { useResource } from '../lib/useResource.js'
import { live } from '../live/liveConnection.js'
import { errorOutcome, OutcomeMessage, type OutcomeValue } from '../components/Outcome.js'
import { explainError } from '../lib/plainErrors.js'
import { AlertRulesCard, ChatTemplateCard } from './settingsSections.js'
import { TierEditor } from '../components/TierEditor.js'
import { DesktopSettingsCard } from '../desktop/DesktopSettingsCard.js'
import { TipLimitsCard } from '../components/TipLimitsCard.js'

export function SettingsPage({ settings }: { settings: SettingsHandle }) {
  const status = useResource(() => core.status(), [])
  const tiers = useResource(() => tipTiers.view(), [])
  const current = settings.settings

  const [switchOutcome, setSwitchOutcome] = useState<{ key: string; outcome: OutcomeValue } | null>(
    null,
  )
  const toggle = (
    key: 'notificationsEnabled' | 'alertsPaused' | 'sandboxEnabled' | 'shareNameWithWallet',
    label: string,
    hint: string,
  ) =>
    current ? (
      <>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={current[key]}
            onChange={(event) => {
              const on = event.target.checked
              setSwitchOutcome(null)
              settings.update({ [key]: on } as Partial<AppSettings>).then(
                () => {
                  if (key === 'sandboxEnabled') {
                    status.reload()
                    setSwitchOutcome({
                      key,
                      outcome: {
                        tone: 'success',
                        text: on
                          ? 'The sandbox wallet is running.'
                          : 'The sandbox wallet is stopped.',
                      },
                    })
                  }
                },
                (error: unknown) =>
                  setSwitchOutcome({ key, outcome: errorOutcome(explainError(error)) }),
              )
            }}
          />{' '}
          {label}
          <span className="muted small"> {hint}</span>
        </label>
        {switchOutcome?.key === key ? <OutcomeMessage outcome={switchOutcome.outcome} /> : null}
      </>
    ) : null

  return (
    <div className="page settings">
      <PageHeader title="Settings">
        <button
          type="button"
          className="primary"
          onClick={() => {
            void settings.update({ setupCompleted: false }).catch(() => undefined)
            navigate('setup')
          }}
        >
          Run the setup again
        </button>
      </PageHeader>
      <Card title="Appearance">
        {current ? (
          <fieldset className="segmented-field">
            <legend>Theme</legend>
            {(['system', 'light', 'dark'] as const).map((theme) => (
              <label key={theme}>
                <input
                  type="radio"
                  name="theme"
                  value={theme}
                  checked={current.theme === theme}
                  onChange={() => void settings.update({ theme })}
                />{' '}
                {theme === 'system' ? 'Follow the system' : theme === 'light' ? 'Light' : 'Dark'}
              </label>
            ))}
          </fieldset>
        ) : (
          <Loading what="the settings" />
        )}
      </Card>
      <Card title="Alerts and notifications">
        {toggle('alertsPaused', 'Pause alerts', '(alerts wait until you resume)')}
        {toggle(
          'notificationsEnabled',
          'Notifications for tips',
          '(the tray, or this browser when headless)',
        )}
        {toggle('sandboxEnabled', 'Enable the sandbox wallet', '(play money for rehearsing)')}
        <p className="muted small">Held alerts (moderation) are approved on the Overlays page.</p>
      </Card>
      <DesktopSettingsCard settings={settings} />
      <Card title="What your wallet provider sees">
        <p>
          Each tip is a payment into your wallet. Your wallet provider keeps a note with it, which
          you see in your wallet: the tier (&ldquo;Tip: Coffee&rdquo;) and the viewer&rsquo;s
          message. Nothing else about the viewer is sent unless you choose it here.
        </p>
        {toggle(
          'shareNameWithWallet',
          'Also send the name the viewer typed',
          '(so it shows in your wallet too)',
        )}
        <p className="muted small">
          The viewer&rsquo;s wallet address and their chat account are never sent to your wallet
          provider.
        </p>
      </Card>
      <AlertRulesCard />
      <ChatTemplateCard />
      <Card title="Tip tiers">
        {tiers.resource.state === 'loading' ? (
          <Loading what="the tiers" />
        ) : tiers.resource.state === 'error' ? (
          <ErrorNote error={tiers.resource.error} what="the tip tiers" onRetry={tiers.reload} />
        ) : (
          <TierEditor view={tiers.resource.data} onSaved={tiers.replace} onFailed={tiers.reload} />
        )}
      </Card>
      <TipLimitsCard currency={tiers.resource.data?.currency} onSaved={tiers.reload} />
      <Card title="This installation">
        <ResourceView resource={status.resource} what="the status" onRetry={status.reload}>
          {(data) => (
            <>
              <CopyField
                id="data-dir"
                label="Data folder (database, settings, keys)"
                value={data.dataDir}
              />
              <p className="muted small">
                Version {data.version} · dashboard {data.localUrl} · public {data.publicUrl}
                {data.sandbox ? ' · sandbox wallet on' : ''}
              </p>
            </>
          )}
        </ResourceView>
        <ActionButton
          label="Sign out of this dashboard"
          run={async () => {
            await core.logout()
            live.retry()
          }}
        />
      </Card>
    </div>
  )
}
