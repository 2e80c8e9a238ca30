import { useState, type FormEvent } from 'react'
import type { OwncastSettingsView } from '../../../server/contracts/integrations.js'
import { ApiError } from '../api/client.js'
import { integrations } from '../api/endpoints.js'
import { ActionButton } from './ui.js'

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
  const [error, setError] = useState<ApiError | null>(null)
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
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
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
          aria-invalid={error?.field === 'body.baseUrl' || undefined}
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
          aria-invalid={error?.field === 'body.value' || undefined}
          onChange={(event) => setToken(event.target.value)}
        />
      </label>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit">Save</button>{' '}
        <span role="status" className="outcome ok">
          {saved}
        </span>{' '}
        <ActionButton
          label="Test the connection"
          run={async () => (await integrations.testOwncast()).message}
        />{' '}
        <ActionButton
          label="Send a test webhook"
          run={async () => (await integrations.testOwncastEvent()).message}
        />
      </div>
    </form>
  )
}
