/**
 * Human-readable log lines for a terminal (pino-pretty is not a dependency): one line per entry,
 * local time, level, the logger's name, the message, then the remaining fields as key=value. Pino's
 * JSON lines come in; anything that is not one is passed through as it is.
 */
const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '\x1b[90m' },
  20: { label: 'DEBUG', color: '\x1b[36m' },
  30: { label: 'INFO ', color: '\x1b[32m' },
  40: { label: 'WARN ', color: '\x1b[33m' },
  50: { label: 'ERROR', color: '\x1b[31m' },
  60: { label: 'FATAL', color: '\x1b[41m' },
}
const RESET = '\x1b[0m'
const DIM = '\x1b[2m'
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'v'])

function clock(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s="]/.test(value) ? JSON.stringify(value) : value
  return JSON.stringify(value) ?? String(value)
}

/** One pino JSON line as a readable line (with colours when `color`). */
export function formatLogLine(line: string, color: boolean): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`
  }
  if (typeof entry !== 'object' || entry === null) return `${line}\n`
  const level = LEVELS[Number(entry.level)] ?? { label: String(entry.level), color: '' }
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text)
  const parts = [
    paint(DIM, clock(typeof entry.time === 'number' ? entry.time : Date.now())),
    paint(level.color, level.label),
  ]
  if (typeof entry.name === 'string') parts.push(paint(DIM, `${entry.name}:`))
  if (typeof entry.msg === 'string') parts.push(entry.msg)
  let stack = ''
  for (const [key, value] of Object.entries(entry)) {
    if (SKIP.has(key) || value === undefined) continue
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: string; stack?: string }
      parts.push(`err=${fieldText(err.message ?? '')}`)
      if (err.stack) stack = `\n${paint(DIM, err.stack)}`
      continue
    }
    parts.push(paint(DIM, `${key}=`) + fieldText(value))
  }
  return `${parts.join(' ')}${stack}\n`
}

/** A pino destination that writes readable lines to `out`. */
export function prettyDestination(out: { write(text: string): unknown; isTTY?: boolean }): {
  write(chunk: string): void
} {
  const color = out.isTTY === true && !process.env.NO_COLOR
  return {
    write(chunk) {
      let text = ''
      for (const line of chunk.split('\n')) if (line) text += formatLogLine(line, color)
      out.write(text)
    },
  }
}
