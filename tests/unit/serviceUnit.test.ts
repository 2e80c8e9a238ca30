/**
 * deploy/wm-companion.service, read the way systemd reads it (systemd.syntax: sections, `Key=value`
 * lines, repeated keys, `#`/`;` comments, trailing-backslash continuations), checked for every key the
 * headless service needs, and against the app itself: the script it runs exists, every WM_* variable it
 * sets is one the app knows. Where systemd is installed, `systemd-analyze verify` must pass too.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_OPTIONS } from '../../server/config/config.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const unitFile = path.join(root, 'deploy', 'wm-companion.service')

type Unit = Map<string, Map<string, string[]>>

function parseUnit(text: string): Unit {
  const unit: Unit = new Map()
  let section: Map<string, string[]> | null = null
  const lines = text.replace(/\\\n/g, ' ').split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[([A-Za-z]+)\]$/.exec(line)
    if (header) {
      section = unit.get(header[1] as string) ?? new Map()
      unit.set(header[1] as string, section)
      continue
    }
    const eq = line.indexOf('=')
    if (!section || eq <= 0) throw new Error(`line ${index + 1} is not Key=value: ${raw}`)
    const key = line.slice(0, eq).trim()
    expect(key, `line ${index + 1}`).toMatch(/^[A-Za-z][A-Za-z0-9]*$/)
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()])
  }
  return unit
}

const unit = parseUnit(fs.readFileSync(unitFile, 'utf8'))
const values = (section: string, key: string): string[] => unit.get(section)?.get(key) ?? []
const value = (section: string, key: string): string | undefined => values(section, key).at(-1)
const environment = (): Map<string, string> =>
  new Map(
    values('Service', 'Environment').map((entry) => {
      const eq = entry.indexOf('=')
      return [entry.slice(0, eq), entry.slice(eq + 1)]
    }),
  )

describe('deploy/wm-companion.service', () => {
  it('has the three sections and nothing else', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install'])
    expect(value('Unit', 'Description')).toMatch(/WM Companion/)
    expect(value('Install', 'WantedBy')).toBe('multi-user.target')
  })

  it('starts after the network is up, since the tip flow talks to wallets', () => {
    expect(value('Unit', 'Wants')).toBe('network-online.target')
    expect(value('Unit', 'After')).toBe('network-online.target')
  })

  it('runs npm run start:headless from the checkout, a script package.json has', () => {
    const [command, ...args] = (value('Service', 'ExecStart') ?? '').split(/\s+/)
    expect(path.isAbsolute(command as string)).toBe(true)
    expect(path.basename(command as string)).toBe('npm')
    expect(args).toEqual(['run', 'start:headless'])
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts['start:headless']).toBeDefined()
    expect(pkg.scripts['sign-in-link']).toBeDefined()
    expect(path.isAbsolute(value('Service', 'WorkingDirectory') ?? '')).toBe(true)
    expect(value('Service', 'Type')).toBe('simple')
  })

  it('runs as an unprivileged user, never root', () => {
    expect(value('Service', 'User')).toBe('wm-companion')
    expect(value('Service', 'Group')).toBe('wm-companion')
    expect(value('Service', 'NoNewPrivileges')).toBe('yes')
    expect(value('Service', 'CapabilityBoundingSet')).toBe('')
    expect(value('Service', 'AmbientCapabilities')).toBe('')
  })

  it('binds the public listener for the internet with WM_PUBLIC_HOST, data in its state folder', () => {
    const env = environment()
    expect(env.get('WM_PUBLIC_HOST')).toBe('0.0.0.0')
    expect(env.get('WM_DATA_DIR')).toBe(`/var/lib/${value('Service', 'StateDirectory')}`)
    expect(value('Service', 'StateDirectoryMode')).toBe('0700')
    // The local listener (dashboard, admin API) is never exposed: it stays on 127.0.0.1.
    expect(env.has('WM_LOCAL_HOST')).toBe(false)
    const known = new Set(Object.values(CONFIG_OPTIONS).map((option) => option.env))
    for (const name of env.keys()) if (name.startsWith('WM_')) expect(known).toContain(name)
    expect(values('Service', 'EnvironmentFile')).toEqual(['-/etc/wm-companion/env'])
  })

  it('restarts on failure, but not on a configuration error (exit code 2)', () => {
    expect(value('Service', 'Restart')).toBe('on-failure')
    expect(value('Service', 'RestartSec')).toMatch(/^\d+s?$/)
    expect(value('Service', 'RestartPreventExitStatus')?.split(/\s+/)).toContain('2')
    expect(value('Service', 'KillSignal')).toBe('SIGTERM')
    expect(Number.parseInt(value('Service', 'TimeoutStopSec') ?? '0', 10)).toBeGreaterThanOrEqual(
      10,
    )
  })

  it('is hardened without breaking Node', () => {
    const expected: Record<string, string> = {
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      ProtectKernelTunables: 'yes',
      ProtectKernelModules: 'yes',
      ProtectControlGroups: 'yes',
      RestrictSUIDSGID: 'yes',
      LockPersonality: 'yes',
      UMask: '0077',
      SystemCallArchitectures: 'native',
    }
    for (const [key, setting] of Object.entries(expected))
      expect(value('Service', key), key).toBe(setting)
    expect(value('Service', 'RestrictAddressFamilies')?.split(/\s+/).sort()).toEqual([
      'AF_INET',
      'AF_INET6',
      'AF_UNIX',
    ])
    // V8's JIT needs writable and executable memory.
    expect(value('Service', 'MemoryDenyWriteExecute')).toBeUndefined()
  })

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' })
  it.skipIf(analyze.status !== 0)(
    'passes systemd-analyze verify (skipped where systemd is not installed)',
    () => {
      // verify checks that ExecStart's program exists: point it at this machine's npm.
      const npm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim()
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-unit-'))
      const copy = path.join(dir, 'wm-companion.service')
      fs.writeFileSync(
        copy,
        fs
          .readFileSync(unitFile, 'utf8')
          .replace(/^ExecStart=\S+/m, (line) => (npm ? `ExecStart=${npm}` : line)),
      )
      const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' })
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('')
      expect(result.status).toBe(0)
    },
  )
})
