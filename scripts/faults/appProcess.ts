/** Starts, kills and restarts the app child of the fault run and the soak (scripts/faults/app.ts). */
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import readline from 'node:readline'

export interface AppUrls {
  localUrl: string
  publicUrl: string
  loginUrl: string
}

export interface AppProcess {
  start(): Promise<AppUrls>
  kill(): Promise<void>
  stop(): Promise<void>
  pid(): number | undefined
  /** Lines the app wrote at error or fatal level. */
  errorLines: string[]
}

export function appProcess(root: string, env: Record<string, string>): AppProcess {
  let child: ChildProcess | undefined
  const errorLines: string[] = []
  function exited(proc: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve()
      else proc.once('exit', () => resolve())
    })
  }
  return {
    errorLines,
    pid: () => child?.pid,
    start() {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'scripts', 'faults', 'app.ts')],
        {
          cwd: root,
          env: { ...process.env, WM_LOG_FORMAT: 'json', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      child = proc
      return new Promise<AppUrls>((resolve, reject) => {
        const lines = readline.createInterface({ input: proc.stdout! })
        lines.on('line', (line) => {
          let entry: { ready?: boolean; level?: number } & Partial<AppUrls>
          try {
            entry = JSON.parse(line) as typeof entry
          } catch {
            return
          }
          if (entry.ready) resolve(entry as AppUrls)
          else if ((entry.level ?? 0) >= 50) errorLines.push(line)
        })
        proc.stderr!.on('data', (data: Buffer) => {
          const text = data.toString('utf8')
          if (!/ExperimentalWarning|DeprecationWarning|--trace-warnings/.test(text))
            errorLines.push(text.trim())
        })
        proc.once('exit', (code, signal) =>
          reject(new Error(`the app exited before listening (${code ?? signal})`)),
        )
      })
    },
    async kill() {
      if (!child) return
      child.kill('SIGKILL')
      await exited(child)
      child = undefined
    },
    async stop() {
      if (!child) return
      child.kill('SIGTERM')
      await exited(child)
      child = undefined
    },
  }
}

export interface Answer {
  status: number
  body: string
  headers: http.IncomingHttpHeaders
}

/** One HTTP request; network errors (the app is down) reject. */
export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    if (init.body !== undefined) req.write(init.body)
    req.end()
  })
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Signs in with the one-time link; returns the admin cookie. */
export async function signIn(urls: AppUrls): Promise<string> {
  const answer = await request(urls.loginUrl)
  const cookie = answer.headers['set-cookie']?.[0]?.split(';')[0]
  if (!cookie) throw new Error(`sign-in failed: ${answer.status}`)
  return cookie
}
