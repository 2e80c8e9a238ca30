import type { FastifyBaseLogger } from 'fastify'
import { EventSubscription, OBSWebSocket, OBSWebSocketError } from 'obs-websocket-js/json'
import type { RecordedSupport } from '../contracts/events.js'
import type { ObsAction, ObsSettings, ObsStatus } from '../contracts/obs.js'
import { isOwnOverlayUrl, matchingRules, renderRuleText } from './obsRules.js'

/** obs-websocket's close code for a wrong password (protocol.md, WebSocketCloseCode). */
const AUTHENTICATION_FAILED = 4009
const UNSUPPORTED_RPC_VERSION = 4010

export interface ObsServiceDeps {
  settings(): ObsSettings
  /** From the secret store; never logged, never sent anywhere but OBS's Identify hash. */
  password(): string | undefined
  /** The overlay listener's base URL: browser sources pointing at it are the app's own. */
  localUrl(): string
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>
  onStatus(status: ObsStatus): void
  /** OBS started or stopped streaming (or went away): held alerts may go now. */
  onStreamingChanged(): void
  /** Reconnect backoff: first wait and cap, doubled in between. */
  backoff?: { initialMs: number; maxMs: number }
  now?: () => number
}

export interface ObsService {
  status(): ObsStatus
  /** (Re)connects with the current settings; disconnects when OBS control is off. */
  reconnect(): Promise<void>
  /** Runs the rules a recorded tip matches. */
  onSupport(event: RecordedSupport): Promise<void>
  /** Alerts wait while the streamer asked to hold them and OBS is not streaming. */
  holdsAlerts(): boolean
  /** Puts text into the timer's text source, when one is set and OBS is connected. */
  showTimerText(text: string): Promise<void>
  stop(): Promise<void>
}

function describeFailure(error: unknown, address: string): { text: string; code: number | null } {
  const code = error instanceof OBSWebSocketError ? error.code : null
  if (code === AUTHENTICATION_FAILED)
    return {
      text: 'OBS refused the password. Copy it again from OBS → Tools → WebSocket Server Settings → Show Connect Info.',
      code,
    }
  if (code === UNSUPPORTED_RPC_VERSION)
    return { text: 'This OBS is too old: OBS Control needs OBS 28 or newer.', code }
  return {
    text: `OBS is not answering at ${address}. Is OBS running, with Tools → WebSocket Server Settings → Enable WebSocket server checked?`,
    code,
  }
}

/**
 * OBS control over obs-websocket 5: one connection, kept up with backoff while OBS control is on. On
 * connect and on every scene change it refreshes the app's own browser sources (an overlay cached broken
 * because OBS started before the app heals itself), and it runs the streamer's rules for each tip.
 */
