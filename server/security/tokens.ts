/**
 * The one set of token helpers (sessions, overlay keys, flow ids, the sandbox's GNAP tokens): random
 * tokens, their digests and constant-time comparison.
 */
import crypto from 'node:crypto'

/** A URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url')
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex')
}

/** Constant-time string comparison (length is not secret here: tokens have a fixed length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && crypto.timingSafeEqual(left, right)
}
