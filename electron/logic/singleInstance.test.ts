import { describe, expect, it } from 'vitest'
import { HIDDEN_FLAG } from './autostart.js'
import { onDesktopStart, onSecondInstance, windowStateOf } from './singleInstance.js'

describe('onSecondInstance', () => {
  const argv = ['/opt/wm-companion/wm-companion']

  it('focuses the running window on a second start', () => {
    expect(onSecondInstance({ argv, serverReady: true, window: 'visible' })).toEqual({
      kind: 'focus-window',
      restore: false,
      show: false,
    })
    expect(onSecondInstance({ argv, serverReady: true, window: 'minimized' })).toEqual({
      kind: 'focus-window',
      restore: true,
      show: true,
    })
    expect(onSecondInstance({ argv, serverReady: true, window: 'hidden' })).toEqual({
      kind: 'focus-window',
      restore: false,
      show: true,
    })
  })

  it('opens a window when the app lives in the tray only', () => {
    expect(onSecondInstance({ argv, serverReady: true, window: 'none' })).toEqual({
      kind: 'open-window',
    })
  })

  it('waits for the server before opening anything', () => {
    expect(onSecondInstance({ argv, serverReady: false, window: 'none' })).toEqual({
      kind: 'open-when-ready',
    })
  })

  it('ignores a login-item start while already running', () => {
    expect(
      onSecondInstance({ argv: [...argv, HIDDEN_FLAG], serverReady: true, window: 'none' }),
    ).toEqual({ kind: 'ignore' })
  })
})

describe('windowStateOf', () => {
  const window = (visible: boolean, minimized: boolean, destroyed = false) => ({
    isDestroyed: () => destroyed,
    isVisible: () => visible,
    isMinimized: () => minimized,
  })

  it('reads the state the decision needs', () => {
    expect(windowStateOf(null)).toBe('none')
    expect(windowStateOf(window(true, false, true))).toBe('none')
    expect(windowStateOf(window(true, true))).toBe('minimized')
    expect(windowStateOf(window(false, false))).toBe('hidden')
    expect(windowStateOf(window(true, false))).toBe('visible')
  })
})

describe('onDesktopStart', () => {
  it('starts the server when the data folder is free', () => {
    expect(onDesktopStart({ kind: 'acquired' }, '/data')).toEqual({ kind: 'start-server' })
  })

  it('opens the dashboard of a headless server that already has the folder', () => {
    const action = onDesktopStart(
      { kind: 'running', record: { localUrl: 'http://127.0.0.1:8085', pid: 42 } },
      '/data',
    )
    expect(action).toMatchObject({ kind: 'open-running', url: 'http://127.0.0.1:8085/' })
    if (action.kind === 'open-running') expect(action.message).toMatch(/sign-in-link/)
  })

  it('fails with the folder named when its holder does not answer', () => {
    expect(onDesktopStart({ kind: 'busy' }, '/data')).toEqual({
      kind: 'fail',
      message: expect.stringContaining('/data'),
    })
  })
})
