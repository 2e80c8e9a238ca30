#!/usr/bin/env node
// `npm start`: the desktop app (Electron). The first desktop start prepares Electron's own build of
// better-sqlite3 beside the Node one (electron/logic/prepareNativeBinding.ts) and reuses it afterwards.
// Where Electron cannot start (no binary, as on machines that cannot download it) or that build cannot
// be had (offline, no compiler), says so in one line and runs headless instead.
// `npm run start:headless`: the server alone, printing the dashboard URL with its one-time token.
// Both build what is missing or out of date first.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const headless = args.includes('--headless') || process.env.WM_HEADLESS === '1'
const passArgs = args.filter((arg) => arg !== '--headless' && arg !== '--desktop')

function newestMtime(dir, skip = () => false) {
  let newest = 0
  if (!fs.existsSync(dir)) return newest
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (skip(full)) continue
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full, skip) : fs.statSync(full).mtimeMs,
    )
  }
  return newest
}

const isTestFile = (file) =>
  /\.test\.ts$/.test(file) || file.includes(`${path.sep}testing${path.sep}`)
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)

function run(label, command, commandArgs) {
  process.stdout.write(`wm-companion: building ${label}...\n`)
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    process.stderr.write(
      `wm-companion: building ${label} failed (exit ${result.status}); see the output above.\n`,
    )
    process.exit(1)
  }
}

function ensureBuilt() {
  const bin = (name) => path.join(root, 'node_modules', '.bin', name)
  const serverOut = path.join(root, 'dist', 'server', 'headless.js')
  const serverSources = Math.max(
    newestMtime(path.join(root, 'server'), isTestFile),
    newestMtime(path.join(root, 'electron'), isTestFile),
  )
  if (mtime(serverOut) < serverSources) run('the server', bin('tsc'), ['-p', 'tsconfig.build.json'])
  const rendererOut = path.join(root, 'dist', 'renderer', 'index.html')
  const rendererSources = Math.max(
    newestMtime(path.join(root, 'renderer')),
    newestMtime(path.join(root, 'server', 'contracts')),
  )
  if (mtime(rendererOut) < rendererSources)
    run('the dashboard', bin('vite'), ['build', '--logLevel', 'warn'])
}

async function runHeadless(mode) {
  const { runHeadless: start } = await import(
    pathToFileURL(path.join(root, 'dist', 'server', 'headless.js')).href
  )
  await start(passArgs, mode)
}

/** Finds the Electron binary; on a first start the electron package tries to download it. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
  })
  if (probe.status === 0 && probe.stdout && fs.existsSync(probe.stdout))
    return { path: probe.stdout }
  const detail = `${probe.stderr ?? ''}${probe.error?.message ?? ''}`
  const reason = /failed to install correctly/i.test(detail)
    ? 'its binary is not installed and could not be downloaded'
    : (detail.trim().split('\n').pop() ?? 'unknown error')
  return { reason }
}

/** Runs a build tool quietly: its output goes to the failure log, not the terminal. */
function runQuietly(command, commandArgs, options) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}\n` }))
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** Electron's better-sqlite3 build: cached, downloaded or compiled; or the reason there is none. */
async function prepareSqliteForElectron(electronPath) {
  const dist = path.join(root, 'dist', 'electron', 'logic')
  const { electronSqliteCacheDir } = await import(
    pathToFileURL(path.join(dist, 'nativeBinding.js')).href
  )
  const { prepareElectronSqlite, discardElectronSqlite } = await import(
    pathToFileURL(path.join(dist, 'prepareNativeBinding.js')).href
  )
  const cacheDir = electronSqliteCacheDir(root)
  const outcome = await prepareElectronSqlite({
    appRoot: root,
    cacheDir,
    electronPath,
    run: runQuietly,
    progress: (line) => process.stdout.write(`${line}\n`),
    nodePath: process.execPath,
    platform: process.platform,
    arch: process.arch,
  })
  return { outcome, discard: (file) => discardElectronSqlite(cacheDir, file) }
}

function fallBackToHeadless(line, mode) {
  process.stdout.write(`wm-companion: ${line}; running headless instead.\n`)
  return runHeadless(mode)
}

function launchElectron(electronPath, sqlite) {
  // electron/main.ts finds the same cached build (resolveSqliteBinding) and passes it to the server.
  const child = spawn(electronPath, [root, ...passArgs], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => {
    // Exit code 3: the SQLite module could not load in Electron (electron/logic/startErrors.ts). A
    // cached build that fails to load is dropped, so the next start builds it again.
    if (code === 3) {
      sqlite.discard(sqlite.outcome.path)
      fallBackToHeadless(
        'the desktop app could not load its SQLite module (it is rebuilt at the next start)',
        'headless: native module did not load',
      ).catch((error) => {
        process.stderr.write(`wm-companion: failed to start: ${error?.stack ?? error}\n`)
        process.exit(1)
      })
      return
    }
    process.exit(code ?? (signal ? 1 : 0))
  })
}

async function startDesktop() {
  const electron = findElectron()
  if (!electron.path) {
    return fallBackToHeadless(
      `Electron cannot start here (${electron.reason})`,
      'headless: Electron unavailable',
    )
  }
  const sqlite = await prepareSqliteForElectron(electron.path)
  const { outcome } = sqlite
  if (outcome.kind === 'unavailable') {
    const log = outcome.logFile ? ` (details: ${outcome.logFile})` : ''
    return fallBackToHeadless(
      `the desktop app needs an Electron build of its SQLite module: ${outcome.reason}${log}`,
      'headless: no SQLite build for Electron',
    )
  }
  if (outcome.source !== 'cache') {
    process.stdout.write(
      `wm-companion: SQLite module for Electron ${outcome.target.electron} ready (${outcome.source}).\n`,
    )
  }
  launchElectron(electron.path, sqlite)
}

ensureBuilt()
if (headless) await runHeadless('headless')
else await startDesktop()
