/**
 * The Open Payments SDK's logger, pointed at ours at debug level: every request and answer with its
 * method, URL, status, time and error code, so a streamer can send a log when a real wallet
 * misbehaves. The SDK logs request and response bodies (access tokens, continue tokens, grants):
 * those are dropped here, as are headers (signatures, the GNAP token). Nothing else passes.
 */
import type { createAuthenticatedClient } from '@interledger/open-payments'

type SdkLogger = NonNullable<Parameters<typeof createAuthenticatedClient>[0]['logger']>

export interface DebugLog {
  debug(obj: object, msg: string): void
  isLevelEnabled?(level: string): boolean
}

interface SdkEntry {
  method?: unknown
  url?: unknown
  status?: unknown
  code?: unknown
  description?: unknown
  body?: unknown
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, 500) : undefined

/** The error code of an Open Payments error body, if any (never the rest of the body). */
function bodyCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | undefined)?.error
  return typeof error?.code === 'string' ? error.code.slice(0, 100) : undefined
}

export function openPaymentsLogger(log: DebugLog, now: () => number = Date.now): SdkLogger {
  const started = new Map<string, number[]>()
  const key = (entry: SdkEntry) => `${text(entry.method)?.toUpperCase()} ${text(entry.url)}`
  const adapter = {
    level: 'debug',
    debug(entry: SdkEntry, msg?: string) {
      if (typeof entry !== 'object' || entry === null) return
      if (msg === 'Sending request') {
        const list = started.get(key(entry)) ?? []
        list.push(now())
        started.set(key(entry), list)
        log.debug({ method: text(entry.method), url: text(entry.url) }, 'open payments request')
      } else if (msg === 'Received response') {
        const list = started.get(key(entry))
        const at = list?.shift()
        if (list && list.length === 0) started.delete(key(entry))
        log.debug(
          {
            method: text(entry.method),
            url: text(entry.url),
            status: typeof entry.status === 'number' ? entry.status : undefined,
            ms: at === undefined ? undefined : now() - at,
            code: bodyCode(entry.body),
          },
          'open payments answer',
        )
      }
    },
    error(entry: SdkEntry, msg?: string) {
      if (typeof entry !== 'object' || entry === null) return
      // The SDK's own error line for a failed request: the caller decides whether it is an error.
      log.debug(
        {
          method: text(entry.method),
          url: text(entry.url),
          status: typeof entry.status === 'number' ? entry.status : undefined,
          code: text(entry.code),
          description: text(entry.description),
        },
        msg ?? 'open payments request failed',
      )
    },
    info: () => undefined,
    warn: () => undefined,
    trace: () => undefined,
    fatal: () => undefined,
    silent: () => undefined,
    child: () => adapter,
  }
  return adapter as unknown as SdkLogger
}
