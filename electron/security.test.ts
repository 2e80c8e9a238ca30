/**
 * The wiring of electron/security.ts. Electron cannot start here, so its modules are replaced by
 * recording stand-ins (the only fake the project allows); the decisions are the real ones.
 */
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  opened: [] as string[],
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
}))

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  return {
    app: new Emitter(),
    shell: {
      openExternal: async (url: string) => {
        electron.opened.push(url)
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        electron.handlers.set(channel, handler),
    },
  }
})

const { app } = await import('electron')
const security = await import('./security.js')
const { IPC_CHANNELS } = await import('./logic/ipc.js')

const origin = 'http://127.0.0.1:8085'

class FakeContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler
  }
}

function navigationEvent(url: string, isMainFrame = true) {
  const event = {
    url,
    isMainFrame,
    prevented: false,
    preventDefault: () => (event.prevented = true),
  }
  return event
}

function hardened(localOrigin: string | null = origin): FakeContents {
  const contents = new FakeContents()
  security.hardenWebContents(contents as never, () => localOrigin)
  return contents
}

beforeEach(() => {
  electron.opened.length = 0
  electron.handlers.clear()
})

describe('secureWebPreferences', () => {
  it('isolates the renderer: context isolation, no Node, sandbox, web security, no webview', () => {
    expect(security.secureWebPreferences('/app/dist/electron/preload.cjs')).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('hardenWebContents', () => {
  it('never opens a window; https links go to the OS browser', () => {
    const contents = hardened()
    expect(contents.openHandler?.({ url: 'https://wallet.example/consent' })).toEqual({
      action: 'deny',
    })
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(contents.openHandler?.({ url: `${origin}/` })).toEqual({ action: 'deny' })
    expect(electron.opened).toEqual(['https://wallet.example/consent'])
  })

  it('lets the dashboard navigate within its origin and nowhere else', () => {
    const contents = hardened()
    const inside = navigationEvent(`${origin}/events`)
    contents.emit('will-frame-navigate', inside)
    expect(inside.prevented).toBe(false)

    const other = navigationEvent('http://127.0.0.1:8086/')
    contents.emit('will-frame-navigate', other)
    expect(other.prevented).toBe(true)

    const external = navigationEvent('https://owncast.example/')
    contents.emit('will-frame-navigate', external)
    expect(external.prevented).toBe(true)
    expect(electron.opened).toEqual(['https://owncast.example/'])
  })

  it('does not let a subframe open the OS browser', () => {
    const contents = hardened()
    const event = navigationEvent('https://evil.test/', false)
    contents.emit('will-frame-navigate', event)
    expect(event.prevented).toBe(true)
    expect(electron.opened).toEqual([])
  })

  it('blocks everything before the server is up', () => {
    const contents = hardened(null)
    const event = navigationEvent(`${origin}/`)
    contents.emit('will-frame-navigate', event)
    expect(event.prevented).toBe(true)
  })

  it('cancels redirects away from the dashboard without opening them', () => {
    const contents = hardened()
    const away = navigationEvent('https://evil.test/')
    contents.emit('will-redirect', away)
    expect(away.prevented).toBe(true)
    const home = navigationEvent(`${origin}/`)
    contents.emit('will-redirect', home)
    expect(home.prevented).toBe(false)
    expect(electron.opened).toEqual([])
  })

  it('refuses <webview> tags', () => {
    const contents = hardened()
    const event = navigationEvent('')
    contents.emit('will-attach-webview', event)
    expect(event.prevented).toBe(true)
  })

  it('is applied to every web contents the app creates', () => {
    security.installAppHardening(() => origin)
    const contents = new FakeContents()
    app.emit('web-contents-created', {}, contents)
    expect(contents.openHandler).toBeTypeOf('function')
  })
})

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const answers: unknown[] = []
    const session = {
      setPermissionRequestHandler: (
        handler: (c: unknown, p: string, cb: (ok: boolean) => void) => void,
      ) => {
        for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read'])
          handler({}, permission, (ok) => answers.push(ok))
      },
      setPermissionCheckHandler: (handler: () => boolean) => answers.push(handler()),
      setDevicePermissionHandler: (handler: () => boolean) => answers.push(handler()),
      setDisplayMediaRequestHandler: (handler: (r: unknown, cb: (s: object) => void) => void) =>
        handler({}, (streams) => answers.push(Object.keys(streams).length > 0)),
    }
    security.hardenSession(session as never)
    expect(answers).toEqual([false, false, false, false, false, false, false])
  })
})

describe('handleTrustedIpc', () => {
  function ipcEvent(url: string, isMainFrame = true) {
    return { senderFrame: { url, parent: isMainFrame ? null : {} } }
  }

  it('runs the handler only for the dashboard top frame on the local origin', async () => {
    const calls: unknown[][] = []
    security.handleTrustedIpc(
      IPC_CHANNELS.copyText,
      () => origin,
      (...args) => {
        calls.push(args)
        return 'done'
      },
    )
    const handler = electron.handlers.get(IPC_CHANNELS.copyText)
    expect(handler?.(ipcEvent(`${origin}/overlays`), 'text')).toBe('done')
    expect(() => handler?.(ipcEvent(`${origin}/`, false), 'x')).toThrow(
      security.UntrustedIpcSenderError,
    )
    expect(() => handler?.(ipcEvent('https://evil.test/'), 'x')).toThrow(/not the dashboard/)
    expect(() => handler?.({ senderFrame: null }, 'x')).toThrow(/not the dashboard/)
    expect(calls).toEqual([['text']])
  })

  it('refuses every call before the server is up', () => {
    security.handleTrustedIpc(
      IPC_CHANNELS.setAlertsPaused,
      () => null,
      () => true,
    )
    const handler = electron.handlers.get(IPC_CHANNELS.setAlertsPaused)
    expect(() => handler?.(ipcEvent(`${origin}/`), true)).toThrow(/not the dashboard/)
  })
})
