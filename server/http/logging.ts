import { LogController, type FastifyServerOptions } from 'fastify'
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

export function loggerOptions(
  level: AppConfig['logLevel'],
  name: string,
): FastifyServerOptions['logger'] {
  return {
    level,
    name,
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
}

/** Per-request "incoming/completed" lines are noise here: errors and warnings are logged where they happen. */
export function quietRequests(): LogController {
  return new LogController({ disableRequestLogging: true })
}
