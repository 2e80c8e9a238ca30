import { core, wallet } from '../api/endpoints.js'
import { useResource } from '../lib/useResource.js'
import { CopyField, ErrorNote, Loading } from './ui.js'

/**
 * The tip page's address with copy and open, on the dashboard and the Integrations page. With the
 * sandbox as the wallet, "Try a sandbox tip" opens the same page: its hint names the sandbox viewer
 * wallets, so a whole tip (consent popup, alert, dashboard) can be rehearsed with play money.
 */
export function TipPageLink({ id }: { id: string }) {
  const status = useResource(() => core.status(), [])
  const walletStatus = useResource(() => wallet.status(), [])
  if (status.resource.state === 'loading') return <Loading what="the tip page link" />
  if (status.resource.state === 'error')
    return (
      <ErrorNote error={status.resource.error} what="the tip page link" onRetry={status.reload} />
    )
  const tipUrl = `${status.resource.data.publicUrl}/tip`
  const sandbox = walletStatus.resource.data?.source === 'sandbox'
  const configured = walletStatus.resource.data?.configured === true
  return (
    <div className="tip-page-link" data-testid="tip-page-link">
      <CopyField id={id} label="Tip page link (share it, or add it to Owncast)" value={tipUrl} />
      <div className="actions">
        <a className="button" href={tipUrl} target="_blank" rel="noopener noreferrer">
          Open the tip page
        </a>
        {sandbox ? (
          <a
            className="button primary"
            href={tipUrl}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="try-sandbox-tip"
          >
            Try a sandbox tip
          </a>
        ) : null}
      </div>
      {sandbox ? (
        <p className="muted small">
          The sandbox wallet is your wallet now: pay with one of the sandbox viewer wallets the tip
          page names, approve in the popup, and watch the alert and these figures move.
        </p>
      ) : !configured && walletStatus.resource.state === 'ready' ? (
        <p className="muted small">
          No wallet yet: tips cannot be paid. Set up your wallet, or choose the sandbox to rehearse,
          on the <a href="#/setup">Setup</a> page.
        </p>
      ) : null}
    </div>
  )
}
