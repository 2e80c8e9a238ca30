/**
 * Updates that never interrupt a stream. electron-updater finds, downloads and installs releases; this
 * policy decides when: check on start and every few hours, download in the background, install when the
 * app quits or a while after the stream stopped, never while a stream is live, nothing at all when the
 * setting is off. The state machine is pure (nextUpdateState); createUpdateController runs its commands
 * against the few members of electron-updater's AppUpdater it needs and a timer. Tested under Node.
 */
import type { UpdateStatusView } from '../../server/contracts/desktop.js'

export const UPDATE_POLICY = {
  /** Between checks while the app runs. */
  checkIntervalMs: 4 * 60 * 60 * 1000,
  /**
   * After STREAM_STOPPED, before installing: a dropped connection often stops and restarts a stream
   * within a minute or two, and that stream must not find its alerts restarting.
   */
  installDelayMs: 5 * 60 * 1000,
} as const

export type UpdatePolicy = { checkIntervalMs: number; installDelayMs: number }

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'installing'

export interface UpdateState {
  /** The setting: updates on or off. */
  enabled: boolean
  /** A stream is live (stream.started seen, stream.stopped not yet). */
  live: boolean
  phase: UpdatePhase
  /** The version found or downloaded. */
  version: string | null
  /** The last check's or download's failure, kept until the next success. */
  error: string | null
  /** The stream stopped with an update ready: installing when the delay runs out. */
  installPending: boolean
}

export type UpdateEvent =
  | { type: 'app-started' }
  | { type: 'check-due' }
  | { type: 'update-available'; version: string }
  | { type: 'update-not-available' }
  | { type: 'update-downloaded'; version: string }
  | { type: 'updater-error'; message: string }
  | { type: 'stream-started' }
  | { type: 'stream-stopped' }
  | { type: 'install-due' }
  | { type: 'quit-requested' }
  /** The dashboard's "Restart now". */
  | { type: 'install-requested' }
  | { type: 'setting-changed'; enabled: boolean }

export type UpdateCommand =
  | { type: 'check' }
  | { type: 'download' }
  /** Quit, install, and start the app again. */
  | { type: 'install-now' }
  /** electron-updater's autoInstallOnAppQuit: install when the app quits for any reason. */
  | { type: 'install-on-quit'; value: boolean }
  | { type: 'schedule-check'; delayMs: number }
  | { type: 'schedule-install'; delayMs: number }
  | { type: 'cancel-install' }
  | { type: 'cancel-check' }

export function initialUpdateState(enabled: boolean, live = false): UpdateState {
  return { enabled, live, phase: 'idle', version: null, error: null, installPending: false }
}

interface Step {
  state: UpdateState
  commands: UpdateCommand[]
}

function canInstallNow(state: UpdateState): boolean {
  return state.enabled && state.phase === 'ready' && !state.live
}

/** Installing on quit is allowed only with an update ready, updates on and no stream live. */
function installOnQuit(state: UpdateState): UpdateCommand {
  return { type: 'install-on-quit', value: canInstallNow(state) }
}

