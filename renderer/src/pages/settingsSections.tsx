import { useState, type FormEvent } from 'react'
import type { OwncastSettingsView } from '../../../server/contracts/integrations.js'
import type { AlertSettings } from '../../../server/contracts/alerts.js'
import { errorOutcome, OutcomeMessage } from '../components/Outcome.js'
import { explainError, type PlainError } from '../lib/plainErrors.js'
import { alerts, integrations } from '../api/endpoints.js'
import { Card, ErrorNote, Loading } from '../components/ui.js'
import { useResource } from '../lib/useResource.js'

function useSave<T>(save: (value: T) => Promise<unknown>) {
  const [state, setState] = useState<{ error: PlainError | null; saved: boolean }>({
    error: null,
    saved: false,
  })
  const run = async (value: T) => {
    setState({ error: null, saved: false })
    try {
      await save(value)
      setState({ error: null, saved: true })
    } catch (error) {
      setState({ error: explainError(error), saved: false })
    }
  }
  const outcome = (
    <>
      {state.error ? <OutcomeMessage outcome={errorOutcome(state.error)} /> : null}
      {state.saved ? <OutcomeMessage inline outcome={{ tone: 'success', text: 'Saved.' }} /> : null}
    </>
  )
  return { run, outcome }
}

/** Alert rules and moderation (alerts feature): minimums, blocked words, approval. */
export function AlertRulesCard() {
  const settings = useResource(() => alerts.settings(), [])
  const variants = useResource(() => alerts.variants(), [])
  const { run, outcome } = useSave((patch: Partial<AlertSettings>) => alerts.updateSettings(patch))
  const [draft, setDraft] = useState<Partial<AlertSettings>>({})
  const { resource } = settings
  if (resource.state === 'loading')
    return (
      <Card title="Alert rules and moderation">
        <Loading what="the alert rules" />
      </Card>
    )
  if (resource.state === 'error')
    return (
      <Card title="Alert rules and moderation">
        <ErrorNote error={resource.error} what="the alert rules" onRetry={settings.reload} />
      </Card>
    )
  const value = { ...resource.data, ...draft }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(draft).then(() => settings.reload())
  }
  return (
    <Card title="Alert rules and moderation">
      <form className="form-grid" onSubmit={submit} aria-label="Alert rules">
        <label>
          Smallest support that shows an alert ({'decimal amount'})
          <input
            inputMode="decimal"
            value={value.minAmountToAlert}
            onChange={(event) => setDraft({ ...draft, minAmountToAlert: event.target.value })}
          />
        </label>
        <label>
          Smallest support whose message is shown
          <input
            inputMode="decimal"
            value={value.minAmountForMessage}
            onChange={(event) => setDraft({ ...draft, minAmountForMessage: event.target.value })}
          />
        </label>
        <label>
          Blocked words (comma separated)
          <input
            value={value.blockedWords.join(', ')}
            onChange={(event) =>
              setDraft({
                ...draft,
                blockedWords: event.target.value
                  .split(',')
                  .map((word) => word.trim())
                  .filter(Boolean),
              })
            }
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.moderationEnabled}
            onChange={(event) => setDraft({ ...draft, moderationEnabled: event.target.checked })}
          />{' '}
          Hold every alert until I approve it (Overlays page)
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.webMonetizationAlerts}
            onChange={(event) =>
              setDraft({ ...draft, webMonetizationAlerts: event.target.checked })
            }
          />{' '}
          Alerts for Web Monetization payments
        </label>
        <div className="form-actions">
          <button type="submit">Save alert rules</button>
          {outcome}
        </div>
      </form>
      {variants.resource.state === 'ready' && variants.resource.data.variants.length > 0 ? (
        <>
          <h3>Alert variants</h3>
          <ul className="tiers">
            {variants.resource.data.variants.map((variant) => (
              <li key={variant.id}>
                {variant.emoji ? <span aria-hidden="true">{variant.emoji} </span> : null}
                {variant.name}
                <span className="muted">
                  {' '}
                  ·{' '}
                  {variant.rule.type === 'atLeast'
                    ? `from ${variant.rule.amount}`
                    : variant.rule.type === 'exactly'
                      ? `exactly ${variant.rule.amount}`
                      : variant.rule.type === 'largestThisStream'
                        ? 'the largest tip of this stream'
                        : 'any amount'}
                  {variant.enabled ? '' : ' · off'}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  )
}

/** Chat thank-you template (Owncast integration). */
export function ChatTemplateCard() {
  const overview = useResource(() => integrations.overview(), [])
  const { run, outcome } = useSave((patch: Partial<OwncastSettingsView>) =>
    integrations.updateOwncast({
      thankYouEnabled: patch.thankYouEnabled,
      chatTemplate: patch.chatTemplate,
      tipCommandEnabled: patch.tipCommandEnabled,
      privateThanks: patch.privateThanks,
    }),
  )
  const [draft, setDraft] = useState<Partial<OwncastSettingsView>>({})
  const { resource } = overview
  if (resource.state === 'loading')
    return (
      <Card title="Chat messages">
        <Loading what="the chat settings" />
      </Card>
    )
  if (resource.state === 'error')
    return (
      <Card title="Chat messages">
        <ErrorNote error={resource.error} what="the chat settings" onRetry={overview.reload} />
      </Card>
    )
  const value = { ...resource.data.owncast, ...draft }
  return (
    <Card title="Chat messages">
      <form
        className="form-grid"
        aria-label="Chat messages"
        onSubmit={(event) => {
          event.preventDefault()
          void run(draft).then(() => overview.reload())
        }}
      >
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.thankYouEnabled}
            onChange={(event) => setDraft({ ...draft, thankYouEnabled: event.target.checked })}
          />{' '}
          Thank each tipper in Owncast chat
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.privateThanks}
            disabled={!value.thankYouEnabled}
            onChange={(event) => setDraft({ ...draft, privateThanks: event.target.checked })}
          />{' '}
          Thank privately: only the tipper sees the thank-you, when they came from Owncast chat
          (needs a token with &quot;Can send system messages&quot;)
        </label>
        <label>
          Thank-you template ({'{name} {amount} {tier} {perk} {message}'})
          <input
            value={value.chatTemplate}
            onChange={(event) => setDraft({ ...draft, chatTemplate: event.target.value })}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.tipCommandEnabled}
            onChange={(event) => setDraft({ ...draft, tipCommandEnabled: event.target.checked })}
          />{' '}
          Answer <code>!tip</code> in chat with the tip page link
        </label>
        <div className="form-actions">
          <button type="submit">Save chat settings</button>
          {outcome}
        </div>
      </form>
    </Card>
  )
}
