import type { ConnectionStatus } from '../live/liveConnection.js'

const LABELS: Record<ConnectionStatus, { text: string; hint: string }> = {
  connecting: { text: 'Connecting…', hint: 'Opening the live connection to WM Companion.' },
  live: { text: 'Live', hint: 'Connected: new tips and events appear as they happen.' },
  reconnecting: {
    text: 'Reconnecting…',
    hint: 'The live connection dropped (is WM Companion still running?). Retrying by itself.',
  },
  'signed-out': { text: 'Signed out', hint: 'Open the sign-in link printed at start-up.' },
}

export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const label = LABELS[status]
  return (
    <span
      className={`connection connection-${status}`}
      role="status"
      aria-live="polite"
      title={label.hint}
      data-testid="connection"
      data-status={status}
    >
      <span className="dot" aria-hidden="true" />
      {label.text}
    </span>
  )
}
