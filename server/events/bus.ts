import type { DomainEventName, DomainEvents } from '../contracts/events.js'

export type Listener<K extends DomainEventName> = (payload: DomainEvents[K]) => void
export type AnyListener = <K extends DomainEventName>(name: K, payload: DomainEvents[K]) => void

export interface EventBus {
  on<K extends DomainEventName>(name: K, listener: Listener<K>): () => void
  onAny(listener: AnyListener): () => void
  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void
}

export interface EventBusDeps {
  /** Where a throwing listener is reported; one broken subscriber never stops the others. */
  onListenerError?: (name: DomainEventName, error: unknown) => void
}

/** A small synchronous typed event bus. Listeners run in subscription order. */
export function createEventBus(deps: EventBusDeps = {}): EventBus {
  const listeners = new Map<DomainEventName, Set<(payload: never) => void>>()
  const anyListeners = new Set<AnyListener>()

  function report(name: DomainEventName, error: unknown): void {
    if (deps.onListenerError) deps.onListenerError(name, error)
  }

  return {
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) {
        set = new Set()
        listeners.set(name, set)
      }
      const entry = listener as (payload: never) => void
      set.add(entry)
      return () => set.delete(entry)
    },
    onAny(listener) {
      anyListeners.add(listener)
      return () => anyListeners.delete(listener)
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          ;(listener as Listener<typeof name>)(payload)
        } catch (error) {
          report(name, error)
        }
      }
      for (const listener of anyListeners) {
        try {
          listener(name, payload)
        } catch (error) {
          report(name, error)
        }
      }
    },
  }
}
