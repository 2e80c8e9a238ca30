import type { IntegrationsOverview } from '../../../server/contracts/integrations.js'
import { integrations } from '../api/endpoints.js'
import { formatDateTime } from '../lib/format.js'
import { OutcomeMessage } from './Outcome.js'
import { ActionButton, Card } from './ui.js'

/**
 * The chat messages not sent yet, why (the last error of any of them, waiting or given up), and one
 * "Retry now" for all of them; also the last message sent otherwise than asked (a private thank-you
 * that went to public chat) and why.
 */
export function ChatOutboxCard({
  outbox,
  onChanged,
}: {
  outbox: IntegrationsOverview['outbox']
  onChanged: () => void
}) {
  const unsent = outbox.pending + outbox.failed
  const problem = outbox.lastProblem ?? outbox.lastFailure
  return (
    <Card title="Chat messages">
      <p data-testid="outbox-counts">
        {unsent === 0
          ? 'Every chat message was sent.'
          : `${outbox.pending} waiting to be sent, ${outbox.failed} given up.`}
      </p>
      {unsent > 0 && problem?.lastError ? (
        <OutcomeMessage
          outcome={{
            tone: outbox.failed > 0 ? 'error' : 'warning',
            text: `Last error: ${problem.lastError}`,
            detail: `${problem.purpose} · ${problem.attempts} attempt${problem.attempts === 1 ? '' : 's'} · queued ${formatDateTime(problem.createdAt)}`,
          }}
        />
      ) : null}
      {outbox.lastNote?.lastError ? (
        <div data-testid="chat-last-note">
          <OutcomeMessage
            outcome={{
              tone: 'warning',
              text: outbox.lastNote.lastError,
              detail: `${outbox.lastNote.purpose} · sent ${formatDateTime(outbox.lastNote.sentAt ?? outbox.lastNote.createdAt)}`,
            }}
          />
        </div>
      ) : null}
      {unsent > 0 ? (
        <ActionButton
          label="Retry now"
          busyLabel="Retrying…"
          run={async () => {
            const { requeued } = await integrations.retryOutbox()
            onChanged()
            return `Trying ${requeued} message${requeued === 1 ? '' : 's'} again now.`
          }}
        />
      ) : null}
    </Card>
  )
}
