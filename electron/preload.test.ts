/**
 * Runs the real preload source the way Electron's sandbox does: CommonJS, wrapped in a function whose
 * `require` only knows `electron`. Electron itself cannot start here, so `contextBridge` and
 * `ipcRenderer` are stand-ins that record what the preload does with them.
 */
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import type { DesktopBridge } from '../server/contracts/desktop.js'
import { IPC_CHANNELS } from './logic/ipc.js'

interface Loaded {
  exposed: Map<string, unknown>
  invocations: Array<{ channel: string; args: unknown[] }>
  ipcRenderer: object
}

function loadPreload(platform: string, reply: unknown = undefined): Loaded {
  const source = fs.readFileSync(path.join(import.meta.dirname, 'preload.cts'), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: 'preload.cts',
  })
  const exposed = new Map<string, unknown>()
  const invocations: Loaded['invocations'] = []
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invocations.push({ channel, args })
      return reply
    },
    send: () => {
      throw new Error('the preload must not use send')
    },
    on: () => {
      throw new Error('the preload must not listen')
    },
  }
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
    },
    ipcRenderer,
  }
  const sandboxRequire = (name: string) => {
    // Electron's sandboxed preload can require only a few built-ins, never project files.
    if (name === 'electron') return electron
    throw new Error(`module not found: ${name}`)
  }
  const wrapper = vm.runInNewContext(
    `(function (require, process, exports, module) {\n${outputText}\n})`,
  ) as (...args: unknown[]) => void
  const exports = {}
  wrapper(sandboxRequire, { platform }, exports, { exports })
  return { exposed, invocations, ipcRenderer }
}

describe('preload', () => {
  it('exposes exactly one object, window.wmDesktop, with the DesktopBridge members', () => {
    const { exposed } = loadPreload('linux')
    expect([...exposed.keys()]).toEqual(['wmDesktop'])
    const bridge = exposed.get('wmDesktop') as DesktopBridge
    expect(Object.keys(bridge).sort()).toEqual(
      [
        'copyText',
        'isDesktop',
        'openExternal',
        'platform',
        'setAlertsPaused',
        'updateStatus',
        'installUpdate',
      ].sort(),
    )
    expect(bridge.isDesktop).toBe(true)
    expect(bridge.platform).toBe('linux')
    expect(loadPreload('freebsd').exposed.get('wmDesktop')).toMatchObject({ platform: 'other' })
  })

  it('never hands out ipcRenderer or any of its methods', () => {
    const { exposed, ipcRenderer } = loadPreload('darwin')
    const bridge = exposed.get('wmDesktop') as Record<string, unknown>
    for (const value of Object.values(bridge)) {
      expect(value).not.toBe(ipcRenderer)
      for (const method of Object.values(ipcRenderer)) expect(value).not.toBe(method)
    }
  })

  it('turns each method into an invoke on its named channel', async () => {
    const loaded = loadPreload('win32', true)
    const bridge = loaded.exposed.get('wmDesktop') as DesktopBridge
    await bridge.copyText('http://127.0.0.1:8085/overlay/alerts?key=k')
    expect(await bridge.openExternal('https://wallet.example/')).toBe(true)
    expect(await bridge.setAlertsPaused(true)).toBe(true)
    expect(loaded.invocations).toEqual([
      { channel: IPC_CHANNELS.copyText, args: ['http://127.0.0.1:8085/overlay/alerts?key=k'] },
      { channel: IPC_CHANNELS.openExternal, args: ['https://wallet.example/'] },
      { channel: IPC_CHANNELS.setAlertsPaused, args: [true] },
    ])
  })

  it('reports a refused URL as false, not as whatever the main process sent', async () => {
    const bridge = loadPreload('linux', 'yes').exposed.get('wmDesktop') as DesktopBridge
    expect(await bridge.openExternal('http://evil.test/')).toBe(false)
  })
})
