/** How the webhooks read their bodies: raw bytes, bounded, whatever the method. */
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { IntegrationError, IntegrationErrorCode } from './errors.js'

/**
 * A real Owncast chat frame is at most 2 KB; stream events carry a title and summary. 64 KiB leaves
 * room for every real payload and refuses the rest early (413) instead of reading a megabyte.
 */
export const WEBHOOK_BODY_LIMIT = 64 * 1024

/**
 * Requests per minute per client address for webhook requests that do not carry the right URL key.
 * Requests with the key are not counted: a busy Owncast chat sends far more than the public listener's
 * default, and dropping its webhooks would lose chat.
 */
export const WEBHOOK_UNKEYED_PER_MINUTE = 1200

/**
 * Signatures are computed over the exact bytes received, so these routes keep the raw body: a parser
 * for every content type, scoped to the plugin that calls this (other routes keep Fastify's JSON parser).
 */
export function keepRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body)
  })
}

function readStream(stream: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(stream.headers['content-length'] ?? 0)
    if (declared > limit) {
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    stream.on('data', (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > limit) {
        failed = true
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    })
    stream.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks))
    })
    stream.on('error', (error) => {
      if (!failed) reject(error)
    })
  })
}

function tooLarge(limit: number): IntegrationError {
  return new IntegrationError(
    IntegrationErrorCode.BodyTooLarge,
    `The request body is larger than the ${Math.round(limit / 1024)} KiB this webhook accepts.`,
  )
}

/**
 * The raw body of any method. Fastify does not read bodies of GET requests, and OSP can send its
 * payload with GET (request type 1): read those from the socket here.
 */
export async function rawBodyOf(request: FastifyRequest, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(request.body)) return request.body
  const raw = request.raw
  if (raw.readableEnded) return Buffer.alloc(0)
  return readStream(raw, limit)
}

export function emptyBody(): IntegrationError {
  return new IntegrationError(
    IntegrationErrorCode.EmptyBody,
    'The request has no body: the webhook payload is missing.',
    'body',
  )
}
