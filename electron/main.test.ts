/**
 * Start-up of the real electron/main.ts with Electron's modules replaced by recording stand-ins
 * (Electron cannot start on these machines). Everything else is real: config from the environment, the
 * settings file through a Conf-backed electron-store, the server on 127.0.0.1 port 0, SQLite.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { rawRequest, makeTempDir } from '../server/testing/harness.js'
import { IPC_CHANNELS } from './logic/ipc.js'

type Listener = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const state = {
    listeners: new Map<string, Listener[]>(),
    ready: undefined as undefined | (() => void),
    exitCode: undefined as number | undefined,
    quits: 0,
    paths: new Map<string, string>(),
    errorBoxes: [] as Array<{ title: string; content: string }>,
    windows: [] as Array<{ options: Record<string, unknown>; url: string; shown: number }>,
    clipboard: '',
    notifications: [] as Array<{ title: string; body: string }>,
    trayMenus: [] as Array<Array<Record<string, unknown>>>,
    ipc: new Map<string, Listener>(),
    permissionHandlerSet: false,
    loginItems: [] as unknown[],
    packaged: false,
  }
  return state
})

vi.mock('electron', () => {
  const on = (name: string, listener: Listener) => {
    const list = fake.listeners.get(name) ?? []
    list.push(listener)
    fake.listeners.set(name, list)
  }
  const readyPromise = new Promise<void>((resolve) => (fake.ready = resolve))
  const app = {
    on,
    whenReady: () => readyPromise,
    setPath: (name: string, value: string) => fake.paths.set(name, value),
    requestSingleInstanceLock: () => true,
    quit: () => {
      fake.quits += 1
      const event = {
        defaultPrevented: false,
        preventDefault: () => (event.defaultPrevented = true),
      }
      for (const listener of fake.listeners.get('before-quit') ?? []) listener(event)
    },
    exit: (code: number) => (fake.exitCode = code),
    getLocale: () => 'en-US',
    getVersion: () => '0.1.0',
    setAppUserModelId: () => undefined,
    get isPackaged() {
      return fake.packaged
    },
    getPath: (name: string) => fake.paths.get(name) ?? path.join(os.tmpdir(), `wm-fake-${name}`),
    getAppPath: () => process.cwd(),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: (settings: unknown) => fake.loginItems.push(settings),
  }
  class BrowserWindow {
    record: { options: Record<string, unknown>; url: string; shown: number }
    constructor(options: Record<string, unknown>) {
      this.record = { options, url: '', shown: 0 }
      fake.windows.push(this.record)
    }
    once(name: string, listener: Listener) {
      if (name === 'ready-to-show') setImmediate(listener)
    }
    on() {}
    isDestroyed = () => false
    isMinimized = () => false
    isVisible = () => this.record.shown > 0
    restore() {}
    show() {
      this.record.shown += 1
    }
    focus() {}
    async loadURL(url: string) {
      this.record.url = url
    }
  }
  class Notification {
    static isSupported = () => true
    constructor(private options: { title: string; body: string }) {}
    on() {}
    show() {
      fake.notifications.push({ title: this.options.title, body: this.options.body })
    }
  }
  class Tray {
    setToolTip() {}
    on() {}
    destroy() {}
    setContextMenu(menu: Array<Record<string, unknown>>) {
      fake.trayMenus.push(menu)
    }
  }
  return {
    app,
    BrowserWindow,
    Notification,
    Tray,
    clipboard: { writeText: (text: string) => (fake.clipboard = text) },
    dialog: {
      showErrorBox: (title: string, content: string) => fake.errorBoxes.push({ title, content }),
    },
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createFromPath: (file: string) => ({ file }) },
    safeStorage: { isEncryptionAvailable: () => false },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => (fake.permissionHandlerSet = true),
        setPermissionCheckHandler: () => undefined,
        setDevicePermissionHandler: () => undefined,
        setDisplayMediaRequestHandler: () => undefined,
      },
    },
    ipcMain: { handle: (channel: string, handler: Listener) => fake.ipc.set(channel, handler) },
    shell: { openExternal: async () => undefined },
  }
})

/**
 * electron-updater's autoUpdater, recording what the app asks of it: a real one would contact a
 * release feed, which no test may reach. Its events are emitted by the test.
 */
