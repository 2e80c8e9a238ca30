import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { DomainEventName, DomainEvents } from '../../../server/contracts/events.js'
import { live, type ConnectionStatus } from './liveConnection.js'

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(live.subscribeStatus, live.getStatus)
}

/** Runs `handler` on each of the named live events (and after a reconnect, when asked). */
export function useLiveEvents<K extends DomainEventName>(
  names: readonly (K | 'reconnected')[],
  handler: (name: K | 'reconnected', payload: DomainEvents[K] | null) => void,
): void {
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  const key = names.join(',')
  useEffect(() => {
    const offs = key
      .split(',')
      .map((name) =>
        live.on(name as K, (payload) => latest.current(name as K, payload as DomainEvents[K])),
      )
    return () => offs.forEach((off) => off())
  }, [key])
}
