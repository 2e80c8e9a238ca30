import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface LaunchedServer {
  process: ChildProcess
  dataDir: string
  loginUrl: string
  localUrl: string
  publicListenUrl: string
  output(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * Starts the headless server as a real process on free ports and waits for its banner. Browser tests
 * drive it exactly as a streamer would. It runs the TypeScript sources through tsx (the same code that
 * dist/ is compiled from); the dashboard itself is served from the Vite build in dist/renderer.
 */
export async function launchServer(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<LaunchedServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wm-e2e-'))
  return spawnServer(
    {
      ...process.env,
      WM_DATA_DIR: dir,
      WM_LOCAL_PORT: '0',
      WM_PUBLIC_PORT: '0',
      WM_LOG_LEVEL: 'warn',
      ...env,
    },
    [],
    dir,
  )
}

/**
 * Starts the server as a streamer would on first run: no WM_* environment variable at all (those of
 * the test runner are removed). Only the command line picks a fresh data folder and free ports, so
 * tests never touch the real default folder or ports.
 */
export async function launchFreshServer(): Promise<LaunchedServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-e2e-fresh-'))
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('WM_')),
  )
  const args = ['--data-dir', dir, '--local-port', '0', '--public-port', '0', '--sandbox-port', '0']
  return spawnServer(env, args, dir)
}

async function spawnServer(
  env: NodeJS.ProcessEnv,
  args: string[],
  dir: string,
): Promise<LaunchedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/headless.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000)
    const check = () => {
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  const match = (re: RegExp) => {
    const found = re.exec(out)?.[1]
    if (!found) throw new Error(`banner without ${re}:\n${out}`)
    return found
  }
  return {
    process: child,
    dataDir: dir,
    loginUrl: match(/Dashboard:\s+(\S+)/),
    localUrl: match(/Listening:\s+local (\S+),/),
    publicListenUrl: match(/, public (\S+)/),
    output: () => out,
    stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode)
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code))
        child.kill(signal)
      })
    },
  }
}

/** The sandbox wallet's URL, as the start-up banner prints it. */
export function sandboxUrlOf(server: LaunchedServer): string {
  const found = /Sandbox wallet \(play money\): (http:\/\/\S+?)\/?\s/.exec(server.output())?.[1]
  if (!found) throw new Error(`no sandbox URL in the banner:\n${server.output()}`)
  return found
}
