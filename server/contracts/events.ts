import type { SupportEventView } from './common.js'
import type { AlertView } from './alerts.js'
import type { OverlayConnections } from './overlays.js'
import type { GoalView, LeaderboardView, LevelUpEvent } from './gamification.js'
import type { TipTierSet } from './tiers.js'
import type { ObsStatus } from './obs.js'
import type { TimerView } from './timer.js'

/**
 * Domain events carried by the in-process bus (DESIGN §2) to SSE clients, the chat bot and the tray.
 * Feature issues add their events here; every payload is plain JSON so it can cross SSE and IPC.
 */
export type { SupportEventView, SupportKind } from './common.js'

/** What a completed tip adds to its support event: the flow and the tier the viewer picked. */
export interface TipDetails {
  flowId: string
  tierName: string | null
  perk: string | null
  /** The Owncast chat user the tip page was opened for (External Action), when known. */
  chatUserId?: string | null
}

/** A support event as announced once it is recorded: a tip carries its details, other kinds null. */
export type RecordedSupport = SupportEventView & { tip: TipDetails | null }

export interface DomainEvents {
  /**
   * Verified support (a tip confirmed on the streamer's wallet, Web Monetization, ...) was recorded,
   * once per fact: every consumer (alerts, chat, tray, goals, leaderboards, dashboard) listens here.
   */
  'support.recorded': RecordedSupport
  /** A test alert from the dashboard or the tray: never counted in analytics. */
  'alert.test': SupportEventView
  /** Alerts paused or resumed (dashboard, tray). */
  'alerts.paused': { paused: boolean }
  'stream.started': { streamId: string; platform: string; title: string | null; startedAt: string }
  'stream.stopped': { streamId: string; platform: string; stoppedAt: string }
  /** An alert was queued, held, shown, skipped, ... (overlays issue): the dashboard's queue view. */
  'alert.updated': AlertView
  /** OBS overlay pages connected or went away (overlays issue). */
  'overlays.connections': OverlayConnections
  /** A supporter's cumulative verified support reached a new gifter-path level (gamification). */
  'supporter.levelUp': LevelUpEvent
  /** A goal's progress changed (gamification). */
  'goal.progress': GoalView
  /** A goal reached its target, announced once (gamification). */
  'goal.reached': GoalView
  /** Top supporters changed: current stream and all time, by total (gamification). */
  'leaderboard.updated': { boards: LeaderboardView[] }
  /** The streamer changed the tip tiers (gamification): tip page and tiers overlay refresh. */
  'tiers.updated': TipTierSet
  /** The OBS connection changed: connected, lost, streaming, scene (dashboard status). */
  'obs.status': ObsStatus
  /** The subathon timer started, paused, gained or lost time, ended (not every second). */
  'timer.updated': TimerView
}

export type DomainEventName = keyof DomainEvents
