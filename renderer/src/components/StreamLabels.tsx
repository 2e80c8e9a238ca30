import { useState } from 'react'
import type { LabelsResponse, LabelView } from '../../../server/contracts/labels.js'
import { ApiError, call } from '../api/client.js'
import { useLiveEvents } from '../live/hooks.js'
import { useResource } from '../lib/useResource.js'
import { Card, CopyField, ResourceView } from './ui.js'

function LabelRow({ label, onSaved }: { label: LabelView; onSaved(list: LabelsResponse): void }) {
  const [format, setFormat] = useState(label.format)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState('')
  const save = async () => {
    setError(null)
    setSaved('')
    try {
      onSaved(await call('PATCH /labels/formats', { body: { [label.id]: format } }))
      setSaved('Saved.')
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    }
  }
  return (
    <div className="stream-label" data-label={label.id}>
      <h3>{label.title}</h3>
      <CopyField
        id={`label-path-${label.id}`}
        label="File (OBS Text source → Read from file)"
        value={label.path}
      />
      <label>
        Format ({label.placeholders.join(', ')})
        <span className="copy-row">
          <input
            value={format}
            aria-invalid={error ? true : undefined}
            onChange={(event) => setFormat(event.target.value)}
          />
          <button type="button" disabled={format === label.format} onClick={() => void save()}>
            Save
          </button>
        </span>
      </label>
      <p className="muted small">
        Now:{' '}
        <span className="label-text">
          {label.text === '' ? '(empty until there is something to show)' : label.text}
        </span>{' '}
        <span role="status" className="outcome ok">
          {saved}
        </span>
      </p>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error.message} <span className="muted small">({error.code})</span>
        </p>
      ) : null}
    </div>
  )
}

/** The stream label files with their paths and formats (Overlays page). */
export function StreamLabels() {
  const labels = useResource(() => call('GET /labels'), [])
  useLiveEvents(['support.recorded', 'goal.progress', 'timer.updated', 'reconnected'], () =>
    labels.reload(),
  )
  return (
    <Card title="Stream labels (text files)">
      <p>
        For an OBS <strong>Text</strong> source: check <em>Read from file</em> and pick the file. WM
        Companion rewrites each file whenever its figure changes.
      </p>
      <ResourceView resource={labels.resource} what="the stream labels" onRetry={labels.reload}>
        {(data) => (
          <div className="stream-labels">
            {data.labels.map((label) => (
              <LabelRow key={label.id} label={label} onSaved={labels.replace} />
            ))}
          </div>
        )}
      </ResourceView>
    </Card>
  )
}