export function createObsService(deps: ObsServiceDeps): ObsService {
  const now = deps.now ?? Date.now
  const backoff = deps.backoff ?? { initialMs: 1000, maxMs: 30_000 }
  let client: OBSWebSocket | undefined
  let generation = 0
  let failures = 0
  let retryTimer: NodeJS.Timeout | undefined
  let stopped = false
  let refreshing: Promise<void> | undefined
  let refreshAgain = false
  let lastTimerText: string | null = null
  let sceneReturn: { to: string; target: string; timer: NodeJS.Timeout } | undefined
  const revertTimers = new Set<NodeJS.Timeout>()
  let current: ObsStatus = {
    state: 'off',
    streaming: null,
    currentScene: null,
    lastError: null,
    lastErrorCode: null,
    nextAttemptAt: null,
    ownSources: [],
    holdingAlerts: false,
  }

  function holdsAlerts(): boolean {
    const settings = deps.settings()
    return settings.enabled && settings.holdAlertsWhileNotStreaming && current.streaming !== true
  }

  function update(patch: Partial<ObsStatus>): void {
    const wasStreaming = current.streaming
    const wasHolding = current.holdingAlerts
    current = { ...current, ...patch }
    current.holdingAlerts = holdsAlerts()
    deps.onStatus(current)
    if (wasStreaming !== current.streaming || wasHolding !== current.holdingAlerts)
      deps.onStreamingChanged()
  }

  function clearActions(): void {
    if (sceneReturn) clearTimeout(sceneReturn.timer)
    sceneReturn = undefined
    for (const timer of revertTimers) clearTimeout(timer)
    revertTimers.clear()
  }

  function scheduleReconnect(): void {
    if (stopped || retryTimer) return
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 16))
    failures += 1
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void connect()
    }, delay)
    retryTimer.unref()
    update({ nextAttemptAt: new Date(now() + delay).toISOString() })
  }

  async function connect(): Promise<void> {
    clearTimeout(retryTimer)
    retryTimer = undefined
    const gen = ++generation
    const previous = client
    client = undefined
    clearActions()
    lastTimerText = null
    if (previous) await previous.disconnect().catch(() => undefined)
    const settings = deps.settings()
    if (stopped || !settings.enabled || settings.address.trim() === '') {
      update({
        state: 'off',
        streaming: null,
        currentScene: null,
        lastError: null,
        lastErrorCode: null,
        nextAttemptAt: null,
        ownSources: [],
      })
      return
    }
    const address = settings.address.trim()
    const obs = new OBSWebSocket()
    let closed = false
    const onClosed = (error: unknown) => {
      if (closed || gen !== generation) return
      closed = true
      client = undefined
      clearActions()
      const failure = describeFailure(error, address)
      deps.log.warn({ obsCode: failure.code, address }, 'OBS connection closed')
      update({
        state: failure.code === AUTHENTICATION_FAILED ? 'auth_failed' : 'disconnected',
        streaming: null,
        currentScene: null,
        lastError: failure.text,
        lastErrorCode: failure.code,
      })
      scheduleReconnect()
    }
    obs.on('ConnectionClosed', onClosed)
    obs.on('CurrentProgramSceneChanged', ({ sceneName }) => {
      if (gen !== generation) return
      update({ currentScene: sceneName })
      void refreshOwnSources()
    })
    obs.on('StreamStateChanged', ({ outputActive }) => {
      if (gen === generation) update({ streaming: outputActive })
    })
    update({ state: 'connecting', nextAttemptAt: null })
    try {
      await obs.connect(address, deps.password() || undefined, {
        rpcVersion: 1,
        eventSubscriptions: EventSubscription.Scenes | EventSubscription.Outputs,
      })
      const [scenes, stream] = await Promise.all([
        obs.call('GetSceneList'),
        obs.call('GetStreamStatus'),
      ])
      if (gen !== generation || closed) {
        await obs.disconnect().catch(() => undefined)
        return
      }
      client = obs
      failures = 0
      deps.log.info({ address }, 'OBS connected')
      update({
        state: 'connected',
        streaming: stream.outputActive,
        currentScene: scenes.currentProgramSceneName,
        lastError: null,
        lastErrorCode: null,
        nextAttemptAt: null,
      })
      await refreshOwnSources()
    } catch (error) {
      onClosed(error)
      await obs.disconnect().catch(() => undefined)
    }
  }

  /** One refresh at a time; a scene change during one asks for one more pass. */
  function refreshOwnSources(): Promise<void> {
    if (refreshing) {
      refreshAgain = true
      return refreshing
    }
    refreshing = (async () => {
      do {
        refreshAgain = false
        const obs = client
        if (!obs) break
        try {
          const { inputs } = await obs.call('GetInputList', { inputKind: 'browser_source' })
          const own: string[] = []
          for (const input of inputs) {
            const inputName = String(input.inputName)
            const { inputSettings } = await obs.call('GetInputSettings', { inputName })
            if (!isOwnOverlayUrl(inputSettings.url, deps.localUrl())) continue
            own.push(inputName)
            await obs.call('PressInputPropertiesButton', {
              inputName,
              propertyName: 'refreshnocache',
            })
          }
          if (obs === client) update({ ownSources: own })
        } catch (error) {
          deps.log.warn({ obsCode: (error as OBSWebSocketError).code }, 'OBS refresh failed')
        }
      } while (refreshAgain)
      refreshing = undefined
    })()
    return refreshing
  }

  async function run(obs: OBSWebSocket, action: ObsAction, event: RecordedSupport): Promise<void> {
    switch (action.type) {
      case 'switchScene': {
        // Back to the scene that was live before the first of overlapping switches, not to a rule's.
        const back = sceneReturn?.to ?? current.currentScene
        if (sceneReturn) clearTimeout(sceneReturn.timer)
        sceneReturn = undefined
        await obs.call('SetCurrentProgramScene', { sceneName: action.sceneName })
        if (!back || back === action.sceneName) return
        const timer = setTimeout(() => {
          const pending = sceneReturn
          sceneReturn = undefined
          if (!pending || client !== obs || current.currentScene !== pending.target) return
          obs
            .call('SetCurrentProgramScene', { sceneName: pending.to })
            .catch((error: OBSWebSocketError) =>
              deps.log.warn({ obsCode: error.code }, 'OBS scene switch back failed'),
            )
        }, action.seconds * 1000)
        timer.unref()
        sceneReturn = { to: back, target: action.sceneName, timer }
        return
      }
      case 'setSourceVisible': {
        const { sceneItemId } = await obs.call('GetSceneItemId', {
          sceneName: action.sceneName,
          sourceName: action.sourceName,
        })
        const set = (enabled: boolean) =>
          obs.call('SetSceneItemEnabled', {
            sceneName: action.sceneName,
            sceneItemId,
            sceneItemEnabled: enabled,
          })
        await set(action.visible)
        if (action.seconds === null) return
        const timer = setTimeout(() => {
          revertTimers.delete(timer)
          if (client === obs)
            set(!action.visible).catch((error: OBSWebSocketError) =>
              deps.log.warn({ obsCode: error.code }, 'OBS source visibility revert failed'),
            )
        }, action.seconds * 1000)
        timer.unref()
        revertTimers.add(timer)
        return
      }
      case 'setText':
        await obs.call('SetInputSettings', {
          inputName: action.inputName,
          inputSettings: { text: renderRuleText(action.text, event) },
        })
        return
    }
  }

  return {
    status: () => ({ ...current, holdingAlerts: holdsAlerts() }),
    holdsAlerts,
    async reconnect() {
      stopped = false
      failures = 0
      await connect()
    },
    async onSupport(event) {
      const obs = client
      if (!obs) return
      for (const rule of matchingRules(deps.settings().rules, event)) {
        try {
          await run(obs, rule.action, event)
        } catch (error) {
          deps.log.warn(
            { obsCode: (error as OBSWebSocketError).code, rule: rule.id },
            'OBS rule failed',
          )
        }
      }
    },
    async showTimerText(text) {
      const inputName = deps.settings().timerTextSource
      const obs = client
      if (!obs || !inputName || text === lastTimerText) return
      lastTimerText = text
      try {
        await obs.call('SetInputSettings', { inputName, inputSettings: { text } })
      } catch (error) {
        lastTimerText = null
        deps.log.warn({ obsCode: (error as OBSWebSocketError).code }, 'OBS timer text failed')
      }
    },
    async stop() {
      stopped = true
      clearTimeout(retryTimer)
      retryTimer = undefined
      generation += 1
      clearActions()
      const obs = client
      client = undefined
      if (obs) await obs.disconnect().catch(() => undefined)
    },
  }
}