const updater = vi.hoisted(() => {
  const listeners = new Map<string, Array<(info: { version: string }) => void>>()
  return {
    calls: [] as string[],
    autoDownload: true,
    autoInstallOnAppQuit: true,
    on(name: string, listener: (info: { version: string }) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener])
      return this
    },
    emit(name: string, info: { version: string }) {
      for (const listener of listeners.get(name) ?? []) listener(info)
    },
    checkForUpdates() {
      this.calls.push('check')
      return Promise.resolve(null)
    },
    downloadUpdate() {
      this.calls.push('download')
      return Promise.resolve([])
    },
    quitAndInstall() {
      this.calls.push('install')
    },
  }
})
vi.mock('electron-updater', () => ({ default: { autoUpdater: updater } }))

// electron-store is Conf plus Electron's paths; with `cwd` given, Conf alone behaves the same.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf')
  return {
    default: class ElectronStore extends Conf {
      constructor(options: Record<string, unknown> & { name?: string }) {
        const { name, ...rest } = options
        super({ ...rest, configName: name, projectName: 'wm-companion' })
      }
    },
  }
})

const dataDir = makeTempDir('wm-electron-')
// Linux's "start at login" is an XDG autostart file: kept in a folder of this test.
const configHome = makeTempDir('wm-xdg-')
const envBefore = { ...process.env }
const signalListeners = {
  SIGINT: process.listeners('SIGINT'),
  SIGTERM: process.listeners('SIGTERM'),
}

