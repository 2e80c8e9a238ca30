import { live } from '../live/liveConnection.js'

export function SignedOut() {
  return (
    <section className="signed-out card" aria-labelledby="signed-out-title">
      <h1 id="signed-out-title">You are signed out</h1>
      <p>
        This dashboard only opens for the person running WM Companion. To sign in,{' '}
        <strong>open the link printed at start-up</strong>: the <code>Dashboard:</code> line in the
        terminal where WM Companion runs (headless mode), or use the desktop app&apos;s window.
      </p>
      <p className="muted">
        Each link works once. If it was already used, restart WM Companion to get a new one.
      </p>
      <button type="button" onClick={() => live.retry()}>
        I signed in: try again
      </button>
    </section>
  )
}
