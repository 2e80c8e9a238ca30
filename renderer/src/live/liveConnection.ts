import type { DomainEventName, DomainEvents } from '../../../server/contracts/events.js'
import { onSignedOut } from '../api/client.js'

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'signed-out'

type Handler = (payload: unknown) => void

/**
 * The dashboard's one SSE connection to `/api/events` (domain events as named SSE events). EventSource
 * retries by itself after a network error; an HTTP error (401 once the session is gone) closes it,
 * and then `/api/session` tells "signed out" from "server restarting".
 */
export class LiveConnection {
  private source: EventSource | null = null
  private status: ConnectionStatus = 'connecting'
  private wasLive = false
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private readonly statusListeners = new Set<() => void>()
  private readonly handlers = new Map<string, Set<Handler>>()
  private readonly attached = new Set<string>()

  constructor(private readonly url = '/api/events') {
    onSignedOut(() => this.signOut())
  }

  start(): void {
    if (this.source || this.status === 'signed-out') return
    this.open()
  }

  getStatus = (): ConnectionStatus => this.status

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** Listens to one domain event; `'reconnected'` fires after the stream came back (refetch then). */
  on<K extends DomainEventName>(
    name: K | 'reconnected',
    handler: (payload: DomainEvents[K]) => void,
  ) {
    let set = this.handlers.get(name)
    if (!set) {
      set = new Set()
      this.handlers.set(name, set)
    }
    set.add(handler as Handler)
    this.attach(name)
    return () => set.delete(handler as Handler)
  }

  /** After signing in again in this tab (a new token link opened in it, or a retry). */
  retry(): void {
    this.status = 'connecting'
    this.notify()
    this.close()
    this.open()
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return
    this.status = status
    this.notify()
  }

  private notify(): void {
    for (const listener of this.statusListeners) listener()
  }

  private emit(name: string, payload: unknown): void {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        handler(payload)
      } catch (error) {
        console.error(`live event handler for ${name} failed`, error)
      }
    }
  }

  private attach(name: string): void {
    if (!this.source || this.attached.has(name) || name === 'reconnected') return
    this.attached.add(name)
    this.source.addEventListener(name, (event) => {
      let payload: unknown = null
      try {
        payload = JSON.parse((event as MessageEvent<string>).data)
      } catch {
        return
      }
      this.emit(name, payload)
    })
  }

  private open(): void {
    clearTimeout(this.retryTimer)
    const source = new EventSource(this.url, { withCredentials: true })
    this.source = source
    this.attached.clear()
    for (const name of this.handlers.keys()) this.attach(name)
    source.onopen = () => {
      const again = this.wasLive
      this.wasLive = true
      this.setStatus('live')
      if (again) this.emit('reconnected', null)
    }
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        this.setStatus(this.wasLive ? 'reconnecting' : 'connecting')
        return
      }
      // Closed: the server answered with an error status. Find out whether the session is gone.
      this.close()
      void this.checkSession()
    }
  }

  private async checkSession(): Promise<void> {
    try {
      const response = await fetch('/api/session', { credentials: 'same-origin' })
      if (response.status === 401) {
        this.signOut()
        return
      }
    } catch {
      // The server is down or restarting: keep trying.
    }
    this.setStatus(this.wasLive ? 'reconnecting' : 'connecting')
    this.retryTimer = setTimeout(() => this.open(), 3000)
  }

  private signOut(): void {
    this.close()
    clearTimeout(this.retryTimer)
    this.setStatus('signed-out')
  }

  private close(): void {
    this.source?.close()
    this.source = null
  }
}

export const live = new LiveConnection()