afterAll(() => {
  for (const key of [
    'WM_DATA_DIR',
    'WM_LOCAL_PORT',
    'WM_PUBLIC_PORT',
    'WM_LOG_LEVEL',
    'XDG_CONFIG_HOME',
  ]) {
    if (envBefore[key] === undefined) delete process.env[key]
    else process.env[key] = envBefore[key]
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    for (const listener of process.listeners(signal))
      if (!signalListeners[signal].includes(listener)) process.off(signal, listener)
})

function trayItem(label: string) {
  const menu = fake.trayMenus.at(-1) ?? []
  const item = menu.find((entry) => entry.label === label)
  if (!item) throw new Error(`no tray item ${label}`)
  return item as { click: (menuItem: { checked: boolean }) => void; checked?: boolean }
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('electron/main.ts', () => {
  it('starts the server in-process and wires window, tray, bridge and shutdown', async () => {
    Object.assign(process.env, {
      WM_DATA_DIR: dataDir,
      WM_LOCAL_PORT: '0',
      WM_PUBLIC_PORT: '0',
      WM_LOG_LEVEL: 'silent',
      XDG_CONFIG_HOME: configHome,
    })
    await import('./main.js')
    expect(fake.paths.get('userData')).toBe(dataDir)
    expect(fake.paths.get('sessionData')).toBe(path.join(dataDir, 'browser-session'))
    fake.ready?.()
    await waitFor(() => fake.windows.length > 0)
    expect(fake.permissionHandlerSet).toBe(true)

    // The window is sandboxed and opens the one-time sign-in URL, which really signs in.
    const window = fake.windows[0]
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    })
    const preload = (window?.options.webPreferences as { preload: string }).preload
    expect(path.basename(preload)).toBe('preload.cjs')
    const login = await rawRequest({ url: window?.url ?? '' })
    expect(login.status).toBe(303)
    const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] as string
    const localUrl = new URL(window?.url ?? '').origin
    const status = async () =>
      (await rawRequest({ url: `${localUrl}/api/status`, headers: { cookie } })).json<{
        alertsPaused: boolean
      }>()
    expect((await status()).alertsPaused).toBe(false)

    // Tray: pause is a checkbox bound to the setting; the store is the one headless mode reads.
    // The tray says whether a stream is live (none is) before its actions.
    expect(trayItem('Offline')).toMatchObject({ enabled: false })
    trayItem('Pause alerts').click({ checked: true })
    expect((await status()).alertsPaused).toBe(true)
    expect(trayItem('Pause alerts').checked).toBe(true)
    const stored = new Database(path.join(dataDir, 'wm-companion.sqlite'), { readonly: true })
    const paused = stored.prepare("SELECT value FROM settings WHERE key = 'alerts.paused'").pluck()
    expect(JSON.parse(paused.get() as string)).toBe(true)
    stored.close()
    // Paused alerts keep the tray quiet too (the rule the dashboard's browser notifications share).
    const beforePaused = fake.notifications.length
    trayItem('Send test alert').click({ checked: false })
    expect(fake.notifications).toHaveLength(beforePaused)
    trayItem('Pause alerts').click({ checked: false })

    trayItem('Copy overlay URL').click({ checked: false })
    expect(fake.clipboard).toMatch(new RegExp(`^${localUrl}/overlay/alerts\\?key=.+`))

    trayItem('Send test alert').click({ checked: false })
    expect(fake.notifications.at(-1)).toEqual({
      title: expect.stringMatching(/^Test alert: /) as string,
      body: 'Test Viewer: This is a test alert from WM Companion.',
    })

    // Turning notifications off in the dashboard silences the tray's notifications.
    const patched = await rawRequest({
      method: 'PATCH',
      url: `${localUrl}/api/settings`,
      headers: { cookie, origin: localUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ notificationsEnabled: false }),
    })
    expect(patched.status).toBe(200)
    const shown = fake.notifications.length
    trayItem('Send test alert').click({ checked: false })
    expect(fake.notifications).toHaveLength(shown)

    // The Settings page's "Start when I log in" writes the autostart entry, switched off removes it.
    const autostartFile = path.join(configHome, 'autostart', 'wm-companion.desktop')
    const setSetting = (body: Record<string, boolean>) =>
      rawRequest({
        method: 'PATCH',
        url: `${localUrl}/api/settings`,
        headers: { cookie, origin: localUrl, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect(fs.existsSync(autostartFile)).toBe(false)
    expect((await setSetting({ openAtLogin: true })).status).toBe(200)
    expect(fs.readFileSync(autostartFile, 'utf8')).toMatch(/^Exec=.*--hidden$/m)
    expect((await setSetting({ openAtLogin: false })).status).toBe(200)
    expect(fs.existsSync(autostartFile)).toBe(false)

    // Bridge: the channels exist and check their sender.
    expect([...fake.ipc.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort())
    const fromDashboard = { senderFrame: { url: `${localUrl}/`, parent: null } }
    const setPaused = fake.ipc.get(IPC_CHANNELS.setAlertsPaused)
    expect(await setPaused?.(fromDashboard, true)).toBe(true)
    expect((await status()).alertsPaused).toBe(true)
    expect(() =>
      setPaused?.({ senderFrame: { url: 'https://evil.test/', parent: null } }, false),
    ).toThrow()
    expect(() => setPaused?.(fromDashboard, 'no')).toThrow(/boolean/)
    // A source checkout has no release channel: nothing to install, and "Restart now" does nothing.
    expect(await fake.ipc.get(IPC_CHANNELS.updateStatus)?.(fromDashboard)).toMatchObject({
      status: 'off',
      canInstallNow: false,
    })
    expect(await fake.ipc.get(IPC_CHANNELS.installUpdate)?.(fromDashboard)).toBe(false)
    expect(fake.quits).toBe(0)
    const openExternal = fake.ipc.get(IPC_CHANNELS.openExternal)
    expect(await openExternal?.(fromDashboard, 'file:///etc/passwd')).toBe(false)

    // Quit: held until the server has closed, then quits for real.
    const quitsBefore = fake.quits
    // A second launch focuses the existing window rather than opening another.
    const shownBefore = window?.shown ?? 0
    ;(fake.listeners.get('second-instance') ?? []).forEach((listener) => listener({}, []))
    expect(fake.windows).toHaveLength(1)
    expect(window?.shown).toBe(shownBefore + 1)
    trayItem('Quit WM Companion').click({ checked: false })
    await waitFor(() => fake.quits >= quitsBefore + 2)
    await expect(rawRequest({ url: `${localUrl}/healthz` })).rejects.toThrow()
    expect(fake.exitCode).toBeUndefined()
  })

  async function startAgain(env: Record<string, string>): Promise<void> {
    fake.listeners.clear()
    fake.windows.length = 0
    fake.errorBoxes.length = 0
    fake.exitCode = undefined
    vi.resetModules()
    Object.assign(process.env, env)
    await import('./main.js')
  }

  it('a packaged app with a release channel: update ready, Restart now, and the Settings switch', async () => {
    const resources = makeTempDir('wm-resources-')
    fs.writeFileSync(
      path.join(resources, 'app-update.yml'),
      'provider: generic\nurl: https://updates.example.test/wm-companion\n',
    )
    const resourcesBefore = process.resourcesPath
    Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true })
    fake.packaged = true
    try {
      await startAgain({ WM_DATA_DIR: makeTempDir('wm-electron-') })
      fake.ready?.()
      await waitFor(() => updater.calls.includes('check'))
      const window = fake.windows[0]
      const login = await rawRequest({ url: window?.url ?? '' })
      const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] as string
      const localUrl = new URL(window?.url ?? '').origin
      const fromDashboard = { senderFrame: { url: `${localUrl}/`, parent: null } }
      const status = async () =>
        (await fake.ipc.get(IPC_CHANNELS.updateStatus)?.(fromDashboard)) as {
          status: string
          canInstallNow: boolean
          message: string
        }

      // Found, downloaded in the background, then "update ready" with a Restart now.
      updater.emit('update-available', { version: '0.2.0' })
      expect(updater.calls).toEqual(['check', 'download'])
      updater.emit('update-downloaded', { version: '0.2.0' })
      expect(await status()).toMatchObject({ status: 'ready', canInstallNow: true })
      expect((await status()).message).toMatch(/installs when you quit/)

      // "Install updates automatically" switched off on the Settings page reaches the updater.
      const setAutoUpdate = (value: boolean) =>
        rawRequest({
          method: 'PATCH',
          url: `${localUrl}/api/settings`,
          headers: { cookie, origin: localUrl, 'content-type': 'application/json' },
          body: JSON.stringify({ autoUpdate: value }),
        })
      expect((await setAutoUpdate(false)).status).toBe(200)
      expect(await status()).toMatchObject({ status: 'off', canInstallNow: false })
      expect(await fake.ipc.get(IPC_CHANNELS.installUpdate)?.(fromDashboard)).toBe(false)
      expect(updater.calls).not.toContain('install')

      // Switched on again: the ready update is offered again, and Restart now installs it.
      expect((await setAutoUpdate(true)).status).toBe(200)
      expect(await status()).toMatchObject({ status: 'ready', canInstallNow: true })
      expect(await fake.ipc.get(IPC_CHANNELS.installUpdate)?.(fromDashboard)).toBe(true)
      expect(updater.calls.filter((call) => call === 'install')).toHaveLength(1)

      // The stand-in updater does not quit by itself: quit from the tray, closing the server.
      const quitsBefore = fake.quits
      trayItem('Quit WM Companion').click({ checked: false })
      await waitFor(() => fake.quits >= quitsBefore + 2)
      await expect(rawRequest({ url: `${localUrl}/healthz` })).rejects.toThrow()
    } finally {
      fake.packaged = false
      Object.defineProperty(process, 'resourcesPath', {
        value: resourcesBefore,
        configurable: true,
      })
    }
  })

  it('shows a bad configuration value in an error box and exits with code 2', async () => {
    await startAgain({ WM_DATA_DIR: makeTempDir('wm-electron-'), WM_LOCAL_PORT: 'eighty' })
    expect(fake.exitCode).toBe(2)
    expect(fake.errorBoxes).toHaveLength(1)
    expect(fake.errorBoxes[0]?.content).toMatch(/WM_LOCAL_PORT must be a port number/)
    expect(fake.listeners.size).toBe(0)
  })

  it('names the busy port and the variable to change, exit code 2', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      await startAgain({ WM_DATA_DIR: makeTempDir('wm-electron-'), WM_LOCAL_PORT: String(port) })
      fake.ready?.()
      await waitFor(() => fake.exitCode !== undefined)
      expect(fake.exitCode).toBe(2)
      expect(fake.errorBoxes[0]?.content).toContain(`Port ${port}`)
      expect(fake.errorBoxes[0]?.content).toContain('WM_LOCAL_PORT')
      expect(fake.windows).toHaveLength(0)
    } finally {
      blocker.close()
    }
  })
})
