/**
 * The start script's preparation of Electron's better-sqlite3 build, with its command runner faked:
 * prebuild-install and node-gyp download from GitHub and electronjs.org, which these machines cannot
 * reach. Everything on disk is real (a throwaway checkout layout and cache folder).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADDON_FILE, bindingEntryName, listBindingCache } from './nativeBinding.js'
import {
  discardElectronSqlite,
  explainBuildFailure,
  FAILURE_LOG,
  prepareElectronSqlite,
  type CommandResult,
  type PrepareDeps,
  type RunCommand,
} from './prepareNativeBinding.js'

interface Call {
  tool: string
  args: readonly string[]
  cwd: string
  env?: Record<string, string>
}

function checkout(electronVersion = '45.4.1', abi: string | null = '150'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-prepare-'))
  const electronDir = path.join(root, 'node_modules', 'electron')
  const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3')
  fs.mkdirSync(electronDir, { recursive: true })
  fs.writeFileSync(path.join(electronDir, 'package.json'), `{"version":"${electronVersion}"}`)
  if (abi) fs.writeFileSync(path.join(electronDir, 'abi_version'), `${abi}\n`)
  for (const dir of ['src', 'deps/sqlite3', 'build/Release'])
    fs.mkdirSync(path.join(sqliteDir, dir), { recursive: true })
  fs.writeFileSync(
    path.join(sqliteDir, 'package.json'),
    '{"name":"better-sqlite3","version":"12.11.1"}',
  )
  fs.writeFileSync(path.join(sqliteDir, 'binding.gyp'), '{}')
  fs.writeFileSync(path.join(sqliteDir, 'src', 'better_sqlite3.cpp'), '// source')
  fs.writeFileSync(path.join(sqliteDir, 'build', 'Release', ADDON_FILE), 'node build')
  return root
}

type Behaviour = (call: Call) => CommandResult

/** A runner that records each call and answers as the named tool would; `produce` writes the addon. */
function fakeRunner(behaviours: Partial<Record<'prebuild' | 'gyp' | 'electron', Behaviour>>): {
  run: RunCommand
  calls: Call[]
} {
  const calls: Call[] = []
  const run: RunCommand = async (command, args, options) => {
    const script = args[0] ?? ''
    const tool = script.includes('prebuild-install')
      ? 'prebuild'
      : script.includes('node-gyp')
        ? 'gyp'
        : command === '/opt/electron'
          ? 'electron'
          : command
    const call = { tool, args, cwd: options.cwd, env: options.env }
    calls.push(call)
    const behaviour = behaviours[tool as 'prebuild' | 'gyp' | 'electron']
    return behaviour ? behaviour(call) : { code: 1, output: `unexpected ${tool}` }
  }
  return { run, calls }
}

function produce(content: string): Behaviour {
  return (call) => {
    fs.mkdirSync(path.join(call.cwd, 'build', 'Release'), { recursive: true })
    fs.writeFileSync(path.join(call.cwd, 'build', 'Release', ADDON_FILE), content)
    return { code: 0, output: 'ok' }
  }
}

const offline: Behaviour = () => ({
  code: 1,
  output: 'prebuild-install warn install getaddrinfo ENOTFOUND github.com',
})

function deps(root: string, run: RunCommand, progress: string[]): PrepareDeps {
  return {
    appRoot: root,
    cacheDir: path.join(root, 'cache'),
    electronPath: '/opt/electron',
    run,
    progress: (line) => progress.push(line),
    nodePath: '/usr/bin/node',
    platform: 'linux',
    arch: 'x64',
  }
}

const entry45 = bindingEntryName({
  electron: '45.4.1',
  abi: '150',
  platform: 'linux',
  arch: 'x64',
  sqliteVersion: '12.11.1',
})

