import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client.js'

export type Resource<T> =
  | { state: 'loading'; data: undefined; error: undefined }
  | { state: 'ready'; data: T; error: undefined }
  | { state: 'error'; data: T | undefined; error: ApiError }

export interface ResourceHandle<T> {
  resource: Resource<T>
  /** Loads again, keeping the current data on screen until the answer arrives. */
  reload(): void
  /**
   * Shows data the server just answered a change with (a save's response): on screen at once, so an
   * edit the user starts next is never overwritten by a reload arriving later.
   */
  replace(data: T): void
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error))
}

/** Loads `load()` now and whenever `deps` change; answers that arrive late for old deps are dropped. */
export function useResource<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): ResourceHandle<T> {
  const [resource, setResource] = useState<Resource<T>>({
    state: 'loading',
    data: undefined,
    error: undefined,
  })
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  useEffect(() => {
    loadRef.current = load
  })
  const depsKey = JSON.stringify(deps)
  useEffect(() => {
    let current = true
    loadRef.current().then(
      (data) => {
        if (current) setResource({ state: 'ready', data, error: undefined })
      },
      (error: unknown) => {
        if (current)
          setResource((previous) => ({
            state: 'error',
            data: previous.data,
            error: toApiError(error),
          }))
      },
    )
    return () => {
      current = false
    }
  }, [depsKey, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  const replace = useCallback(
    (data: T) => setResource({ state: 'ready', data, error: undefined }),
    [],
  )
  return { resource, reload, replace }
}
