import { live } from '../live/liveConnection.js'

/** Set by the server when a sign-in link is opened a second time in a browser that is not signed in. */
function linkWasUsed(): boolean {
  return new URLSearchParams(window.location.search).get('signin') === 'used'
}

export function SignedOut() {
  const used = linkWasUsed()
  return (
    <section className="signed-out card" aria-labelledby="signed-out-title">
      <h1 id="signed-out-title">You are signed out</h1>
      {used ? (
        <p className="notice notice-warn" role="status" data-testid="link-used">
          That sign-in link was already used: each link works once, so it cannot sign in again.
        </p>
      ) : null}
      <p>
        This dashboard only opens for the person running WM Companion. To sign in,{' '}
        <strong>open the link printed at start-up</strong>: the <code>Dashboard:</code> line in the
        terminal where WM Companion runs (headless mode), or use the desktop app&apos;s window.
      </p>
      <h2>Getting a new link</h2>
      <ul>
        <li>
          Without restarting: in the WM Companion folder, run <code>npm run sign-in-link</code> and
          open the link it prints (on a server, pass the same data folder with{' '}
          <code>--data-dir</code> or <code>WM_DATA_DIR</code>).
        </li>
        <li>Or restart WM Companion: it prints a new link at start-up.</li>
        <li>In the desktop app, the window signs in by itself.</li>
      </ul>
      <button type="button" onClick={() => live.retry()}>
        I signed in: try again
      </button>
    </section>
  )
}