export function nextUpdateState(
  state: UpdateState,
  event: UpdateEvent,
  policy: UpdatePolicy = UPDATE_POLICY,
): Step {
  const checkNow = (from: UpdateState): Step => ({
    state: { ...from, phase: 'checking' },
    commands: [{ type: 'check' }, { type: 'schedule-check', delayMs: policy.checkIntervalMs }],
  })
  switch (event.type) {
    case 'app-started':
      return state.enabled ? checkNow(state) : { state, commands: [] }
    case 'check-due':
      if (!state.enabled) return { state, commands: [] }
      // An update already found waits to be installed; the next check comes after that.
      if (state.phase !== 'idle')
        return {
          state,
          commands: [{ type: 'schedule-check', delayMs: policy.checkIntervalMs }],
        }
      return checkNow(state)
    case 'update-available':
      if (!state.enabled) return { state: { ...state, phase: 'idle' }, commands: [] }
      return {
        state: { ...state, phase: 'downloading', version: event.version, error: null },
        commands: [{ type: 'download' }],
      }
    case 'update-not-available':
      return { state: { ...state, phase: 'idle', error: null }, commands: [] }
    case 'update-downloaded': {
      const next: UpdateState = { ...state, phase: 'ready', version: event.version, error: null }
      return { state: next, commands: [installOnQuit(next)] }
    }
    case 'updater-error':
      // A failed install leaves the app running as it was; a failed check or download is retried.
      return {
        state: {
          ...state,
          phase: state.phase === 'ready' || state.phase === 'installing' ? 'ready' : 'idle',
          error: event.message,
        },
        commands: [],
      }
    case 'stream-started': {
      const next: UpdateState = { ...state, live: true, installPending: false }
      return {
        state: next,
        commands: [
          ...(state.installPending ? [{ type: 'cancel-install' } as const] : []),
          installOnQuit(next),
        ],
      }
    }
    case 'stream-stopped': {
      const next: UpdateState = { ...state, live: false }
      if (!next.enabled || next.phase !== 'ready') return { state: next, commands: [] }
      return {
        state: { ...next, installPending: true },
        commands: [
          installOnQuit(next),
          { type: 'schedule-install', delayMs: policy.installDelayMs },
        ],
      }
    }
    case 'install-due':
      if (!state.installPending || !state.enabled || state.live || state.phase !== 'ready')
        return { state: { ...state, installPending: false }, commands: [] }
      return {
        state: { ...state, phase: 'installing', installPending: false },
        commands: [{ type: 'install-now' }],
      }
    case 'quit-requested':
      return { state, commands: [installOnQuit(state)] }
    case 'install-requested':
      // The streamer asked, but a live stream still wins: the button is not offered then, and a
      // request that races a stream start is refused the same way.
      if (!canInstallNow(state)) return { state, commands: [] }
      return {
        state: { ...state, phase: 'installing', installPending: false },
        commands: [{ type: 'cancel-install' }, { type: 'install-now' }],
      }
    case 'setting-changed': {
      if (!event.enabled) {
        const next: UpdateState = { ...state, enabled: false, installPending: false }
        return {
          state: next,
          commands: [{ type: 'cancel-check' }, { type: 'cancel-install' }, installOnQuit(next)],
        }
      }
      if (state.enabled) return { state, commands: [] }
      const next: UpdateState = { ...state, enabled: true }
      if (next.phase === 'ready') return { state: next, commands: [installOnQuit(next)] }
      return checkNow({ ...next, phase: 'idle' })
    }
  }
}

export type { UpdateStatusView }

/**
 * Whether a release channel is configured: electron-builder writes `app-update.yml` into the packaged
 * app's resources from its `publish` settings, which ship without an owner (or URL), so nothing is
 * contacted until a maintainer sets one. Without a complete channel the updater is never started.
 */
export function releaseChannelConfigured(appUpdateYml: string | null): boolean {
  if (!appUpdateYml) return false
  const field = (name: string) =>
    new RegExp(`^${name}:\\s*['"]?([^'"\\s#]+)`, 'm').exec(appUpdateYml)?.[1] ?? null
  const provider = field('provider')
  if (provider === 'github') return field('owner') !== null && field('repo') !== null
  if (provider === 'generic') return field('url') !== null
  return provider !== null
}

export const NO_CHANNEL_STATUS: UpdateStatusView = {
  status: 'off',
  version: null,
  message: 'Updates are not set up for this build (no release channel).',
  error: null,
  canInstallNow: false,
}

