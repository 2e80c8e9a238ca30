#!/usr/bin/env node
// `npm run sign-in-link`: a fresh one-time dashboard sign-in URL from the WM Companion running on this
// data folder (WM_DATA_DIR or --data-dir, else the default), without restarting it. It reads the
// control record the running server keeps in the data folder and asks the server's local listener
// (server/app/control.ts). Prints only the URL on stdout, so it can be piped; exits 1 when nothing runs.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// Under tsx (tests, a checkout without a build) the sources; otherwise the build the server runs from.
const fromSource = process.execArgv.some((arg) => arg.includes('tsx'))
const modulePath = (relative) =>
  fromSource
    ? path.join(root, 'server', `${relative}.ts`)
    : path.join(root, 'dist', 'server', `${relative}.js`)

function fail(message, code) {
  process.stderr.write(`wm-companion: ${message}\n`)
  process.exit(code)
}

if (!fs.existsSync(modulePath('app/control'))) {
  fail('WM Companion is not built here (run npm run build), so it cannot be running from here.', 1)
}
const { ConfigError, loadConfig } = await import(pathToFileURL(modulePath('config/config')).href)
const { requestSignInLink } = await import(pathToFileURL(modulePath('app/control')).href)

let config
try {
  config = loadConfig(process.env, process.argv.slice(2))
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2)
  throw error
}
const result = await requestSignInLink(config.dataDir)
if (!result.ok) fail(result.message, 1)
process.stdout.write(`${result.url}\n`)
