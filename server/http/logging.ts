import { LogController, type FastifyInstance } from 'fastify'
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { prettyDestination } from './prettyLog.js'
import type { AppConfig } from '../config/config.js'

const SECRET_QUERY_PARAMS = ['token', 'key', 'hash', 'interact_ref', 'secret']

/** Strips secrets (login tokens, overlay and webhook keys, grant references) from a URL before logging. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const params = new URLSearchParams(url.slice(q + 1))
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, '[redacted]')
  return `${url.slice(0, q)}?${params.toString()}`
}

/**
 * The app's one logger, made before anything else so every part logs from its first line; each listener
 * takes a child named after it. Secrets are redacted wherever they appear in a logged object.
 */
export function createLogger(
  level: AppConfig['logLevel'],
  format: AppConfig['logFormat'] = 'json',
  destination?: DestinationStream,
): Logger {
  // Readable on a terminal; JSON lines for a file, a service manager or a log collector.
  const pretty = format === 'pretty' || (format === 'auto' && !destination && process.stdout.isTTY)
  const sink = pretty ? prettyDestination(destination ?? process.stdout) : destination
  const options: LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.privateKey',
        '*.accessToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; ip?: string }) {
        return { method: request.method, url: redactUrl(request.url), ip: request.ip }
      },
    },
  }
  return sink ? pino(options, sink) : pino(options)
}

/** Per-request "incoming/completed" lines are noise here: errors and warnings are logged where they happen. */
export function quietRequests(): LogController {
  return new LogController({ disableRequestLogging: true })
}

/**
 * Every request the listener answered, at debug level only (method, redacted URL, client, status,
 * time): what a streamer can send when something misbehaves.
 */
export function logRequestsAtDebug(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.log.level !== 'debug' && request.log.level !== 'trace') return
    request.log.debug(
      { req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request answered',
    )
  })
}
