/**
 * The sandboxed preload: exposes ONE narrow object, `window.wmDesktop`, typed by the shared
 * DesktopBridge contract (server/contracts/desktop.ts). Never exposes ipcRenderer or any Node API.
 *
 * A sandboxed preload can only require `electron` (no project files), so the channel names are repeated
 * here and checked against `IpcChannels` by the compiler. The main process validates sender and
 * arguments again (electron/security.ts, electron/logic/ipc.ts): nothing here is trusted.
 */
// A .cts file under verbatimModuleSyntax must spell its CommonJS import this way (TS1286).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron')
import type {
  DesktopBridge,
  DesktopBridgeKey,
  DesktopPlatform,
  UpdateStatusView,
} from '../server/contracts/desktop.js'
import type { IpcChannels } from './logic/ipc.js'

const channels: IpcChannels = {
  copyText: 'wm-desktop:copy-text',
  openExternal: 'wm-desktop:open-external',
  setAlertsPaused: 'wm-desktop:set-alerts-paused',
  updateStatus: 'wm-desktop:update-status',
  installUpdate: 'wm-desktop:install-update',
}

const platform: DesktopPlatform =
  process.platform === 'darwin' || process.platform === 'win32' || process.platform === 'linux'
    ? process.platform
    : 'other'

const invoke = electron.ipcRenderer.invoke.bind(electron.ipcRenderer)

const bridge = {
  isDesktop: true,
  platform,
  copyText: async (text: string): Promise<void> => {
    await invoke(channels.copyText, text)
  },
  openExternal: async (url: string): Promise<boolean> =>
    (await invoke(channels.openExternal, url)) === true,
  setAlertsPaused: async (paused: boolean): Promise<boolean> =>
    (await invoke(channels.setAlertsPaused, paused)) === true,
  updateStatus: async (): Promise<UpdateStatusView> =>
    (await invoke(channels.updateStatus)) as UpdateStatusView,
  installUpdate: async (): Promise<boolean> => (await invoke(channels.installUpdate)) === true,
} as const satisfies DesktopBridge

const key: DesktopBridgeKey = 'wmDesktop'
electron.contextBridge.exposeInMainWorld(key, bridge)
