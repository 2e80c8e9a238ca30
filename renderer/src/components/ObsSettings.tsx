import { useState, type FormEvent } from 'react'
import type {
  ObsAction,
  ObsRule,
  ObsSettings as Settings,
  ObsView,
} from '../../../server/contracts/obs.js'
import { ApiError, call } from '../api/client.js'
import { useResource } from '../lib/useResource.js'
import { ErrorNote, Loading } from './ui.js'
import { ObsStatusLine } from './ObsStatusLine.js'

const ACTION_LABELS: Record<ObsAction['type'], string> = {
  switchScene: 'Switch to a scene for some seconds',
  setSourceVisible: 'Show or hide a source',
  setText: 'Set a text source',
}

function defaultAction(type: ObsAction['type']): ObsAction {
  switch (type) {
    case 'switchScene':
      return { type, sceneName: '', seconds: 10 }
    case 'setSourceVisible':
      return { type, sceneName: '', sourceName: '', visible: true, seconds: 10 }
    case 'setText':
      return { type, inputName: '', text: '{name} – {amount}' }
  }
}

function RuleEditor({
  rule,
  index,
  errorField,
  onChange,
  onRemove,
}: {
  rule: ObsRule
  index: number
  errorField: string | undefined
  onChange(rule: ObsRule): void
  onRemove(): void
}) {
  const invalid = (name: string) => errorField === `body.rules.${index}.${name}` || undefined
  const setAction = (patch: Partial<ObsAction>) =>
    onChange({ ...rule, action: { ...rule.action, ...patch } as ObsAction })
  const { action } = rule
  return (
    <fieldset className="obs-rule form-grid">
      <legend>Rule {index + 1}</legend>
      <label>
        Tier id (empty: any tier)
        <input
          value={rule.tierId ?? ''}
          onChange={(event) => onChange({ ...rule, tierId: event.target.value.trim() || null })}
        />
      </label>
      <label>
        From amount (empty: any)
        <input
          inputMode="decimal"
          value={rule.minAmount ?? ''}
          aria-invalid={invalid('minAmount')}
          onChange={(event) => onChange({ ...rule, minAmount: event.target.value.trim() || null })}
        />
      </label>
      <label>
        Up to amount (empty: no limit)
        <input
          inputMode="decimal"
          value={rule.maxAmount ?? ''}
          aria-invalid={invalid('maxAmount')}
          onChange={(event) => onChange({ ...rule, maxAmount: event.target.value.trim() || null })}
        />
      </label>
      <label>
        What OBS does
        <select
          value={action.type}
          onChange={(event) =>
            onChange({ ...rule, action: defaultAction(event.target.value as ObsAction['type']) })
          }
        >
          {Object.entries(ACTION_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {action.type === 'switchScene' || action.type === 'setSourceVisible' ? (
        <label>
          Scene name (as in OBS)
          <input
            value={action.sceneName}
            aria-invalid={invalid('action.sceneName')}
            onChange={(event) => setAction({ sceneName: event.target.value })}
          />
        </label>
      ) : null}
      {action.type === 'setSourceVisible' ? (
        <>
          <label>
            Source name
            <input
              value={action.sourceName}
              onChange={(event) => setAction({ sourceName: event.target.value })}
            />
          </label>
          <label>
            <span>
              <input
                type="checkbox"
                checked={action.visible}
                onChange={(event) => setAction({ visible: event.target.checked })}
              />{' '}
              Show it (unchecked: hide it)
            </span>
          </label>
        </>
      ) : null}
      {action.type === 'switchScene' || action.type === 'setSourceVisible' ? (
        <label>
          For how many seconds{action.type === 'setSourceVisible' ? ' (empty: for good)' : ''}
          <input
            inputMode="numeric"
            value={action.seconds ?? ''}
            onChange={(event) => {
              const seconds = Number.parseInt(event.target.value, 10)
              setAction({
                seconds: Number.isFinite(seconds)
                  ? seconds
                  : action.type === 'switchScene'
                    ? 10
                    : null,
              } as Partial<ObsAction>)
            }}
          />
        </label>
      ) : null}
      {action.type === 'setText' ? (
        <>
          <label>
            Text source name
            <input
              value={action.inputName}
              onChange={(event) => setAction({ inputName: event.target.value })}
            />
          </label>
          <label>
            Text ({'{name}'}, {'{amount}'}, {'{tier}'}, {'{message}'})
            <input
              value={action.text}
              onChange={(event) => setAction({ text: event.target.value })}
            />
          </label>
        </>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={onRemove}>
          Remove rule
        </button>
      </div>
    </fieldset>
  )
}

function ObsForm({ view, onSaved }: { view: ObsView; onSaved(view: ObsView): void }) {
  const [settings, setSettings] = useState<Settings>(view.settings)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState('')
  const patch = (next: Partial<Settings>) => setSettings({ ...settings, ...next })

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setSaved('')
    try {
      const next = await call('PUT /obs', {
        body: { ...settings, ...(password ? { password } : {}) },
      })
      setPassword('')
      setSaved('Saved.')
      onSaved(next)
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    }
  }

  return (
    <form className="form-grid" aria-label="OBS connection" onSubmit={(event) => void save(event)}>
      <ObsStatusLine initial={view.status} />
      <label>
        <span>
          <input
            type="checkbox"
            name="obsEnabled"
            checked={settings.enabled}
            onChange={(event) => patch({ enabled: event.target.checked })}
          />{' '}
          Control OBS (OBS 28 or newer)
        </span>
      </label>
      <label>
        WebSocket address (OBS → Tools → WebSocket Server Settings)
        <input
          name="obsAddress"
          placeholder="ws://127.0.0.1:4455"
          value={settings.address}
          aria-invalid={error?.field === 'body.address' || undefined}
          onChange={(event) => patch({ address: event.target.value })}
        />
      </label>
      <label>
        Server password {view.passwordSaved ? '(saved; type a new one to replace it)' : ''}
        <input
          name="obsPassword"
          type="password"
          autoComplete="off"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <label>
        <span>
          <input
            type="checkbox"
            name="obsHold"
            checked={settings.holdAlertsWhileNotStreaming}
            onChange={(event) => patch({ holdAlertsWhileNotStreaming: event.target.checked })}
          />{' '}
          Hold alerts while OBS is not streaming
        </span>
      </label>
      <label>
        Text source for the subathon timer (empty: none)
        <input
          name="obsTimerSource"
          value={settings.timerTextSource ?? ''}
          onChange={(event) => patch({ timerTextSource: event.target.value || null })}
        />
      </label>
      <h3>When a tip arrives</h3>
      {settings.rules.length === 0 ? <p className="muted">No rules yet.</p> : null}
      {settings.rules.map((rule, index) => (
        <RuleEditor
          key={rule.id}
          rule={rule}
          index={index}
          errorField={error?.field}
          onChange={(next) =>
            patch({ rules: settings.rules.map((item, at) => (at === index ? next : item)) })
          }
          onRemove={() => patch({ rules: settings.rules.filter((_item, at) => at !== index) })}
        />
      ))}
      <div className="form-actions">
        <button
          type="button"
          onClick={() =>
            patch({
              rules: [
                ...settings.rules,
                {
                  id: `rule-${Date.now().toString(36)}`,
                  tierId: null,
                  minAmount: null,
                  maxAmount: null,
                  action: defaultAction('switchScene'),
                },
              ],
            })
          }
        >
          Add a rule
        </button>
      </div>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error.message} <span className="muted small">({error.code})</span>
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

/** OBS control settings: connection, password (a secret), hold option, tip rules. */
export function ObsSettings() {
  const obs = useResource(() => call('GET /obs'), [])
  const { resource } = obs
  if (resource.state === 'loading') return <Loading what="the OBS settings" />
  if (resource.state === 'error')
    return <ErrorNote error={resource.error} what="the OBS settings" onRetry={obs.reload} />
  return <ObsForm view={resource.data} onSaved={obs.replace} />
}
