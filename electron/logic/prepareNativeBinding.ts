/**
 * What `npm start` does before it opens the desktop app: make sure an Electron build of better-sqlite3
 * sits in the cache (nativeBinding.ts), beside the Node build that tests and headless mode keep using.
 * The first desktop start downloads a prebuilt one for the installed Electron (prebuild-install, the
 * tool better-sqlite3's own install uses) or, failing that, compiles one against Electron's headers
 * (node-gyp); later starts reuse it; a new Electron version gets a new build. Only when neither works
 * (offline, no compiler) does the start script fall back to headless, saying why in one line.
 *
 * Commands run through an injected runner, so the whole flow is tested under Node with a fake one (the
 * real downloads cannot run on the development machines).
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  ADDON_FILE,
  bindingEntryName,
  chooseSqliteBinding,
  listBindingCache,
  parseBindingEntryName,
  readPackageVersion,
  type BindingTarget,
} from './nativeBinding.js'

export interface CommandResult {
  /** null when the command could not be started or was killed. */
  code: number | null
  /** stdout and stderr together. */
  output: string
}

export type RunCommand = (
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
) => Promise<CommandResult>

export interface PrepareDeps {
  /** The checkout: node_modules/{electron,better-sqlite3,prebuild-install,node-gyp} live under it. */
  appRoot: string
  cacheDir: string
  /** The Electron executable found by the start script (asked for its ABI when the package does not say). */
  electronPath: string
  run: RunCommand
  /** Progress lines for the terminal. */
  progress(line: string): void
  /** The Node that runs the tools (process.execPath). */
  nodePath: string
  platform: string
  arch: string
  /** Where node-gyp downloads Electron's headers from. */
  headersUrl?: string
}

export type PrepareOutcome =
  | {
      kind: 'ready'
      path: string
      source: 'cache' | 'prebuilt' | 'compiled'
      target: BindingTarget
    }
  | { kind: 'unavailable'; reason: string; logFile: string | null }

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'
export const FAILURE_LOG = 'last-failure.log'

/** The installed Electron's version and ABI: its package says both (`abi_version`), else Electron is asked. */
export async function readElectronTarget(
  deps: Pick<PrepareDeps, 'appRoot' | 'electronPath' | 'run' | 'platform' | 'arch'>,
): Promise<BindingTarget | { error: string }> {
  const electronDir = path.join(deps.appRoot, 'node_modules', 'electron')
  const electron = readPackageVersion(electronDir)
  if (!electron) return { error: 'the electron package is not installed' }
  const sqliteVersion = readPackageVersion(
    path.join(deps.appRoot, 'node_modules', 'better-sqlite3'),
  )
  if (!sqliteVersion) return { error: 'the better-sqlite3 package is not installed' }
  let abi = readTrimmed(path.join(electronDir, 'abi_version'))
  if (!abi) {
    const probe = await deps.run(deps.electronPath, ['-p', 'process.versions.modules'], {
      cwd: deps.appRoot,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    })
    const answer = probe.output.trim()
    if (probe.code !== 0 || !/^\d+$/.test(answer))
      return { error: `Electron ${electron} did not say its module ABI` }
    abi = answer
  }
  return { electron, abi, platform: deps.platform, arch: deps.arch, sqliteVersion }
}

function readTrimmed(file: string): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim()
    return /^\d+$/.test(text) ? text : null
  } catch {
    return null
  }
}

/** Makes sure the cache holds a build for the installed Electron; builds one if it does not. */
export async function prepareElectronSqlite(deps: PrepareDeps): Promise<PrepareOutcome> {
  const target = await readElectronTarget(deps)
  if ('error' in target) return { kind: 'unavailable', reason: target.error, logFile: null }
  const choice = chooseSqliteBinding({
    runtime: { electron: target.electron, modules: target.abi },
    packaged: false,
    platform: target.platform,
    arch: target.arch,
    sqliteVersion: target.sqliteVersion,
    cacheDir: deps.cacheDir,
    cached: listBindingCache(deps.cacheDir),
  })
  if (choice.kind === 'cached') {
    return { kind: 'ready', path: choice.path, source: 'cache', target }
  }
  if (choice.kind === 'stale' && choice.changed === 'electron') {
    deps.progress(
      `wm-companion: Electron changed (${choice.found.electron} -> ${target.electron}): preparing its SQLite module...`,
    )
  } else if (choice.kind === 'stale') {
    deps.progress(
      `wm-companion: better-sqlite3 changed (${choice.found.sqliteVersion} -> ${target.sqliteVersion}): preparing its Electron build...`,
    )
  } else {
    deps.progress(
      `wm-companion: first desktop start: preparing the SQLite module for Electron ${target.electron} (downloaded once, kept in ${deps.cacheDir})...`,
    )
  }
  return build(deps, target)
}

