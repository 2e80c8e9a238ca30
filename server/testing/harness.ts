/**
 * Test harness: a real server on 127.0.0.1 port 0 with a fresh data folder (a real SQLite file), an
 * admin session, and a raw HTTP client that can set any header (fetch cannot set Host).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { loadConfig, type AppConfig } from '../config/config.js'
import { memoryPreferences } from '../settings/preferences.js'
import { startServer, type RunningServer, type StartOptions } from '../start.js'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json<T = Record<string, unknown>>(): T
}

export interface RawRequest {
  method?: string
  url: string
  headers?: Record<string, string>
  body?: string | Buffer
}

export function rawRequest({
  method = 'GET',
  url,
  headers = {},
  body,
}: RawRequest): Promise<RawResponse> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

export function makeTempDir(prefix = 'wm-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export interface TestServer {
  server: RunningServer
  dataDir: string
  /** Cookie header value of a signed-in admin session. */
  adminCookie: string
  /** Headers for an admin mutation: session cookie plus same Origin. */
  adminHeaders(extra?: Record<string, string>): Record<string, string>
  local(pathname: string): string
  public(pathname: string): string
  close(): Promise<void>
}

export async function startTestServer(
  overrides: Partial<AppConfig> = {},
  options: Omit<StartOptions, 'config'> = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? makeTempDir()
  const config: AppConfig = {
    ...loadConfig({}, []),
    dataDir,
    localPort: 0,
    publicPort: 0,
    logLevel: 'silent',
    ...overrides,
  }
  const server = await startServer({ preferences: memoryPreferences(), ...options, config })
  const login = await rawRequest({ url: server.loginUrl() })
  const setCookie = login.headers['set-cookie']?.[0]
  if (!setCookie) throw new Error(`login failed: ${login.status} ${login.body}`)
  const adminCookie = setCookie.split(';')[0] as string
  return {
    server,
    dataDir,
    adminCookie,
    adminHeaders: (extra = {}) => ({ cookie: adminCookie, origin: server.localUrl, ...extra }),
    local: (pathname) => `${server.localUrl}${pathname}`,
    public: (pathname) => `${server.publicListenUrl}${pathname}`,
    close: () => server.close(),
  }
}
