/**
 * The sandbox wallet's consent page: what a viewer sees at `interact.redirect` (DESIGN §5 step 4).
 * Plain HTML, no script; names come from other parties (client wallet, receiver) and are escaped.
 */
import { escapeHtml } from '../http/html.js'

export interface ConsentView {
  clientName: string
  clientAddress: string
  /** "1.01 EUR"; null when the grant sets no amount limit. */
  amount: string | null
  receiverName: string | null
  receiverAddress: string | null
  viewerName: string
  viewerAddress: string
  balance: string
  /** Path the Approve/Reject form posts to. */
  action: string
  /** Epoch ms when the request expires, and the moment the page is drawn. */
  expiresAt: number
  now: number
  /** What is asked: a payment (default), or reading every incoming payment of the wallet. */
  purpose?: 'payment' | 'list-incoming'
}

/**
 * "in 10 minutes (at 14:32 UTC)": the page has no script, so it cannot use the viewer's time zone;
 * the minutes left are what a viewer needs, and the UTC clock time pins it down.
 */
export function readableExpiry(expiresAt: number, now: number): string {
  const minutes = Math.max(0, Math.round((expiresAt - now) / 60_000))
  const at = new Date(expiresAt).toISOString().slice(11, 16)
  const left =
    minutes === 0 ? 'in less than a minute' : `in ${minutes} minute${minutes === 1 ? '' : 's'}`
  return `${left} (at ${at} UTC)`
}

export const CONSENT_STYLESHEET_PATH = '/interact/consent.css'

export const CONSENT_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: flex; justify-content: center; padding: 24px 12px; }
main { max-width: 440px; width: 100%; border: 1px solid #8884; border-radius: 12px; padding: 20px; }
h1 { font-size: 1.25rem; margin: 0 0 4px; }
.sandbox { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; opacity: .7; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; }
dt { opacity: .7; }
dd { margin: 0; overflow-wrap: anywhere; }
.amount { font-size: 1.6rem; font-weight: 600; margin: 12px 0; }
.actions { display: flex; gap: 12px; margin-top: 16px; }
button { flex: 1; font-size: 1rem; padding: 10px; border-radius: 8px; border: 1px solid #8886; cursor: pointer; }
button.approve { background: #1a7f37; color: #fff; border-color: #1a7f37; }
small { display: block; margin-top: 12px; opacity: .7; }
dd small { margin-top: 2px; }
`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${CONSENT_STYLESHEET_PATH}">
</head>
<body>
<main>
<div class="sandbox">Sandbox wallet · play money</div>
${body}
</main>
</body>
</html>
`
}

export function renderConsentPage(view: ConsentView): string {
  const receiver = view.receiverAddress
    ? `<dt>To</dt><dd>${escapeHtml(view.receiverName ?? view.receiverAddress)}<br><small>${escapeHtml(view.receiverAddress)}</small></dd>`
    : ''
  if (view.purpose === 'list-incoming') {
    return page(
      `Let ${view.clientName} see your incoming payments`,
      `<h1>${escapeHtml(view.clientName)} asks to see every payment your wallet receives</h1>
<p>It can read them (Web Monetization included), not spend anything.</p>
<dl>
<dt>App</dt><dd data-testid="client">${escapeHtml(view.clientName)}<br><small>${escapeHtml(view.clientAddress)}</small></dd>
<dt>Wallet</dt><dd>${escapeHtml(view.viewerName)}<br><small>${escapeHtml(view.viewerAddress)}</small></dd>
</dl>
<form method="post" action="${escapeHtml(view.action)}">
<div class="actions">
<button type="submit" name="decision" value="reject">Reject</button>
<button type="submit" name="decision" value="approve" class="approve">Approve</button>
</div>
</form>
<small>This request expires <time datetime="${new Date(view.expiresAt).toISOString()}">${escapeHtml(readableExpiry(view.expiresAt, view.now))}</time>.</small>`,
    )
  }
  return page(
    `Approve a payment to ${view.receiverName ?? view.clientName}`,
    `<h1>${escapeHtml(view.clientName)} asks to send a payment from your wallet</h1>
<p class="amount" data-testid="amount">${view.amount ? escapeHtml(view.amount) : 'No amount limit'}</p>
<dl>
<dt>App</dt><dd data-testid="client">${escapeHtml(view.clientName)}<br><small>${escapeHtml(view.clientAddress)}</small></dd>
${receiver}
<dt>From</dt><dd>${escapeHtml(view.viewerName)}<br><small>${escapeHtml(view.viewerAddress)}</small></dd>
<dt>Balance</dt><dd>${escapeHtml(view.balance)}</dd>
</dl>
<form method="post" action="${escapeHtml(view.action)}">
<div class="actions">
<button type="submit" name="decision" value="reject">Reject</button>
<button type="submit" name="decision" value="approve" class="approve">Approve</button>
</div>
</form>
<small>This request expires <time datetime="${new Date(view.expiresAt).toISOString()}">${escapeHtml(readableExpiry(view.expiresAt, view.now))}</time>.</small>`,
  )
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`)
}

/**
 * No script at all; the form may post to this page and be redirected to the client's finish URI
 * (Chromium applies form-action to the redirect too), and the page refuses to be framed.
 */
export function consentCsp(finishOrigin: string | null): string {
  const formAction = finishOrigin ? `'self' ${finishOrigin}` : `'self'`
  return [
    "default-src 'none'",
    "style-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
}