export function updateStatusView(state: UpdateState): UpdateStatusView {
  const base = { version: state.version, error: state.error, canInstallNow: canInstallNow(state) }
  if (!state.enabled)
    return { ...base, status: 'off', message: 'Automatic updates are off.', error: null }
  switch (state.phase) {
    case 'idle':
      return { ...base, status: 'up-to-date', message: 'WM Companion is up to date.' }
    case 'checking':
      return { ...base, status: 'checking', message: 'Checking for updates…' }
    case 'downloading':
      return {
        ...base,
        status: 'downloading',
        message: `Downloading WM Companion ${state.version ?? ''} in the background…`,
      }
    case 'ready':
      return {
        ...base,
        status: 'ready',
        message: state.live
          ? `Update ${state.version} ready: it installs after your stream ends, or when you quit.`
          : `Update ${state.version} ready: it installs when you quit, or after your next stream ends.`,
      }
    case 'installing':
      return { ...base, status: 'installing', message: `Installing WM Companion ${state.version}…` }
  }
}

/** The members of electron-updater's AppUpdater the controller uses (`autoUpdater` satisfies it). */
export interface UpdaterActions {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkForUpdates(): Promise<unknown>
  downloadUpdate(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface UpdateControllerDeps {
  updater: UpdaterActions
  /** The setting's value at start. */
  enabled: boolean
  /** A stream already live when the app starts. */
  live?: boolean
  policy?: UpdatePolicy
  timers?: Timers
  /** Every state change, for the dashboard and the tray. */
  onStatus?(view: UpdateStatusView): void
}

export interface UpdateController {
  /** Feeds an event: the updater's (update-available, update-downloaded, error...), the bus's, the app's. */
  handle(event: UpdateEvent): void
  status(): UpdateStatusView
  /** "Restart now": installs the ready update unless a stream is live; true when it started. */
  installNow(): boolean
  /** Clears the timers (the app quits). */
  stop(): void
}

const nodeTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms)
    handle.unref?.()
    return handle
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const { updater } = deps
  const timers = deps.timers ?? nodeTimers
  const policy = deps.policy ?? UPDATE_POLICY
  // The policy decides when to download and install, not electron-updater's defaults.
  updater.autoDownload = false
  updater.autoInstallOnAppQuit = false
  let state = initialUpdateState(deps.enabled, deps.live ?? false)
  let checkTimer: unknown = null
  let installTimer: unknown = null

  const failed = (error: unknown) =>
    handle({ type: 'updater-error', message: (error as Error)?.message ?? String(error) })

  function run(command: UpdateCommand): void {
    switch (command.type) {
      case 'check':
        updater.checkForUpdates().catch(failed)
        return
      case 'download':
        updater.downloadUpdate().catch(failed)
        return
      case 'install-now':
        updater.quitAndInstall(true, true)
        return
      case 'install-on-quit':
        updater.autoInstallOnAppQuit = command.value
        return
      case 'schedule-check':
        if (checkTimer !== null) timers.clearTimeout(checkTimer)
        checkTimer = timers.setTimeout(() => {
          checkTimer = null
          handle({ type: 'check-due' })
        }, command.delayMs)
        return
      case 'cancel-check':
        if (checkTimer !== null) timers.clearTimeout(checkTimer)
        checkTimer = null
        return
      case 'schedule-install':
        if (installTimer !== null) timers.clearTimeout(installTimer)
        installTimer = timers.setTimeout(() => {
          installTimer = null
          handle({ type: 'install-due' })
        }, command.delayMs)
        return
      case 'cancel-install':
        if (installTimer !== null) timers.clearTimeout(installTimer)
        installTimer = null
        return
    }
  }

  function handle(event: UpdateEvent): void {
    const step = nextUpdateState(state, event, policy)
    const changed = step.state !== state
    state = step.state
    for (const command of step.commands) {
      try {
        run(command)
      } catch (error) {
        failed(error)
      }
    }
    if (changed) deps.onStatus?.(updateStatusView(state))
  }

  return {
    handle,
    status: () => updateStatusView(state),
    installNow() {
      handle({ type: 'install-requested' })
      return state.phase === 'installing'
    },
    stop() {
      run({ type: 'cancel-check' })
      run({ type: 'cancel-install' })
    },
  }
}
