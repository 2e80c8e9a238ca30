/**
 * Which build of better-sqlite3 a process loads (DESIGN §9). `npm install` compiles it for the installed
 * Node; Electron embeds a Node with another module ABI, so the same binary cannot load there. A source
 * checkout therefore keeps the Node build in node_modules (tests, headless) and an Electron build beside
 * it in a cache folder, one entry per Electron version, ABI, platform, arch and better-sqlite3 version,
 * handed to better-sqlite3 through its `nativeBinding` option. Packaged builds need none of this:
 * electron-builder rebuilds node_modules for Electron (`npmRebuild`).
 *
 * The choice is pure; the few file reads sit in small functions beside it. Tested under Node.
 */
import fs from 'node:fs'
import path from 'node:path'

/** The better-sqlite3 addon's file name inside a build or cache entry. */
export const ADDON_FILE = 'better_sqlite3.node'

/** What is about to load better-sqlite3: `process.versions`, or the installed Electron's versions. */
export interface BindingRuntime {
  /** Absent under plain Node. */
  electron?: string
  /** The native module ABI (NODE_MODULE_VERSION). */
  modules: string
}

/** One Electron build of better-sqlite3: what it was built for. */
export interface BindingTarget {
  electron: string
  abi: string
  platform: string
  arch: string
  sqliteVersion: string
}

export type BindingChoice =
  /** Plain Node: the build `npm install` made in node_modules. */
  | { kind: 'node' }
  /** A packaged app: electron-builder rebuilt node_modules for this Electron. */
  | { kind: 'packaged' }
  | { kind: 'cached'; target: BindingTarget; path: string }
  /** No Electron build yet (the first desktop start). */
  | { kind: 'missing'; target: BindingTarget }
  /** Only builds for another Electron (or another better-sqlite3): the version changed. */
  | {
      kind: 'stale'
      target: BindingTarget
      found: BindingTarget
      changed: 'electron' | 'better-sqlite3'
    }

export interface BindingChoiceInput {
  runtime: BindingRuntime
  packaged: boolean
  platform: string
  arch: string
  /** The installed better-sqlite3's version: its JavaScript and its addon must match. */
  sqliteVersion: string
  cacheDir: string
  /** Names of the cache entries holding a complete build (listBindingCache). */
  cached: readonly string[]
}

const SEPARATOR = '__'

/** `electron-45.4.1__abi150__linux-x64__better-sqlite3-12.11.1`: readable, and no version holds `__`. */
export function bindingEntryName(target: BindingTarget): string {
  return [
    `electron-${target.electron}`,
    `abi${target.abi}`,
    `${target.platform}-${target.arch}`,
    `better-sqlite3-${target.sqliteVersion}`,
  ].join(SEPARATOR)
}

export function parseBindingEntryName(name: string): BindingTarget | null {
  const parts = name.split(SEPARATOR)
  if (parts.length !== 4) return null
  const [electron, abi, system, sqlite] = parts as [string, string, string, string]
  const electronMatch = /^electron-(.+)$/.exec(electron)
  const abiMatch = /^abi(\d+)$/.exec(abi)
  const systemMatch = /^([a-z0-9]+)-([a-z0-9]+)$/.exec(system)
  const sqliteMatch = /^better-sqlite3-(.+)$/.exec(sqlite)
  if (!electronMatch || !abiMatch || !systemMatch || !sqliteMatch) return null
  return {
    electron: electronMatch[1] as string,
    abi: abiMatch[1] as string,
    platform: systemMatch[1] as string,
    arch: systemMatch[2] as string,
    sqliteVersion: sqliteMatch[1] as string,
  }
}

