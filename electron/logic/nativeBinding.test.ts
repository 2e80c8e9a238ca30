import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ADDON_FILE,
  bindingEntryName,
  chooseSqliteBinding,
  describeBindingChoice,
  electronSqliteCacheDir,
  listBindingCache,
  nativeBindingPath,
  parseBindingEntryName,
  resolveSqliteBinding,
  type BindingChoiceInput,
  type BindingTarget,
} from './nativeBinding.js'

const electron45: BindingTarget = {
  electron: '45.4.1',
  abi: '150',
  platform: 'linux',
  arch: 'x64',
  sqliteVersion: '12.11.1',
}
const electron44: BindingTarget = { ...electron45, electron: '44.0.0', abi: '145' }

function input(overrides: Partial<BindingChoiceInput> = {}): BindingChoiceInput {
  return {
    runtime: { electron: '45.4.1', modules: '150' },
    packaged: false,
    platform: 'linux',
    arch: 'x64',
    sqliteVersion: '12.11.1',
    cacheDir: '/cache',
    cached: [],
    ...overrides,
  }
}

describe('bindingEntryName', () => {
  it('round-trips every part, prerelease versions included', () => {
    const beta = { ...electron45, electron: '46.0.0-beta.2', sqliteVersion: '13.0.0-rc.1' }
    expect(bindingEntryName(electron45)).toBe(
      'electron-45.4.1__abi150__linux-x64__better-sqlite3-12.11.1',
    )
    expect(parseBindingEntryName(bindingEntryName(beta))).toEqual(beta)
    expect(parseBindingEntryName('.staging-abc')).toBeNull()
    expect(parseBindingEntryName('electron-45__abi150__linux-x64')).toBeNull()
  })
})

describe('chooseSqliteBinding', () => {
  it('uses the Node build under plain Node, whatever the cache holds', () => {
    const choice = chooseSqliteBinding(
      input({ runtime: { modules: '115' }, cached: [bindingEntryName(electron45)] }),
    )
    expect(choice).toEqual({ kind: 'node' })
    expect(nativeBindingPath(choice)).toBeUndefined()
  })

  it('uses the build packaged for Electron in a packaged app', () => {
    expect(chooseSqliteBinding(input({ packaged: true }))).toEqual({ kind: 'packaged' })
  })

  it('uses the cached build that matches the Electron ABI', () => {
    const choice = chooseSqliteBinding(input({ cached: [bindingEntryName(electron45)] }))
    const file = path.join('/cache', bindingEntryName(electron45), ADDON_FILE)
    expect(choice).toEqual({ kind: 'cached', target: electron45, path: file })
    expect(nativeBindingPath(choice)).toBe(file)
  })

  it('says a build is missing on the first desktop start', () => {
    const choice = chooseSqliteBinding(input())
    expect(choice).toEqual({ kind: 'missing', target: electron45 })
    expect(describeBindingChoice(choice)).toBe(
      'better-sqlite3 needs a build for Electron 45.4.1 (ABI 150)',
    )
  })

  it('says the build is stale when the Electron version changed', () => {
    const choice = chooseSqliteBinding(input({ cached: [bindingEntryName(electron44)] }))
    expect(choice).toEqual({
      kind: 'stale',
      target: electron45,
      found: electron44,
      changed: 'electron',
    })
    expect(describeBindingChoice(choice)).toMatch(/for Electron 44\.0\.0, but Electron 45\.4\.1/)
  })

  it('says the build is stale when better-sqlite3 was updated under the same Electron', () => {
    const older = { ...electron45, sqliteVersion: '12.4.1' }
    const choice = chooseSqliteBinding(input({ cached: [bindingEntryName(older)] }))
    expect(choice).toMatchObject({ kind: 'stale', changed: 'better-sqlite3', found: older })
  })

  it('ignores builds for another platform or arch', () => {
    const mac = { ...electron44, platform: 'darwin', arch: 'arm64' }
    expect(chooseSqliteBinding(input({ cached: [bindingEntryName(mac)] })).kind).toBe('missing')
  })
})

describe('reading the cache', () => {
  function tempRoot(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'wm-binding-'))
  }

  it('lists only complete entries', () => {
    const cacheDir = tempRoot()
    const complete = bindingEntryName(electron45)
    fs.mkdirSync(path.join(cacheDir, complete))
    fs.writeFileSync(path.join(cacheDir, complete, ADDON_FILE), 'addon')
    fs.mkdirSync(path.join(cacheDir, bindingEntryName(electron44))) // interrupted: no addon
    fs.mkdirSync(path.join(cacheDir, '.staging-x'))
    expect(listBindingCache(cacheDir)).toEqual([complete])
    expect(listBindingCache(path.join(cacheDir, 'absent'))).toEqual([])
  })

  it('resolves the binding for the running Electron from the checkout', () => {
    const appRoot = tempRoot()
    const sqliteDir = path.join(appRoot, 'node_modules', 'better-sqlite3')
    fs.mkdirSync(sqliteDir, { recursive: true })
    fs.writeFileSync(path.join(sqliteDir, 'package.json'), '{"version":"12.11.1"}')
    const resolve = () =>
      resolveSqliteBinding({
        appRoot,
        packaged: false,
        versions: { electron: '45.4.1', modules: '150' },
        platform: 'linux',
        arch: 'x64',
      })
    expect(resolve().kind).toBe('missing')

    const entry = path.join(electronSqliteCacheDir(appRoot), bindingEntryName(electron45))
    fs.mkdirSync(entry, { recursive: true })
    fs.writeFileSync(path.join(entry, ADDON_FILE), 'addon')
    expect(resolve()).toEqual({
      kind: 'cached',
      target: electron45,
      path: path.join(entry, ADDON_FILE),
    })
  })
})
