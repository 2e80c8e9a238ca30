import { useEffect, useState } from 'react'
import type { TimerConfig, TimerView } from '../../../server/contracts/timer.js'
import { ApiError, call } from '../api/client.js'
import { useLiveEvents } from '../live/hooks.js'
import { useResource } from '../lib/useResource.js'
import { Card, ResourceView } from './ui.js'

const STATUS_WORDS: Record<TimerView['status'], string> = {
  idle: 'Not started',
  running: 'Running',
  paused: 'Paused',
  ended: 'Time is up',
}

function toSeconds(text: string): number | null {
  // "90", "1:30" or "1:00:00".
  const parts = text.trim().split(':')
  if (parts.length > 3 || parts.some((part) => !/^\d+$/.test(part))) return null
  return parts.reduce((total, part) => total * 60 + Number(part), 0)
}

/** Counts down on screen between updates, like the overlay. */
function useCountdown(view: TimerView | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (view?.status !== 'running') return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [view?.status])
  if (!view) return 0
  if (view.status === 'running' && view.endsAt) return Math.max(0, Date.parse(view.endsAt) - now)
  return view.remainingMs
}

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const two = (n: number) => String(n).padStart(2, '0')
  const hours = Math.floor(total / 3600)
  const rest = `${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`
  return hours > 0 ? `${hours}:${rest}` : rest
}