async function build(deps: PrepareDeps, target: BindingTarget): Promise<PrepareOutcome> {
  const sqliteDir = path.join(deps.appRoot, 'node_modules', 'better-sqlite3')
  fs.mkdirSync(deps.cacheDir, { recursive: true })
  const staging = fs.mkdtempSync(path.join(deps.cacheDir, '.staging-'))
  const built = path.join(staging, 'build', 'Release', ADDON_FILE)
  try {
    // prebuild-install reads the package's name, version and repository from the working folder and
    // unpacks build/Release/better_sqlite3.node there: a copy of package.json keeps node_modules intact.
    fs.copyFileSync(path.join(sqliteDir, 'package.json'), path.join(staging, 'package.json'))
    const prebuilt = await deps.run(
      deps.nodePath,
      [
        path.join(deps.appRoot, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime',
        'electron',
        '--target',
        target.electron,
        '--arch',
        target.arch,
        '--platform',
        target.platform,
        '--verbose',
      ],
      { cwd: staging },
    )
    if (prebuilt.code === 0 && fs.existsSync(built)) {
      return { ...install(deps.cacheDir, target, built), source: 'prebuilt', target }
    }

    deps.progress(
      `wm-companion: no prebuilt module for Electron ${target.electron}; compiling one (about two minutes)...`,
    )
    for (const part of ['binding.gyp', 'src', 'deps']) {
      fs.cpSync(path.join(sqliteDir, part), path.join(staging, part), { recursive: true })
    }
    const compiled = await deps.run(
      deps.nodePath,
      [
        path.join(deps.appRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
        'rebuild',
        '--release',
        `--target=${target.electron}`,
        `--arch=${target.arch}`,
        `--dist-url=${deps.headersUrl ?? ELECTRON_HEADERS_URL}`,
        `--devdir=${path.join(deps.cacheDir, '.electron-gyp')}`,
      ],
      { cwd: staging },
    )
    if (compiled.code === 0 && fs.existsSync(built)) {
      return { ...install(deps.cacheDir, target, built), source: 'compiled', target }
    }

    const logFile = path.join(deps.cacheDir, FAILURE_LOG)
    fs.writeFileSync(
      logFile,
      `prebuild-install (exit ${prebuilt.code}):\n${prebuilt.output}\n\nnode-gyp (exit ${compiled.code}):\n${compiled.output}\n`,
    )
    return { kind: 'unavailable', reason: explainBuildFailure(prebuilt, compiled), logFile }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

/** Moves a finished build into its entry in one rename, then drops the entries it replaces. */
function install(
  cacheDir: string,
  target: BindingTarget,
  builtFile: string,
): { kind: 'ready'; path: string } {
  const name = bindingEntryName(target)
  const entry = path.join(cacheDir, name)
  const pending = path.join(cacheDir, `.pending-${process.pid}-${name}`)
  fs.rmSync(pending, { recursive: true, force: true })
  fs.mkdirSync(pending)
  fs.copyFileSync(builtFile, path.join(pending, ADDON_FILE))
  fs.rmSync(entry, { recursive: true, force: true })
  try {
    fs.renameSync(pending, entry)
  } catch (error) {
    // Another start finished the same build first: theirs is as good as ours.
    fs.rmSync(pending, { recursive: true, force: true })
    if (!fs.existsSync(path.join(entry, ADDON_FILE))) throw error
  }
  for (const other of fs.readdirSync(cacheDir)) {
    const parsed = parseBindingEntryName(other)
    if (
      other !== name &&
      parsed &&
      parsed.platform === target.platform &&
      parsed.arch === target.arch
    ) {
      fs.rmSync(path.join(cacheDir, other), { recursive: true, force: true })
    }
  }
  fs.rmSync(path.join(cacheDir, FAILURE_LOG), { force: true })
  return { kind: 'ready', path: path.join(entry, ADDON_FILE) }
}

/**
 * A cached build that Electron could not load (a broken download, a changed system library) is
 * removed, so the next `npm start` builds it again instead of failing the same way forever.
 */
export function discardElectronSqlite(cacheDir: string, addonPath: string): void {
  const entry = path.dirname(path.resolve(addonPath))
  // Only an entry of the cache, never the Node build in node_modules/better-sqlite3.
  if (
    path.dirname(entry) !== path.resolve(cacheDir) ||
    !parseBindingEntryName(path.basename(entry))
  )
    return
  fs.rmSync(entry, { recursive: true, force: true })
}

const NETWORK =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network connectivity|socket hang up/i
const NO_COMPILER =
  /find any Python|not found: (make|g\+\+|cc|c\+\+)|(g\+\+|c\+\+|cc|make): (command )?not found|spawn (make|g\+\+|cc) ENOENT|find (any )?Visual Studio|xcrun: error|No Xcode or CLT/i

/** The one line the start script prints before it falls back to headless. */
export function explainBuildFailure(prebuilt: CommandResult, compiled: CommandResult): string {
  const noDownload = NETWORK.test(prebuilt.output)
    ? 'no prebuilt module could be downloaded (offline?)'
    : 'no prebuilt module exists for this Electron'
  if (NETWORK.test(compiled.output))
    return `${noDownload}, and Electron's headers could not be downloaded to compile one`
  if (NO_COMPILER.test(compiled.output))
    return `${noDownload}, and no C++ build tools (a compiler, make, Python) are installed to compile one`
  return `${noDownload}, and compiling one failed`
}
