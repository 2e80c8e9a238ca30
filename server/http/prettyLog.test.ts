import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/config.js'
import { createLogger } from './logging.js'
import { formatLogLine } from './prettyLog.js'

function sink() {
  const out: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString('utf8'))
      done()
    },
  })
  return { out, stream }
}

describe('log format', () => {
  it('pretty: a readable line with time, level, name, message and fields, no raw JSON', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5, 6).getTime()
    const line = formatLogLine(
      JSON.stringify({
        level: 40,
        time: at,
        pid: 1,
        hostname: 'h',
        name: 'public',
        msg: 'slow',
        flowId: 'abc',
        ms: 12,
      }),
      false,
    )
    expect(line).toBe('03:04:05.006 WARN  public: slow flowId=abc ms=12\n')
  })

  it('WM_LOG_FORMAT=pretty writes readable lines, json (and a non-terminal) writes JSON lines', () => {
    const pretty = sink()
    createLogger('info', 'pretty', pretty.stream).info({ port: 8085 }, 'listening')
    expect(pretty.out.join('')).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}listening port=8085\n$/)
    const json = sink()
    createLogger('info', 'auto', json.stream).info({ port: 8085 }, 'listening')
    expect(JSON.parse(json.out.join(''))).toMatchObject({ level: 30, msg: 'listening', port: 8085 })
    expect(loadConfig({ WM_LOG_FORMAT: 'json' }).logFormat).toBe('json')
    expect(() => loadConfig({ WM_LOG_FORMAT: 'xml' })).toThrow(/WM_LOG_FORMAT/)
  })
})