export function chooseSqliteBinding(input: BindingChoiceInput): BindingChoice {
  const { runtime } = input
  if (!runtime.electron) return { kind: 'node' }
  if (input.packaged) return { kind: 'packaged' }
  const target: BindingTarget = {
    electron: runtime.electron,
    abi: runtime.modules,
    platform: input.platform,
    arch: input.arch,
    sqliteVersion: input.sqliteVersion,
  }
  const wanted = bindingEntryName(target)
  if (input.cached.includes(wanted)) {
    return { kind: 'cached', target, path: path.join(input.cacheDir, wanted, ADDON_FILE) }
  }
  // Builds for another machine (a cache folder copied along) say nothing about this one.
  const others = input.cached
    .map(parseBindingEntryName)
    .filter(
      (entry): entry is BindingTarget =>
        entry !== null && entry.platform === target.platform && entry.arch === target.arch,
    )
  const found = others.find((entry) => entry.electron !== target.electron) ?? others[0]
  if (!found) return { kind: 'missing', target }
  return {
    kind: 'stale',
    target,
    found,
    changed: found.electron !== target.electron ? 'electron' : 'better-sqlite3',
  }
}

/** One line for the terminal or an error box. */
export function describeBindingChoice(choice: BindingChoice): string {
  switch (choice.kind) {
    case 'node':
      return 'using the better-sqlite3 build for Node.js (node_modules)'
    case 'packaged':
      return 'using the better-sqlite3 build packaged for this Electron'
    case 'cached':
      return `using the better-sqlite3 build for Electron ${choice.target.electron} at ${choice.path}`
    case 'missing':
      return `better-sqlite3 needs a build for Electron ${choice.target.electron} (ABI ${choice.target.abi})`
    case 'stale':
      return choice.changed === 'electron'
        ? `the better-sqlite3 build is for Electron ${choice.found.electron}, but Electron ${choice.target.electron} (ABI ${choice.target.abi}) is installed: it needs a new build`
        : `the better-sqlite3 build is for better-sqlite3 ${choice.found.sqliteVersion}, but ${choice.target.sqliteVersion} is installed: it needs a new build`
  }
}

/** Where a source checkout keeps its Electron builds: beside the Node build, wiped with node_modules. */
export function electronSqliteCacheDir(appRoot: string): string {
  return path.join(appRoot, 'node_modules', '.cache', 'wm-companion', 'better-sqlite3-electron')
}

/** The entries of the cache that hold a complete build (a build is moved in only once finished). */
export function listBindingCache(cacheDir: string): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(cacheDir)
  } catch {
    return []
  }
  return names
    .filter((name) => parseBindingEntryName(name) !== null)
    .filter((name) => fs.existsSync(path.join(cacheDir, name, ADDON_FILE)))
    .sort()
}

export function readPackageVersion(packageDir: string): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      version?: unknown
    }
    return typeof pkg.version === 'string' ? pkg.version : null
  } catch {
    return null
  }
}

export interface ResolveBindingInput {
  appRoot: string
  /** `app.isPackaged`. */
  packaged: boolean
  /** `process.versions`. */
  versions: BindingRuntime
  platform: string
  arch: string
}

/**
 * For electron/main.ts: the binding this process should open the database with. `cached` gives the
 * path for `startServer({ nativeBinding })`; `missing` and `stale` mean `npm start` has not prepared
 * one for this Electron yet (see explainBindingChoice in startErrors.ts).
 */
export function resolveSqliteBinding(input: ResolveBindingInput): BindingChoice {
  const cacheDir = electronSqliteCacheDir(input.appRoot)
  const sqliteVersion =
    readPackageVersion(path.join(input.appRoot, 'node_modules', 'better-sqlite3')) ?? 'unknown'
  return chooseSqliteBinding({
    runtime: input.versions,
    packaged: input.packaged,
    platform: input.platform,
    arch: input.arch,
    sqliteVersion,
    cacheDir,
    cached: input.versions.electron && !input.packaged ? listBindingCache(cacheDir) : [],
  })
}

/** The `nativeBinding` option to pass on: only a cached Electron build needs one. */
export function nativeBindingPath(choice: BindingChoice): string | undefined {
  return choice.kind === 'cached' ? choice.path : undefined
}
