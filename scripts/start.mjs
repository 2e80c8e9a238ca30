#!/usr/bin/env node
// `npm start`: the desktop app (Electron). Where Electron cannot start (no binary, as on machines that
// cannot download it), says so in one line and runs headless instead.
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

ensureBuilt()
if (headless) {
  await runHeadless('headless')
} else {
  const electron = findElectron()
  if (!electron.path) {
    process.stdout.write(
      `wm-companion: Electron cannot start here (${electron.reason}); running headless instead.\n`,
    )
    await runHeadless('headless: Electron unavailable')
  } else {
    const child = spawn(electron.path, [root, ...passArgs], { stdio: 'inherit' })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('exit', (code, signal) => {
      // Exit code 3: better-sqlite3 is built for Node, not for this Electron (electron/logic/startErrors.ts).
      if (code === 3) {
        process.stdout.write(
          'wm-companion: the desktop app cannot open its database with this build; running headless instead.\n',
        )
        runHeadless('headless: native module built for Node').catch((error) => {
          process.stderr.write(`wm-companion: failed to start: ${error?.stack ?? error}\n`)
          process.exit(1)
        })
        return
      }
      process.exit(code ?? (signal ? 1 : 0))
    })
  }
}
