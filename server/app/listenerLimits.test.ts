/**
 * Listener limits against real listeners: a body trickled a byte at a time is cut within the
 * configured request time on both listeners, one client cannot hold more than its share of public
 * connections, and a client that hangs up mid-body is a warning in the log, never an error line.
 */
import net from 'node:net'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../testing/harness.js'

let server: TestServer
const lines: { level: number; msg: string }[] = []
const limits = { requestTimeoutMs: 1_000, headersTimeoutMs: 800, checkIntervalMs: 100 }

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push(JSON.parse(line) as { level: number; msg: string })
      done()
    },
  })
  server = await startTestServer(
    { logLevel: 'info' },
    {
      logDestination: sink,
      listenerLimits: { local: limits, public: { ...limits, maxConnectionsPerClient: 3 } },
    },
  )
})
afterAll(async () => {
  await server.close()
})

/** Sends the head of a POST, then one body byte every `everyMs` until the server hangs up. */
function trickle(
  url: string,
  everyMs: number,
  giveUpMs: number,
  headers: Record<string, string> = {},
) {
  const target = new URL(url)
  return new Promise<{ cut: boolean; answer: string }>((resolve) => {
    let answer = ''
    const socket = net.connect(Number(target.port), target.hostname, () => {
      socket.write(
        `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n${Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      )
    })
    const timer = setInterval(() => socket.writable && socket.write(' '), everyMs)
    const giveUp = setTimeout(() => finish(false), giveUpMs)
    function finish(cut: boolean) {
      clearInterval(timer)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ cut, answer })
    }
    socket.on('data', (data: Buffer) => (answer += data.toString('utf8')))
    socket.on('close', () => finish(true))
    socket.on('error', () => undefined)
  })
}

describe('listener limits', () => {
  it('cuts a trickled body on the public and the local listener', async () => {
    for (const [url, headers] of [
      [server.public('/api/tips'), {}],
      [server.local('/api/wallet'), server.adminHeaders()],
    ] as const) {
      // Twenty times the limit: without one, the trickle would still be going when we give up.
      const result = await trickle(url, 200, 20 * limits.requestTimeoutMs, headers)
      expect(result.cut, url).toBe(true)
      expect(result.answer, url).toMatch(/^HTTP\/1\.1 408/)
    }
  })

  it('refuses a client’s public connections beyond its cap, and serves it again once it closes them', async () => {
    const target = new URL(server.public('/healthz'))
    const answers = new Map<net.Socket, string>()
    const sockets = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(target.port), target.hostname, () => resolve(socket))
            answers.set(socket, '')
            socket.on('data', (chunk) =>
              answers.set(socket, answers.get(socket) + chunk.toString()),
            )
            socket.on('error', () => undefined)
          }),
      ),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The two beyond the cap were told why, in a plain answer, and closed; the others stay open.
    const refused = sockets.filter((s) => s.destroyed || s.readyState !== 'open')
    expect(refused).toHaveLength(2)
    for (const socket of refused) {
      expect(answers.get(socket)).toMatch(/^HTTP\/1\.1 429 /)
      expect(answers.get(socket)).toContain('"error":"too_many_connections"')
    }
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await fetch(target)).status).toBe(200)
    expect(lines.some((l) => l.level === 40 && /too many connections/.test(l.msg))).toBe(true)
  })

  it('a client that aborts mid-body is a warning, not an error line', async () => {
    const target = new URL(server.public('/api/tips'))
    const before = lines.length
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(target.port), target.hostname, () => {
        socket.write(
          `POST /api/tips HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"viewerWallet":`,
        )
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 100)
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const logged = lines.slice(before)
    expect(logged.filter((l) => l.level >= 50)).toEqual([])
    expect(logged.some((l) => l.level === 40 && /aborted/.test(l.msg))).toBe(true)
  })
})
