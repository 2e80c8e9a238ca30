/**
 * Clean shutdown on quit: Electron's `before-quit` is synchronous, the server's close is not. The first
 * quit is held back (preventDefault) until in-flight requests finish and the database is closed, then
 * the app quits for real; further quit requests meanwhile are absorbed. Pure, tested under Node.
 */
export interface QuitGuardDeps {
  /** Stops the server: listeners drained, database closed. */
  close(): Promise<void>
  /** Quits the app again (app.quit); the guard then lets it through. */
  quit(): void
  /** Reports a failed close; the app still quits. */
  onError(error: unknown): void
  /** Runs once when the shutdown starts (destroy the tray, stop notifications). */
  onStart?(): void
}

export interface QuitGuard {
  /** The `before-quit` handler. */
  onBeforeQuit(event: { preventDefault(): void }): void
  /** True once the server is closed and the app may exit. */
  readonly done: boolean
}

export function createQuitGuard(deps: QuitGuardDeps): QuitGuard {
  let state: 'running' | 'closing' | 'done' = 'running'
  return {
    onBeforeQuit(event) {
      if (state === 'done') return
      event.preventDefault()
      if (state === 'closing') return
      state = 'closing'
      deps.onStart?.()
      void deps
        .close()
        .catch((error: unknown) => deps.onError(error))
        .finally(() => {
          state = 'done'
          deps.quit()
        })
    },
    get done() {
      return state === 'done'
    },
  }
}
