import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Settings } from 'electron'
import { describe, expect, it } from 'vitest'
import {
  autostartFilePath,
  autostartPlan,
  desktopEntry,
  HIDDEN_FLAG,
  startsHidden,
  writeAutostartFile,
  type AutostartContext,
} from './autostart.js'

/** desktop-file-utils' validator, where installed (`apt-get install desktop-file-utils`). */
const validator = ['/usr/bin/desktop-file-validate', '/usr/local/bin/desktop-file-validate'].find(
  (file) => fs.existsSync(file),
)

function context(overrides: Partial<AutostartContext>): AutostartContext {
  return {
    platform: 'linux',
    execPath: '/opt/WM Companion/wm-companion',
    appPath: null,
    env: {},
    home: '/home/streamer',
    ...overrides,
  }
}

/** Reads an entry back the way a desktop would: key=value lines of the [Desktop Entry] group. */
function parseEntry(content: string): Record<string, string> {
  const [group, ...lines] = content.trimEnd().split('\n')
  expect(group).toBe('[Desktop Entry]')
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
}

describe('autostart on Windows', () => {
  it('registers the executable with --hidden, and unregisters it with the same arguments', () => {
    const ctx = context({ platform: 'win32', execPath: 'C:\\Apps\\WM Companion\\WM Companion.exe' })
    const on = autostartPlan(true, ctx)
    expect(on).toEqual({
      kind: 'login-item',
      settings: {
        openAtLogin: true,
        path: 'C:\\Apps\\WM Companion\\WM Companion.exe',
        args: [HIDDEN_FLAG],
      },
    })
    if (on.kind === 'login-item') {
      const typed: Settings = on.settings // the shape Electron's own .d.ts accepts
      expect(typed.openAtLogin).toBe(true)
    }
    expect(autostartPlan(false, ctx)).toMatchObject({
      settings: { openAtLogin: false, args: [HIDDEN_FLAG] },
    })
  })

  it('passes the quoted app folder first when run from a source checkout', () => {
    const ctx = context({
      platform: 'win32',
      execPath: 'C:\\src\\wm\\node_modules\\electron\\dist\\electron.exe',
      appPath: 'C:\\src\\my projects\\wm',
    })
    expect(autostartPlan(true, ctx)).toMatchObject({
      settings: { args: ['"C:\\src\\my projects\\wm"', HIDDEN_FLAG] },
    })
  })
})

describe('autostart on macOS', () => {
  it('registers a login item; hidden comes from wasOpenedAtLogin, not arguments', () => {
    expect(autostartPlan(true, context({ platform: 'darwin' }))).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: true },
    })
    expect(autostartPlan(false, context({ platform: 'darwin' }))).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: false },
    })
    expect(startsHidden({ argv: [], platform: 'darwin', wasOpenedAtLogin: true })).toBe(true)
    expect(startsHidden({ argv: [], platform: 'darwin', wasOpenedAtLogin: false })).toBe(false)
  })
})

describe('autostart on Linux', () => {
  it('writes ~/.config/autostart/wm-companion.desktop starting hidden', () => {
    const plan = autostartPlan(true, context({ iconPath: '/opt/WM Companion/icon.png' }))
    expect(plan.kind).toBe('desktop-file')
    if (plan.kind !== 'desktop-file' || plan.content === null) throw new Error('expected a file')
    expect(plan.path).toBe('/home/streamer/.config/autostart/wm-companion.desktop')
    expect(parseEntry(plan.content)).toEqual({
      Type: 'Application',
      Version: '1.0',
      Name: 'WM Companion',
      Comment: 'Tips and OBS alerts for your live streams, in the tray',
      Exec: '"/opt/WM Companion/wm-companion" --hidden',
      Icon: '/opt/WM Companion/icon.png',
      Terminal: 'false',
      'X-GNOME-Autostart-enabled': 'true',
    })
  })

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(autostartFilePath({ XDG_CONFIG_HOME: '/data/config' }, '/home/s')).toBe(
      '/data/config/autostart/wm-companion.desktop',
    )
    expect(autostartFilePath({ XDG_CONFIG_HOME: 'config' }, '/home/s')).toBe(
      '/home/s/.config/autostart/wm-companion.desktop',
    )
  })

  it('starts the AppImage file itself, not its temporary mount', () => {
    const entry = desktopEntry(
      context({
        execPath: '/tmp/.mount_WMCxyz/wm-companion',
        appImage: '/home/streamer/Apps/WM-Companion-0.1.0.AppImage',
      }),
    )
    expect(parseEntry(entry).Exec).toBe('/home/streamer/Apps/WM-Companion-0.1.0.AppImage --hidden')
  })

  it('quotes and escapes Exec per the Desktop Entry spec', () => {
    const entry = desktopEntry(
      context({
        execPath: '/home/me/node_modules/electron/dist/electron',
        appPath: '/home/me/100% "fun" $HOME\\src',
      }),
    )
    // Quoting rule (", $, \ escaped inside quotes; % doubled), then the string rule (\ doubled).
    expect(parseEntry(entry).Exec).toBe(
      '/home/me/node_modules/electron/dist/electron "/home/me/100%% \\\\"fun\\\\" \\\\$HOME\\\\\\\\src" --hidden',
    )
  })

  it('removes the file when switched off', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-autostart-'))
    const env = { XDG_CONFIG_HOME: path.join(home, 'xdg') }
    const on = autostartPlan(true, context({ env, home }))
    if (on.kind !== 'desktop-file') throw new Error('expected a file')
    writeAutostartFile(on)
    expect(fs.readFileSync(on.path, 'utf8')).toContain(
      'Exec="/opt/WM Companion/wm-companion" --hidden',
    )
    expect(fs.readdirSync(path.dirname(on.path))).toEqual(['wm-companion.desktop'])

    const off = autostartPlan(false, context({ env, home }))
    expect(off).toEqual({ kind: 'desktop-file', path: on.path, content: null })
    if (off.kind !== 'desktop-file') throw new Error('expected a file')
    writeAutostartFile(off)
    expect(fs.existsSync(on.path)).toBe(false)
    writeAutostartFile(off) // already gone: nothing to do
  })

  it('starts hidden when launched with --hidden', () => {
    expect(
      startsHidden({ argv: ['/opt/wm', HIDDEN_FLAG], platform: 'linux', wasOpenedAtLogin: false }),
    ).toBe(true)
    expect(startsHidden({ argv: ['/opt/wm'], platform: 'linux', wasOpenedAtLogin: true })).toBe(
      false,
    )
  })

  it.skipIf(!validator)('passes desktop-file-validate (skipped where it is not installed)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-autostart-'))
    const entries = [
      context({ iconPath: '/opt/WM Companion/icon.png' }),
      context({ execPath: '/home/me/electron', appPath: '/home/me/100% "fun" $HOME\\src' }),
    ]
    for (const [index, ctx] of entries.entries()) {
      const file = path.join(dir, String(index), 'wm-companion.desktop')
      fs.mkdirSync(path.dirname(file))
      fs.writeFileSync(file, desktopEntry(ctx))
      const result = spawnSync(validator as string, [file], { encoding: 'utf8' })
      expect(`${result.stdout}${result.stderr}`).toBe('')
      expect(result.status).toBe(0)
    }
  })
})
