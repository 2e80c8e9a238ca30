import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { DesktopWindow } from '../../../server/contracts/desktop.js'
import type { ApiError } from '../api/client.js'
import { explainError } from '../lib/plainErrors.js'
import type { Resource } from '../lib/useResource.js'
import { errorOutcome, OutcomeMessage, type OutcomeValue } from './Outcome.js'

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // Moving focus to the new page's heading tells keyboard and screen reader users where they are.
    ref.current?.focus()
  }, [title])
  return (
    <header className="page-header">
      <h1 tabIndex={-1} ref={ref}>
        {title}
      </h1>
      {children ? <div className="page-header-actions">{children}</div> : null}
    </header>
  )
}

export function Card({
  title,
  children,
  className,
  headingLevel = 2,
  actions,
}: {
  title?: string
  children: ReactNode
  className?: string
  headingLevel?: 2 | 3
  actions?: ReactNode
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <section className={`card ${className ?? ''}`}>
      {title || actions ? (
        <div className="card-head">
          {title ? <Heading>{title}</Heading> : null}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-next">{children}</div> : null}
    </div>
  )
}

/** What went wrong, in the server's words, and what to do about it. */
export function ErrorNote({
  error,
  what,
  onRetry,
}: {
  error: ApiError
  what: string
  onRetry?: () => void
}) {
  if (error.unavailable) return <Unavailable what={what} />
  const plain = explainError(error)
  return (
    <OutcomeMessage
      outcome={{
        tone: 'error',
        text: `Could not load ${what}. ${plain.text}`,
        detail: plain.detail,
      }}
    >
      {onRetry ? (
        <span>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </span>
      ) : null}
    </OutcomeMessage>
  )
}

export function Unavailable({ what }: { what: string }) {
  return (
    <div className="notice" role="status">
      <p>
        <strong>
          {what[0]?.toUpperCase() + what.slice(1)} is not available in this version of WM Companion.
        </strong>{' '}
        Update the app to use it; everything else keeps working.
      </p>
    </div>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  )
}

/** Loading, error and unavailable states around a resource; children render the data. */
export function ResourceView<T>({
  resource,
  what,
  onRetry,
  children,
}: {
  resource: Resource<T>
  what: string
  onRetry?: () => void
  children: (data: T) => ReactNode
}) {
  if (resource.state === 'loading') return <Loading what={what} />
  if (resource.state === 'error' && resource.data === undefined)
    return <ErrorNote error={resource.error} what={what} onRetry={onRetry} />
  return (
    <>
      {resource.state === 'error' ? (
        <ErrorNote error={resource.error} what={what} onRetry={onRetry} />
      ) : null}
      {children(resource.data as T)}
    </>
  )
}

export async function copyText(text: string): Promise<void> {
  const bridge = (window as unknown as DesktopWindow).wmDesktop
  if (bridge) return bridge.copyText(text)
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text)
  throw new Error('Copying is not available here: select the text and copy it by hand.')
}

export function CopyField({
  label,
  value,
  id,
  multiline = false,
}: {
  label: string
  value: string
  id: string
  /** Multi-line text (a JSON template) keeps its line breaks in a textarea. */
  multiline?: boolean
}) {
  const [note, setNote] = useState('')
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea
            id={id}
            readOnly
            value={value}
            rows={Math.min(16, value.split('\n').length)}
            onFocus={(event) => event.currentTarget.select()}
          />
        ) : (
          <input id={id} readOnly value={value} onFocus={(event) => event.currentTarget.select()} />
        )}
        <button
          type="button"
          onClick={() => {
            copyText(value).then(
              () => setNote('Copied.'),
              (error: unknown) =>
                setNote(
                  error instanceof Error ? error.message : 'Copy failed: select and copy by hand.',
                ),
            )
          }}
        >
          Copy
        </button>
      </div>
      <span className="copy-note" role="status" aria-live="polite">
        {note}
      </span>
    </div>
  )
}

/**
 * A button that runs an async action and shows its outcome next to it. The action says how it went: a
 * string is a plain success; an outcome names its tone (a check that ran but found a problem is a
 * warning or an error, never green); a thrown error is explained in plain words.
 */
export function ActionButton({
  label,
  run,
  busyLabel,
  className,
}: {
  label: string
  busyLabel?: string
  className?: string
  run: () => Promise<string | OutcomeValue | void>
}) {
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<OutcomeValue | null>(null)
  return (
    <span className="action">
      <button
        type="button"
        className={className}
        disabled={busy}
        onClick={() => {
          setBusy(true)
          setOutcome(null)
          run()
            .then(
              (result) =>
                setOutcome(
                  typeof result === 'string' ? { tone: 'success', text: result } : (result ?? null),
                ),
              (error: unknown) => setOutcome(errorOutcome(explainError(error))),
            )
            .finally(() => setBusy(false))
        }}
      >
        {busy ? (busyLabel ?? `${label}…`) : label}
      </button>
      {outcome ? <OutcomeMessage outcome={outcome} inline /> : null}
    </span>
  )
}
