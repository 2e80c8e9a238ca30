/**
 * The update policy, and its controller driving a stand-in for electron-updater's AppUpdater (the
 * package is not installed here and could not reach a release feed anyway). Timers are faked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  releaseChannelConfigured,
  createUpdateController,
  initialUpdateState,
  nextUpdateState,
  UPDATE_POLICY,
  updateStatusView,
  type UpdateEvent,
  type UpdateState,
  type UpdaterActions,
  type UpdateStatusView,
} from './updatePolicy.js'

function replay(events: UpdateEvent[], start = initialUpdateState(true)): UpdateState {
  return events.reduce((state, event) => nextUpdateState(state, event).state, start)
}

const downloaded: UpdateEvent[] = [
  { type: 'app-started' },
  { type: 'update-available', version: '0.2.0' },
  { type: 'update-downloaded', version: '0.2.0' },
]

describe('nextUpdateState', () => {
  it('checks on start and again every few hours', () => {
    const step = nextUpdateState(initialUpdateState(true), { type: 'app-started' })
    expect(step.commands).toEqual([
      { type: 'check' },
      { type: 'schedule-check', delayMs: UPDATE_POLICY.checkIntervalMs },
    ])
    const idle = nextUpdateState(step.state, { type: 'update-not-available' }).state
    expect(nextUpdateState(idle, { type: 'check-due' }).commands).toEqual(step.commands)
  })

  it('downloads a found update in the background', () => {
    const found = replay(downloaded.slice(0, 1))
    expect(nextUpdateState(found, { type: 'update-available', version: '0.2.0' })).toMatchObject({
      state: { phase: 'downloading', version: '0.2.0' },
      commands: [{ type: 'download' }],
    })
  })

  it('never installs while a stream is live', () => {
    const live = replay(downloaded, initialUpdateState(true, true))
    expect(live.phase).toBe('ready')
    expect(nextUpdateState(live, { type: 'quit-requested' }).commands).toEqual([
      { type: 'install-on-quit', value: false },
    ])
    expect(nextUpdateState(live, { type: 'install-due' }).commands).toEqual([])

    // Downloaded before the stream started: going live withdraws install-on-quit.
    const ready = replay(downloaded)
    expect(nextUpdateState(ready, { type: 'stream-started' }).commands).toEqual([
      { type: 'install-on-quit', value: false },
    ])
  })

  it('installs a while after STREAM_STOPPED, unless the stream comes back', () => {
    const live = replay(downloaded, initialUpdateState(true, true))
    const stopped = nextUpdateState(live, { type: 'stream-stopped' })
    expect(stopped.commands).toEqual([
      { type: 'install-on-quit', value: true },
      { type: 'schedule-install', delayMs: UPDATE_POLICY.installDelayMs },
    ])
    expect(nextUpdateState(stopped.state, { type: 'install-due' })).toMatchObject({
      state: { phase: 'installing' },
      commands: [{ type: 'install-now' }],
    })

    const back = nextUpdateState(stopped.state, { type: 'stream-started' })
    expect(back.commands).toEqual([
      { type: 'cancel-install' },
      { type: 'install-on-quit', value: false },
    ])
    expect(nextUpdateState(back.state, { type: 'install-due' }).commands).toEqual([])
  })

  it('installs on quit when no stream is live', () => {
    const ready = replay(downloaded)
    expect(nextUpdateState(replay(downloaded.slice(0, 2)), downloaded[2] as UpdateEvent)).toEqual({
      state: ready,
      commands: [{ type: 'install-on-quit', value: true }],
    })
    expect(nextUpdateState(ready, { type: 'quit-requested' }).commands).toEqual([
      { type: 'install-on-quit', value: true },
    ])
  })

  it('does nothing at all when the setting is off', () => {
    const off = initialUpdateState(false)
    for (const event of [
      { type: 'app-started' },
      { type: 'check-due' },
      { type: 'update-available', version: '0.2.0' },
    ] satisfies UpdateEvent[]) {
      expect(nextUpdateState(off, event).commands).toEqual([])
    }
    const ready = replay(downloaded)
    const switchedOff = nextUpdateState(ready, { type: 'setting-changed', enabled: false })
    expect(switchedOff.commands).toEqual([
      { type: 'cancel-check' },
      { type: 'cancel-install' },
      { type: 'install-on-quit', value: false },
    ])
    expect(nextUpdateState(switchedOff.state, { type: 'stream-stopped' }).commands).toEqual([])
    expect(updateStatusView(switchedOff.state).status).toBe('off')

    const on = nextUpdateState(off, { type: 'setting-changed', enabled: true })
    expect(on.commands[0]).toEqual({ type: 'check' })
  })

  it('keeps a failure for the dashboard and retries at the next check', () => {
    const failed = replay([{ type: 'app-started' }, { type: 'updater-error', message: 'offline' }])
    expect(updateStatusView(failed)).toMatchObject({ status: 'up-to-date', error: 'offline' })
    expect(nextUpdateState(failed, { type: 'check-due' }).commands[0]).toEqual({ type: 'check' })
  })

  it('shows "update ready" with when it will install', () => {
    expect(updateStatusView(replay(downloaded))).toEqual({
      status: 'ready',
      version: '0.2.0',
      error: null,
      message: 'Update 0.2.0 ready: it installs when you quit, or after your next stream ends.',
      canInstallNow: true,
    })
    expect(updateStatusView(replay(downloaded, initialUpdateState(true, true))).message).toMatch(
      /after your stream ends/,
    )
  })
})

describe('"Restart now" from the dashboard', () => {
  it('installs a ready update at once when no stream is live', () => {
    const step = nextUpdateState(replay(downloaded), { type: 'install-requested' })
    expect(step.state.phase).toBe('installing')
    expect(step.commands).toContainEqual({ type: 'install-now' })
  })

  it('is refused while a stream is live, and not offered', () => {
    const live = replay(downloaded, initialUpdateState(true, true))
    expect(updateStatusView(live).canInstallNow).toBe(false)
    expect(nextUpdateState(live, { type: 'install-requested' })).toEqual({
      state: live,
      commands: [],
    })
    // Offered again once the stream stopped.
    const stopped = nextUpdateState(live, { type: 'stream-stopped' }).state
    expect(updateStatusView(stopped).canInstallNow).toBe(true)
  })

  it('does nothing without a ready update, or with updates off', () => {
    const downloading = replay(downloaded.slice(0, 2))
    expect(nextUpdateState(downloading, { type: 'install-requested' }).commands).toEqual([])
    const off = nextUpdateState(replay(downloaded), { type: 'setting-changed', enabled: false })
    expect(updateStatusView(off.state).canInstallNow).toBe(false)
    expect(nextUpdateState(off.state, { type: 'install-requested' }).commands).toEqual([])
  })
})

describe('createUpdateController', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function fakeUpdater() {
    const calls: string[] = []
    const updater: UpdaterActions = {
      autoDownload: true,
      autoInstallOnAppQuit: true,
      checkForUpdates: async () => {
        calls.push('check')
      },
      downloadUpdate: async () => {
        calls.push('download')
      },
      quitAndInstall: (silent, runAfter) => {
        calls.push(`install silent=${silent} runAfter=${runAfter}`)
      },
    }
    return { updater, calls }
  }

  it('runs the whole cycle: check, download, wait out the stream, install after it stopped', async () => {
    const { updater, calls } = fakeUpdater()
    const statuses: UpdateStatusView[] = []
    const controller = createUpdateController({
      updater,
      enabled: true,
      live: true,
      onStatus: (view) => statuses.push(view),
    })
    expect(updater.autoDownload).toBe(false)
    expect(updater.autoInstallOnAppQuit).toBe(false)

    controller.handle({ type: 'app-started' })
    controller.handle({ type: 'update-available', version: '0.2.0' })
    controller.handle({ type: 'update-downloaded', version: '0.2.0' })
    await Promise.resolve()
    expect(calls).toEqual(['check', 'download'])
    expect(controller.status().status).toBe('ready')
    expect(updater.autoInstallOnAppQuit).toBe(false) // live

    vi.advanceTimersByTime(UPDATE_POLICY.checkIntervalMs) // a check falls due: nothing to do
    expect(calls).toEqual(['check', 'download'])

    controller.handle({ type: 'stream-stopped' })
    expect(updater.autoInstallOnAppQuit).toBe(true)
    vi.advanceTimersByTime(UPDATE_POLICY.installDelayMs - 1)
    expect(calls).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(calls).toEqual(['check', 'download', 'install silent=true runAfter=true'])
    expect(statuses.map((view) => view.status)).toEqual([
      'checking',
      'downloading',
      'ready',
      'ready',
      'installing',
    ])
    controller.stop()
  })

  it('checks again every few hours and reports a failed check', async () => {
    const { updater, calls } = fakeUpdater()
    updater.checkForUpdates = async () => {
      calls.push('check')
      throw new Error('net::ERR_INTERNET_DISCONNECTED')
    }
    const controller = createUpdateController({ updater, enabled: true })
    controller.handle({ type: 'app-started' })
    await vi.advanceTimersByTimeAsync(0)
    expect(controller.status().error).toBe('net::ERR_INTERNET_DISCONNECTED')
    await vi.advanceTimersByTimeAsync(UPDATE_POLICY.checkIntervalMs)
    await vi.advanceTimersByTimeAsync(UPDATE_POLICY.checkIntervalMs)
    expect(calls).toEqual(['check', 'check', 'check'])
    controller.stop()
    await vi.advanceTimersByTimeAsync(UPDATE_POLICY.checkIntervalMs)
    expect(calls).toHaveLength(3)
  })

  it('"Restart now" quits and installs only when no stream is live', () => {
    const { updater, calls } = fakeUpdater()
    const controller = createUpdateController({ updater, enabled: true, live: true })
    controller.handle({ type: 'app-started' })
    controller.handle({ type: 'update-available', version: '0.2.0' })
    controller.handle({ type: 'update-downloaded', version: '0.2.0' })
    expect(controller.installNow()).toBe(false)
    expect(calls).not.toContain('install silent=true runAfter=true')
    controller.handle({ type: 'stream-stopped' })
    expect(controller.installNow()).toBe(true)
    expect(calls.filter((call) => call.startsWith('install'))).toEqual([
      'install silent=true runAfter=true',
    ])
    // The delayed install after the stream stopped was cancelled: it never installs twice.
    vi.advanceTimersByTime(UPDATE_POLICY.installDelayMs)
    expect(calls.filter((call) => call.startsWith('install'))).toHaveLength(1)
    controller.stop()
  })

  it('never touches the updater when the setting is off', () => {
    const { updater, calls } = fakeUpdater()
    const controller = createUpdateController({ updater, enabled: false })
    controller.handle({ type: 'app-started' })
    vi.advanceTimersByTime(UPDATE_POLICY.checkIntervalMs * 3)
    expect(calls).toEqual([])
    expect(controller.status().status).toBe('off')
  })
})

describe('releaseChannelConfigured', () => {
  it('starts nothing until a release channel names where to look', () => {
    expect(releaseChannelConfigured(null)).toBe(false)
    expect(releaseChannelConfigured('provider: github\nrepo: wm-companion\n')).toBe(false)
    expect(
      releaseChannelConfigured('provider: github\nowner: streamer-tools\nrepo: wm-companion\n'),
    ).toBe(true)
    expect(releaseChannelConfigured('provider: generic\n')).toBe(false)
    expect(releaseChannelConfigured("provider: generic\nurl: 'https://updates.example/'\n")).toBe(
      true,
    )
  })
})
