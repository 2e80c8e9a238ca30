import type { Amount } from './money.js'

/**
 * Domain events carried by the in-process bus (DESIGN §2) to SSE clients, the chat bot and the tray.
 * Feature issues add their events here; every payload is plain JSON so it can cross SSE and IPC.
 */
export type SupportKind = 'tip' | 'web-monetization' | 'redemption'

export interface SupportEventView {
  id: number
  kind: SupportKind
  amount: Amount
  supporterName: string | null
  message: string | null
  tierId: string | null
  streamId: string | null
  isTest: boolean
  occurredAt: string
}

export interface DomainEvents {
  /** A verified support event (tip, web monetization, ...) was recorded once. */
  'support.recorded': SupportEventView
  /** A tip was completed and confirmed on the streamer's side (tips issue). */
  'tip.completed': SupportEventView & {
    flowId: string
    tierName: string | null
    perk: string | null
  }
  /** A test alert from the dashboard or the tray: never counted in analytics. */
  'alert.test': SupportEventView
  /** Alerts paused or resumed (dashboard, tray). */
  'alerts.paused': { paused: boolean }
  'stream.started': { streamId: string; platform: string; title: string | null; startedAt: string }
  'stream.stopped': { streamId: string; platform: string; stoppedAt: string }
}

export type DomainEventName = keyof DomainEvents
