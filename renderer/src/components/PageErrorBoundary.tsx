import { Component, type ReactNode } from 'react'

interface Props {
  /** The page's name as the streamer sees it in the menu ("Events"). */
  page: string
  children: ReactNode
}

interface State {
  error: Error | null
}

/**
 * One page that throws while drawing must not blank the whole dashboard: the menu and the other pages
 * stay usable, and this page says what failed and offers a reload. The shell keys it by route, so
 * leaving the page clears the failure.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <section className="card page-failed" role="alert" data-testid="page-failed">
        <h1>The {this.props.page} page stopped working</h1>
        <p>
          Something on this page could not be shown, so it stopped instead of showing wrong figures.
          Your data is safe and the other pages still work. Reloading usually fixes it; if it comes
          back, note the detail below when you report it.
        </p>
        <p className="error-detail muted small">Detail: {error.message || error.name}</p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again without reloading
          </button>
        </div>
      </section>
    )
  }
}
