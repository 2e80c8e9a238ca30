/**
 * The desktop host (DESIGN §2): starts the same server as headless mode in this process, then adds what
 * only a desktop has: the dashboard window, the tray, notifications and the preload bridge. Kept thin:
 * decisions live in electron/logic/ (tested under Node), security defaults in electron/security.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron'
import type { MenuItemConstructorOptions, NativeImage } from 'electron'
import Store from 'electron-store'
import { findAppRoot } from '../server/app/appRoot.js'
import { ConfigError, loadConfig, type AppConfig } from '../server/config/config.js'
import { preferenceFileOptions } from '../server/settings/preferences.js'
import type { PreferenceFile } from '../server/settings/settingsStore.js'
import type { InstanceLock } from '../server/app/control.js'
import type { UpdateStatusView } from '../server/contracts/desktop.js'
import {
  notificationFor,
  type DesktopNotification,
} from '../server/contracts/supportNotifications.js'
import { claimInstance, PortInUseError, startServer, type RunningServer } from '../server/start.js'
import { MigrationError } from '../server/storage/db.js'
import { APP_ID, PRODUCT_NAME } from './logic/appIdentity.js'
import { configArgs } from './logic/argv.js'
import { autostartPlan, startsHidden, writeAutostartFile } from './logic/autostart.js'
import { externalHttpsUrl, IPC_CHANNELS, parseAlertsPaused, parseCopyText } from './logic/ipc.js'
import { nativeBindingPath, resolveSqliteBinding } from './logic/nativeBinding.js'
import { originOf } from './logic/navigation.js'
import { createSafeStorageCipher } from './logic/secretCipher.js'
import { createQuitGuard } from './logic/shutdown.js'
import { onDesktopStart, onSecondInstance, windowStateOf } from './logic/singleInstance.js'
import { EXIT_CODES, explainBindingChoice, explainStartError } from './logic/startErrors.js'
import { trayIconFile, windowIconFile } from './logic/icons.js'
import { buildTrayMenu, trayTooltip, type TrayMenuItem, type TrayState } from './logic/trayMenu.js'
import {
  createUpdateController,
  NO_CHANNEL_STATUS,
  releaseChannelConfigured,
  type UpdateController,
} from './logic/updatePolicy.js'
import {
  handleTrustedIpc,
  hardenSession,
  installAppHardening,
  openExternalHttps,
  secureWebPreferences,
} from './security.js'

const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url))
const iconsDir = path.join(findAppRoot(), 'assets', 'icons')

function fail(message: string, code: number): void {
  process.stderr.write(`wm-companion: ${message}\n`)
  dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, message)
  app.exit(code)
}

function readConfig(): AppConfig | null {
  try {
    return loadConfig(process.env, configArgs(process.argv, process.defaultApp === true))
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(error.message, EXIT_CODES.config)
      return null
    }
    throw error
  }
}

/** electron-store with the schema and file headless mode uses (electron-store says `name`, conf `configName`). */
function openPreferences(dataDir: string): PreferenceFile {
  const { configName, ...options } = preferenceFileOptions(dataDir)
  return new Store<Record<string, unknown>>({ ...options, name: configName })
}

/** The packaged app's update channel (electron-builder writes it from `publish`), if any. */
function readAppUpdateYml(): string | null {
  if (!app.isPackaged) return null
  try {
    return fs.readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8')
  } catch {
    return null
  }
}

function toElectronMenu(items: TrayMenuItem[]): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' }
      case 'checkbox':
        return {
          id: item.id,
          type: 'checkbox',
          label: item.label,
          enabled: item.enabled,
          checked: item.checked,
          click: (menuItem) => item.click(menuItem.checked),
        }
      case 'normal':
        return {
          id: item.id,
          type: 'normal',
          label: item.label,
          enabled: item.enabled,
          click: () => item.click(),
        }
    }
  })
}

