import { useState, type FormEvent } from 'react'
import type { OwncastSettingsView } from '../../../server/contracts/integrations.js'
import type {
  OwncastConnectionReport,
  TestEventReport,
} from '../../../server/contracts/integrations.js'
import { integrations } from '../api/endpoints.js'
import { explainError, type PlainError } from '../lib/plainErrors.js'
import { errorOutcome, OutcomeMessage, type OutcomeValue } from './Outcome.js'
import { ActionButton } from './ui.js'

/** Connected is a success; Owncast answering with a token problem is a warning; no answer is an error. */
export function connectionOutcome(report: OwncastConnectionReport): OutcomeValue {
  if (report.ok) return { tone: 'success', text: report.message }
  return { tone: report.reachable ? 'warning' : 'error', text: report.message }
}

/** Stored through the public URL is a success; stored over loopback only is a warning. */
export function testEventOutcome(report: TestEventReport): OutcomeValue {
  const detail = report.httpStatus ? `HTTP ${report.httpStatus} · ${report.url}` : report.url
  if (!report.arrived) return { tone: 'error', text: report.message, detail }
  return {
    tone: report.reach === 'public-url' ? 'success' : 'warning',
    text: report.message,
    detail,
  }
}

/** Owncast server address and access token, with a connection test (wizard and Integrations page). */
export function OwncastForm({
  settings,
  onSaved,
}: {
  settings: OwncastSettingsView
  onSaved(view: OwncastSettingsView): void
}) {
  const [baseUrl, setBaseUrl] = useState(settings.baseUrl)
  const [token, setToken] = useState('')
  const [error, setError] = useState<PlainError | null>(null)
  const [saved, setSaved] = useState('')

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setSaved('')
    try {
      let view = settings
      if (baseUrl.trim() !== settings.baseUrl)
        view = await integrations.updateOwncast({ baseUrl: baseUrl.trim() })
      if (token.trim()) view = await integrations.setOwncastAccessToken(token.trim())
      setToken('')
      setSaved('Saved.')
      onSaved(view)
    } catch (failure) {
      setError(explainError(failure))
    }
  }

  return (
    <form
      className="form-grid"
      aria-label="Owncast connection"
      onSubmit={(event) => void save(event)}
    >
      <label>
        Owncast server address
        <input
          name="owncastBaseUrl"
          placeholder="https://owncast.example"
          value={baseUrl}
          aria-invalid={error?.field === 'baseUrl' || undefined}
          onChange={(event) => setBaseUrl(event.target.value)}
        />
      </label>
      <label>
        Access token{' '}
        {settings.accessTokenConfigured ? '(saved; paste a new one to replace it)' : ''}
        <input
          name="owncastToken"
          type="password"
          autoComplete="off"
          value={token}
          aria-invalid={error?.field === 'value' || undefined}
          onChange={(event) => setToken(event.target.value)}
        />
      </label>
      {error ? <OutcomeMessage outcome={errorOutcome(error)} /> : null}
      <div className="form-actions">
        <button type="submit">Save</button>{' '}
        {saved ? <OutcomeMessage inline outcome={{ tone: 'success', text: saved }} /> : null}{' '}
        <ActionButton
          label="Test the connection"
          run={async () => connectionOutcome(await integrations.testOwncast())}
        />{' '}
        <ActionButton
          label="Send a test webhook"
          run={async () => testEventOutcome(await integrations.testOwncastEvent())}
        />
      </div>
    </form>
  )
}