function RatesForm({ config, onSaved }: { config: TimerConfig; onSaved(view: TimerView): void }) {
  const [draft, setDraft] = useState({
    tip: String(config.tipSecondsPerUnit),
    wm: String(config.webMonetizationSecondsPerUnit),
    tiers: Object.entries(config.tierSecondsPerUnit)
      .map(([tier, seconds]) => `${tier}=${seconds}`)
      .join(', '),
    maxRemaining:
      config.maxRemainingSeconds === null ? '' : format(config.maxRemainingSeconds * 1000),
    maxAdded: config.maxAddedSeconds === null ? '' : format(config.maxAddedSeconds * 1000),
  })
  const [error, setError] = useState<{ field: string; text: string } | null>(null)
  const [saved, setSaved] = useState('')
  const save = async () => {
    setError(null)
    setSaved('')
    const whole = (value: string, field: string) => {
      if (!/^\d+$/.test(value.trim())) throw { field, text: 'Seconds are a whole number.' }
      return Number(value.trim())
    }
    const cap = (value: string, field: string) => {
      if (value.trim() === '') return null
      const seconds = toSeconds(value)
      if (seconds === null) throw { field, text: 'Write a time as 90, 1:30 or 2:00:00.' }
      return seconds
    }
    try {
      const tierSecondsPerUnit: Record<string, number> = {}
      for (const pair of draft.tiers
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const [tier, seconds] = pair.split('=').map((item) => item.trim())
        if (!tier || seconds === undefined || !/^\d+$/.test(seconds))
          throw { field: 'tiers', text: 'Write tier overrides as coffee=120, pizza=300.' }
        tierSecondsPerUnit[tier] = Number(seconds)
      }
      const next: TimerConfig = {
        tipSecondsPerUnit: whole(draft.tip, 'tip'),
        webMonetizationSecondsPerUnit: whole(draft.wm, 'wm'),
        tierSecondsPerUnit,
        maxRemainingSeconds: cap(draft.maxRemaining, 'maxRemaining'),
        maxAddedSeconds: cap(draft.maxAdded, 'maxAdded'),
      }
      onSaved(await call('PUT /timer/config', { body: next }))
      setSaved('Saved.')
    } catch (failure) {
      if (failure instanceof ApiError)
        setError({ field: failure.field ?? '', text: failure.message })
      else setError(failure as { field: string; text: string })
    }
  }
  const input = (key: keyof typeof draft, label: string, placeholder?: string) => (
    <label>
      {label}
      <input
        name={`timer-${key}`}
        value={draft[key]}
        placeholder={placeholder}
        aria-invalid={error?.field === key || undefined}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
      />
    </label>
  )
  return (
    <details>
      <summary>Time bought per tip and per Web Monetization</summary>
      <div className="form-grid">
        {input('tip', 'Seconds per 1 unit of currency tipped')}
        {input('tiers', 'Per tier (tier id = seconds per unit)', 'coffee=120, pizza=300')}
        {input('wm', 'Seconds per 1 unit streamed with Web Monetization')}
        {input('maxRemaining', 'Never more than this left (empty: no cap)', '4:00:00')}
        {input('maxAdded', 'Support adds at most (empty: no cap)', '12:00:00')}
        {error ? (
          <p className="notice notice-error" role="alert">
            {error.text}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" onClick={() => void save()}>
            Save rates
          </button>{' '}
          <span role="status" className="outcome ok">
            {saved}
          </span>
        </div>
      </div>
    </details>
  )
}

function Controls({ view, onChange }: { view: TimerView; onChange(view: TimerView): void }) {
  const remaining = useCountdown(view)
  const [duration, setDuration] = useState('1:00:00')
  const [change, setChange] = useState('5:00')
  const [error, setError] = useState<ApiError | null>(null)
  const act = async (run: () => Promise<TimerView>) => {
    setError(null)
    try {
      onChange(await run())
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    }
  }
  const seconds = (text: string) => {
    const value = toSeconds(text)
    if (value === null || value === 0)
      throw new ApiError(400, 'invalid_time', 'Write a time as 90, 1:30 or 2:00:00.', 'time')
    return value
  }
  const active = view.status === 'running' || view.status === 'paused'
  return (
    <div className="timer-control">
      <p className="big-figure" data-testid="timer-remaining">
        {view.status === 'idle' ? '—' : format(remaining)}
      </p>
      <p className={view.status === 'ended' ? 'outcome bad' : 'muted'} role="status">
        {STATUS_WORDS[view.status]}
        {view.addedMs > 0 ? ` · supporters added ${format(view.addedMs)}` : ''}
      </p>
      <div className="form-grid">
        {!active ? (
          <label>
            Start with (h:mm:ss)
            <span className="copy-row">
              <input
                name="timer-duration"
                value={duration}
                aria-invalid={error?.field === 'time' || undefined}
                onChange={(event) => setDuration(event.target.value)}
              />
              <button
                type="button"
                onClick={() =>
                  void act(() =>
                    call('POST /timer/start', { body: { durationSeconds: seconds(duration) } }),
                  )
                }
              >
                Start timer
              </button>
            </span>
          </label>
        ) : (
          <>
            <div className="form-actions">
              {view.status === 'running' ? (
                <button type="button" onClick={() => void act(() => call('POST /timer/pause'))}>
                  Pause timer
                </button>
              ) : (
                <button type="button" onClick={() => void act(() => call('POST /timer/resume'))}>
                  Resume timer
                </button>
              )}{' '}
              <button type="button" onClick={() => void act(() => call('POST /timer/stop'))}>
                Stop and reset
              </button>
            </div>
            <label>
              Add or remove time (m:ss)
              <span className="copy-row">
                <input
                  name="timer-change"
                  value={change}
                  aria-invalid={error?.field === 'time' || undefined}
                  onChange={(event) => setChange(event.target.value)}
                />
                <button
                  type="button"
                  onClick={() =>
                    void act(() =>
                      call('POST /timer/adjust', { body: { seconds: seconds(change) } }),
                    )
                  }
                >
                  Add
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void act(() =>
                      call('POST /timer/adjust', { body: { seconds: -seconds(change) } }),
                    )
                  }
                >
                  Remove
                </button>
              </span>
            </label>
          </>
        )}
        {view.status === 'ended' ? (
          <button type="button" onClick={() => void act(() => call('POST /timer/stop'))}>
            Reset
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error.message} <span className="muted small">({error.code})</span>
        </p>
      ) : null}
      <RatesForm config={view.config} onSaved={onChange} />
    </div>
  )
}

/** The subathon timer's controls (Overlays page): start, pause, add or remove time, rates and caps. */
export function TimerControl() {
  const timer = useResource(() => call('GET /timer'), [])
  useLiveEvents(['timer.updated', 'reconnected'], (name, payload) => {
    if (name === 'timer.updated' && payload) timer.replace(payload)
    else timer.reload()
  })
  return (
    <Card title="Subathon timer: controls">
      <ResourceView resource={timer.resource} what="the timer" onRetry={timer.reload}>
        {(view) => <Controls view={view} onChange={timer.replace} />}
      </ResourceView>
    </Card>
  )
}