function run(config: AppConfig): void {
  let server: RunningServer | null = null
  let dashboard: BrowserWindow | null = null
  let tray: Tray | null = null
  let instanceLock: InstanceLock | null = null
  let updates: UpdateController | null = null
  let openWhenReady = false
  const localOrigin = () => (server ? originOf(server.localUrl) : null)
  const icon = (file: string): NativeImage => nativeImage.createFromPath(path.join(iconsDir, file))

  installAppHardening(localOrigin)

  const quitGuard = createQuitGuard({
    close: async () => {
      updates?.stop()
      await server?.close()
      // The data folder is free again only once the database is closed.
      instanceLock?.release()
    },
    quit: () => app.quit(),
    onError: (error) =>
      process.stderr.write(`wm-companion: error while stopping: ${(error as Error).message}\n`),
    onStart: () => {
      tray?.destroy()
      tray = null
    },
  })
  app.on('before-quit', (event) => {
    // An update downloaded earlier installs as the app quits (never mid-stream: the policy decides).
    updates?.handle({ type: 'quit-requested' })
    quitGuard.onBeforeQuit(event)
  })
  // Ctrl+C in the terminal that ran `npm start`, or a service manager: the same clean shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

  function openDashboard(): void {
    if (!server) return
    if (dashboard && !dashboard.isDestroyed()) {
      if (dashboard.isMinimized()) dashboard.restore()
      dashboard.show()
      dashboard.focus()
      return
    }
    const window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 720,
      minHeight: 520,
      show: false,
      title: PRODUCT_NAME,
      icon: icon(windowIconFile(process.platform)),
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(preloadPath),
    })
    dashboard = window
    window.once('ready-to-show', () => window.show())
    window.on('closed', () => {
      if (dashboard === window) dashboard = null
      // Said once: where the app went, since tips and alerts keep flowing without the window.
      if (
        tray &&
        !quitGuard.done &&
        server &&
        !server.desktop.preference('desktop.trayHintShown')
      ) {
        server.desktop.setPreference('desktop.trayHintShown', true)
        showNotification({
          title: `${PRODUCT_NAME} is still running`,
          body: 'Alerts and tips keep working. Reopen or quit it from the tray icon.',
        })
      }
    })
    // A fresh one-time token each time: it becomes the HttpOnly session cookie (DESIGN §2).
    window.loadURL(server.loginUrl()).catch((error: unknown) => {
      server?.desktop.log.error({ err: error }, 'the dashboard window failed to load')
    })
  }

  // Shown notifications are kept referenced until dismissed: a collected one loses its click handler.
  const liveNotifications = new Set<Notification>()
  function showNotification(note: DesktopNotification | null): void {
    if (!note || !Notification.isSupported()) return
    const notification = new Notification({
      title: note.title,
      body: note.body,
      icon: icon(windowIconFile(process.platform)),
    })
    liveNotifications.add(notification)
    notification.on('click', () => {
      liveNotifications.delete(notification)
      openDashboard()
    })
    notification.on('close', () => liveNotifications.delete(notification))
    notification.show()
  }

  /** A tray action that fails is logged; it never becomes an uncaught exception dialog. */
  function safely(action: string, fn: () => void): () => void {
    return () => {
      try {
        fn()
      } catch (error) {
        server?.desktop.log.error({ err: error, action }, 'tray action failed')
      }
    }
  }

  function trayState(): TrayState {
    return {
      alertsPaused: server?.desktop.alertsPaused() ?? false,
      serverReady: server !== null,
      version: app.getVersion(),
      ...(server ? { stream: server.desktop.streamStatus() } : {}),
      locale: app.getLocale(),
    }
  }

  // Support arrives in bursts (streamed payments): the tray's total is refreshed at most once a second.
  let trayRefresh: NodeJS.Timeout | undefined
  function refreshTraySoon(): void {
    trayRefresh ??= setTimeout(() => {
      trayRefresh = undefined
      refreshTray()
    }, 1000)
  }

  function refreshTray(): void {
    if (!tray) return
    const state = trayState()
    tray.setToolTip(trayTooltip(state))
    tray.setContextMenu(
      Menu.buildFromTemplate(
        toElectronMenu(
          buildTrayMenu(state, {
            openDashboard: safely('open dashboard', openDashboard),
            setAlertsPaused: (paused) =>
              safely('pause alerts', () => {
                server?.desktop.setAlertsPaused(paused)
              })(),
            sendTestAlert: safely('send test alert', () => {
              server?.desktop.sendTestAlert()
            }),
            copyOverlayUrl: safely('copy overlay URL', () => {
              if (!server) return
              clipboard.writeText(server.desktop.overlayAlertsUrl())
              showNotification({
                title: 'Overlay URL copied',
                body: 'Paste it into an OBS browser source.',
              })
            }),
            quit: () => app.quit(),
          }),
        ),
      ),
    )
  }

  function registerBridge({ desktop }: RunningServer): void {
    handleTrustedIpc(IPC_CHANNELS.copyText, localOrigin, (text) => {
      clipboard.writeText(parseCopyText(text))
    })
    handleTrustedIpc(IPC_CHANNELS.openExternal, localOrigin, (url) => {
      const target = externalHttpsUrl(url)
      if (!target) return false
      openExternalHttps(target)
      return true
    })
    handleTrustedIpc(IPC_CHANNELS.setAlertsPaused, localOrigin, (paused) =>
      desktop.setAlertsPaused(parseAlertsPaused(paused)),
    )
    handleTrustedIpc(IPC_CHANNELS.updateStatus, localOrigin, () => updateStatus())
    handleTrustedIpc(IPC_CHANNELS.installUpdate, localOrigin, () => updates?.installNow() ?? false)
  }

  let lastUpdateStatus: UpdateStatusView = NO_CHANNEL_STATUS
  function updateStatus(): UpdateStatusView {
    return updates?.status() ?? lastUpdateStatus
  }

  /** Updates run only in a packaged app with a release channel; the setting turns them off. */
  async function startUpdates({ desktop }: RunningServer): Promise<void> {
    if (!releaseChannelConfigured(readAppUpdateYml())) return
    // Loaded only when a release channel exists: nothing else needs it, and it reads app files.
    const { autoUpdater } = (await import('electron-updater')).default
    updates = createUpdateController({
      updater: autoUpdater,
      enabled: desktop.preference('desktop.autoUpdate'),
      live: desktop.streamStatus().live,
      onStatus: (view) => {
        lastUpdateStatus = view
      },
    })
    const controller = updates
    autoUpdater.on('update-available', (info) =>
      controller.handle({ type: 'update-available', version: info.version }),
    )
    autoUpdater.on('update-not-available', () =>
      controller.handle({ type: 'update-not-available' }),
    )
    autoUpdater.on('update-downloaded', (info) =>
      controller.handle({ type: 'update-downloaded', version: info.version }),
    )
    autoUpdater.on('error', (error) =>
      controller.handle({ type: 'updater-error', message: error.message }),
    )
    controller.handle({ type: 'app-started' })
  }

  /** "Start when I log in": the login item (Windows, macOS) or an XDG autostart file (Linux). */
  function applyAutostart(enabled: boolean): void {
    const plan = autostartPlan(enabled, {
      platform: process.platform,
      execPath: process.execPath,
      appPath: process.defaultApp ? app.getAppPath() : null,
      appImage: process.env.APPIMAGE,
      env: process.env,
      home: app.getPath('home'),
      iconPath: path.join(iconsDir, windowIconFile(process.platform)),
    })
    if (plan.kind === 'login-item') app.setLoginItemSettings(plan.settings)
    else writeAutostartFile(plan)
  }

  function subscribe({ desktop }: RunningServer): void {
    // The same rule as the dashboard's browser notifications in headless mode.
    const enabled = () => ({
      notificationsEnabled: desktop.notificationsEnabled(),
      alertsPaused: desktop.alertsPaused(),
    })
    desktop.on('support.recorded', (event) =>
      showNotification(notificationFor('support.recorded', event, enabled(), app.getLocale())),
    )
    desktop.on('alert.test', (event) =>
      showNotification(notificationFor('alert.test', event, enabled(), app.getLocale())),
    )
    desktop.on('alert.updated', (event) =>
      showNotification(notificationFor('alert.updated', event, enabled(), app.getLocale())),
    )
    // Pause toggled from the dashboard: keep the tray checkbox in step.
    desktop.on('alerts.paused', () => refreshTray())
    // Live or offline, and this stream's total.
    desktop.on('stream.started', () => {
      updates?.handle({ type: 'stream-started' })
      refreshTray()
    })
    desktop.on('stream.stopped', () => {
      updates?.handle({ type: 'stream-stopped' })
      refreshTray()
    })
    desktop.on('support.recorded', () => refreshTraySoon())
    desktop.onPreferenceChange((key, value) => {
      if (key === 'desktop.openAtLogin') applyAutostart(value)
      if (key === 'desktop.autoUpdate') updates?.handle({ type: 'setting-changed', enabled: value })
    })
  }

  // A second launch (desktop icon clicked again) focuses the running app instead.
  app.on('second-instance', (_event, argv) => {
    const action = onSecondInstance({
      argv,
      serverReady: server !== null,
      window: windowStateOf(dashboard),
    })
    if (action.kind === 'ignore') return
    if (action.kind === 'open-when-ready') openWhenReady = true
    else openDashboard()
  })
  app.on('activate', () => openDashboard())
  // Closing the window leaves the app in the tray; without a tray, closing it quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit()
  })

  const hidden = startsHidden({
    argv: process.argv,
    platform: process.platform,
    wasOpenedAtLogin: process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
  })

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession)
    // Electron embeds another Node ABI than `npm install` built better-sqlite3 for: its own build
    // (prepared by scripts/start.mjs, or packaged) is chosen here; exit code 3 falls back to headless.
    const binding = resolveSqliteBinding({
      appRoot: findAppRoot(),
      packaged: app.isPackaged,
      versions: process.versions,
      platform: process.platform,
      arch: process.arch,
    })
    const bindingProblem = explainBindingChoice(binding)
    if (bindingProblem) return fail(bindingProblem.message, bindingProblem.exitCode)
    const nativeBinding = nativeBindingPath(binding)
    // One server per data folder: a headless one may already have it.
    const claim = await claimInstance(config.dataDir, { nativeBinding, waitMs: 5000 })
    const decision = onDesktopStart(claim, config.dataDir)
    if (decision.kind === 'open-running') {
      dialog.showMessageBoxSync({ type: 'info', title: PRODUCT_NAME, message: decision.message })
      // The recorded local dashboard URL (http on 127.0.0.1), not a URL from a page.
      void shell.openExternal(decision.url)
      app.quit()
      return
    }
    if (decision.kind === 'fail' || claim.kind !== 'acquired')
      return fail(decision.kind === 'fail' ? decision.message : 'cannot claim the data folder', 1)
    instanceLock = claim.lock
    try {
      server = await startServer({
        config,
        preferences: openPreferences(config.dataDir),
        secretCipher: createSafeStorageCipher(safeStorage, process.platform),
        nativeBinding,
      })
    } catch (error) {
      const report = explainStartError(
        error,
        error instanceof ConfigError ||
          error instanceof PortInUseError ||
          error instanceof MigrationError,
      )
      fail(report.message, report.exitCode)
      return
    }
    registerBridge(server)
    subscribe(server)
    applyAutostart(server.desktop.preference('desktop.openAtLogin'))
    startUpdates(server).catch((error: unknown) =>
      server?.desktop.log.warn({ err: error }, 'updates could not start'),
    )
    try {
      tray = new Tray(icon(trayIconFile(process.platform)))
      tray.on('click', () => openDashboard())
      refreshTray()
    } catch (error) {
      server.desktop.log.warn({ err: error }, 'no system tray: closing the window will quit')
    }
    // The desktop smoke test (tests/e2e/electron.spec.ts) asks whether the tray exists.
    if (process.env.WM_E2E_HOOKS === '1')
      (globalThis as { __wmTray?: () => boolean }).__wmTray = () => tray !== null
    // Started at login: stay in the tray (unless there is no tray to stay in, or a second start asked).
    if (!hidden || !tray || openWhenReady) openDashboard()
  })
}

const config = readConfig()
if (config) {
  // userData first: the single-instance lock lives there, so each data folder is one instance.
  app.setPath('userData', config.dataDir)
  // Chromium's own files (cookies, caches, local storage) in a subfolder, apart from the app's data.
  app.setPath('sessionData', path.join(config.dataDir, 'browser-session'))
  if (app.requestSingleInstanceLock()) run(config)
  else app.quit()
}