describe('prepareElectronSqlite', () => {
  it('downloads a prebuilt module on the first start, with a progress line, then reuses it', async () => {
    const root = checkout()
    const progress: string[] = []
    const fake = fakeRunner({ prebuild: produce('electron build') })
    const first = await prepareElectronSqlite(deps(root, fake.run, progress))

    const addon = path.join(root, 'cache', entry45, ADDON_FILE)
    expect(first).toMatchObject({ kind: 'ready', source: 'prebuilt', path: addon })
    expect(fs.readFileSync(addon, 'utf8')).toBe('electron build')
    expect(progress).toEqual([expect.stringMatching(/first desktop start.*Electron 45\.4\.1/)])
    const [call] = fake.calls
    expect(call?.args.slice(1)).toEqual([
      '--runtime',
      'electron',
      '--target',
      '45.4.1',
      '--arch',
      'x64',
      '--platform',
      'linux',
      '--verbose',
    ])
    // It ran in a staging folder, never in node_modules: the Node build is untouched.
    expect(call?.cwd.startsWith(path.join(root, 'cache'))).toBe(true)
    const nodeBuild = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release')
    expect(fs.readFileSync(path.join(nodeBuild, ADDON_FILE), 'utf8')).toBe('node build')
    expect(fs.readdirSync(path.join(root, 'cache'))).toEqual([entry45])

    const again = await prepareElectronSqlite(deps(root, fake.run, progress))
    expect(again).toMatchObject({ kind: 'ready', source: 'cache', path: addon })
    expect(fake.calls).toHaveLength(1)
    expect(progress).toHaveLength(1)
  })

  it('compiles against Electron headers when no prebuilt module can be downloaded', async () => {
    const root = checkout()
    const progress: string[] = []
    const fake = fakeRunner({ prebuild: offline, gyp: produce('compiled build') })
    const outcome = await prepareElectronSqlite(deps(root, fake.run, progress))
    expect(outcome).toMatchObject({ kind: 'ready', source: 'compiled' })
    const gyp = fake.calls[1] as Call
    expect(gyp.tool).toBe('gyp')
    expect(gyp.args).toContain('--target=45.4.1')
    expect(gyp.args).toContain('--dist-url=https://electronjs.org/headers')
    expect(gyp.args).toContain(`--devdir=${path.join(root, 'cache', '.electron-gyp')}`)
    // The compile had the sources (copied into staging), not a build of node_modules in place.
    expect(gyp.cwd).not.toContain('node_modules')
    expect(progress[1]).toMatch(/compiling one/)
  })

  it('rebuilds when the Electron version changed and drops the old build', async () => {
    const root = checkout('44.0.0', '145')
    const progress: string[] = []
    const fake = fakeRunner({ prebuild: produce('electron 44') })
    await prepareElectronSqlite(deps(root, fake.run, progress))

    fs.writeFileSync(
      path.join(root, 'node_modules', 'electron', 'package.json'),
      '{"version":"45.4.1"}',
    )
    fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'abi_version'), '150')
    const upgraded = fakeRunner({ prebuild: produce('electron 45') })
    const outcome = await prepareElectronSqlite(deps(root, upgraded.run, progress))
    expect(outcome).toMatchObject({ kind: 'ready', source: 'prebuilt' })
    expect(progress[1]).toMatch(/Electron changed \(44\.0\.0 -> 45\.4\.1\)/)
    expect(listBindingCache(path.join(root, 'cache'))).toEqual([entry45])
  })

  it('asks Electron for its ABI when its package does not say', async () => {
    const root = checkout('45.4.1', null)
    const fake = fakeRunner({
      electron: () => ({ code: 0, output: '150\n' }),
      prebuild: produce('electron build'),
    })
    const outcome = await prepareElectronSqlite(deps(root, fake.run, []))
    expect(outcome).toMatchObject({ kind: 'ready', target: { abi: '150' } })
    expect(fake.calls[0]).toMatchObject({
      tool: 'electron',
      args: ['-p', 'process.versions.modules'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    })
  })

  it('gives up with one reason and a log when offline, leaving no partial entry', async () => {
    const root = checkout()
    const fake = fakeRunner({
      prebuild: offline,
      gyp: () => ({
        code: 1,
        output: 'gyp ERR! stack Error: ... is related to network connectivity.',
      }),
    })
    const outcome = await prepareElectronSqlite(deps(root, fake.run, []))
    expect(outcome).toEqual({
      kind: 'unavailable',
      reason:
        "no prebuilt module could be downloaded (offline?), and Electron's headers could not be downloaded to compile one",
      logFile: path.join(root, 'cache', FAILURE_LOG),
    })
    expect(fs.readFileSync(path.join(root, 'cache', FAILURE_LOG), 'utf8')).toMatch(/ENOTFOUND/)
    expect(fs.readdirSync(path.join(root, 'cache'))).toEqual([FAILURE_LOG])
  })

  it('names missing build tools', () => {
    const reason = explainBuildFailure(
      { code: 1, output: '404 Not Found' },
      { code: 1, output: 'gyp ERR! find Python Python is not set... Could not find any Python' },
    )
    expect(reason).toBe(
      'no prebuilt module exists for this Electron, and no C++ build tools (a compiler, make, Python) are installed to compile one',
    )
  })

  it('says so when the electron package itself is missing', async () => {
    const root = checkout()
    fs.rmSync(path.join(root, 'node_modules', 'electron'), { recursive: true })
    const fake = fakeRunner({})
    expect(await prepareElectronSqlite(deps(root, fake.run, []))).toEqual({
      kind: 'unavailable',
      reason: 'the electron package is not installed',
      logFile: null,
    })
    expect(fake.calls).toEqual([])
  })
})

describe('discardElectronSqlite', () => {
  it('removes a cache entry Electron could not load, and nothing outside the cache', async () => {
    const root = checkout()
    const fake = fakeRunner({ prebuild: produce('broken download') })
    const outcome = await prepareElectronSqlite(deps(root, fake.run, []))
    if (outcome.kind !== 'ready') throw new Error('expected a build')
    const nodeAddon = path.join(
      root,
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      ADDON_FILE,
    )
    discardElectronSqlite(path.join(root, 'cache'), nodeAddon)
    expect(fs.existsSync(nodeAddon)).toBe(true)
    discardElectronSqlite(path.join(root, 'cache'), outcome.path)
    expect(listBindingCache(path.join(root, 'cache'))).toEqual([])
  })
})
