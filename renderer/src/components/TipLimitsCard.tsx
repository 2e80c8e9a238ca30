import { useState, type FormEvent } from 'react'
import type { TipSettings } from '../../../server/contracts/tips.js'
import { tipSettings } from '../api/endpoints.js'
import { explainError, type PlainError } from '../lib/plainErrors.js'
import { useResource } from '../lib/useResource.js'
import { errorOutcome, OutcomeMessage } from './Outcome.js'
import { Card, ErrorNote, Loading } from './ui.js'

/**
 * The smallest and largest tip the tip API takes (stored as settings). Tiers are checked against
 * them when saved, so a tier a viewer could never pay cannot be offered.
 */
export function TipLimitsCard({ currency, onSaved }: { currency?: string; onSaved?: () => void }) {
  const stored = useResource(() => tipSettings.get(), [])
  const [draft, setDraft] = useState<Partial<TipSettings>>({})
  const [error, setError] = useState<PlainError | null>(null)
  const [saved, setSaved] = useState(false)
  if (stored.resource.state === 'loading')
    return (
      <Card title="Tip limits">
        <Loading what="the tip limits" />
      </Card>
    )
  if (stored.resource.state === 'error' && !stored.resource.data)
    return (
      <Card title="Tip limits">
        <ErrorNote error={stored.resource.error} what="the tip limits" onRetry={stored.reload} />
      </Card>
    )
  const value = { ...(stored.resource.data as TipSettings), ...draft }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    tipSettings.save(value).then(
      (next) => {
        stored.replace(next)
        setDraft({})
        setSaved(true)
        onSaved?.()
      },
      (failure: unknown) => setError(explainError(failure)),
    )
  }
  const invalid = (field: string) => error?.field === field || undefined
  return (
    <Card title="Tip limits">
      <form className="form-grid" aria-label="Tip limits" onSubmit={submit}>
        <p className="muted small">
          The smallest and the largest tip viewers can send{currency ? ` (${currency})` : ''}. Every
          tier must fall between them.
        </p>
        <label>
          Smallest tip
          <input
            name="minAmount"
            inputMode="decimal"
            value={value.minAmount}
            aria-invalid={invalid('minAmount')}
            onChange={(event) => setDraft({ ...draft, minAmount: event.target.value })}
          />
        </label>
        <label>
          Largest tip
          <input
            name="maxAmount"
            inputMode="decimal"
            value={value.maxAmount}
            aria-invalid={invalid('maxAmount')}
            onChange={(event) => setDraft({ ...draft, maxAmount: event.target.value })}
          />
        </label>
        {error ? <OutcomeMessage outcome={errorOutcome(error)} /> : null}
        <div className="form-actions">
          <button type="submit">Save tip limits</button>
          {saved ? <OutcomeMessage inline outcome={{ tone: 'success', text: 'Saved.' }} /> : null}
        </div>
      </form>
    </Card>
  )
}
