import crypto from 'node:crypto'

/** Owncast rejects nothing itself; we reject a signature whose timestamp is further than this from now. */
export const SIGNATURE_WINDOW_SECONDS = 300

export type SignatureVerdict =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'expired'; detail: string }

/**
 * Verifies `Owncast-Signature: t=<unix seconds>.s=<hex>` (Owncast 0.3.0+, fixtures/README.md):
 * hex = HMAC-SHA256(secret, "<t>." + raw body bytes). The parts may come in any order, as Owncast's own
 * Go reference accepts them. The body must be the exact bytes received: re-serialised JSON never matches.
 */
export function verifyOwncastSignature(
  header: string | string[] | undefined,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): SignatureVerdict {
  if (header === undefined || header === '') {
    return { ok: false, reason: 'missing', detail: 'The Owncast-Signature header is missing.' }
  }
  const value = Array.isArray(header) ? (header[0] ?? '') : header
  let timestampText: string | undefined
  let signatureHex: string | undefined
  for (const part of value.trim().split('.')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    const key = part.slice(0, eq).trim()
    const val = part.slice(eq + 1).trim()
    if (key === 't') timestampText = val
    else if (key === 's') signatureHex = val
  }
  if (!timestampText || !/^\d{1,12}$/.test(timestampText) || !signatureHex) {
    return {
      ok: false,
      reason: 'malformed',
      detail: 'The Owncast-Signature header must look like t=<unix seconds>.s=<hex>.',
    }
  }
  if (!/^[0-9a-fA-F]{64}$/.test(signatureHex)) {
    return { ok: false, reason: 'malformed', detail: 'The signature must be 64 hex digits.' }
  }
  const expected = crypto
    .createHmac('sha256', secret)
    .update(`${timestampText}.`)
    .update(rawBody)
    .digest()
  const given = Buffer.from(signatureHex, 'hex')
  if (!crypto.timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason: 'mismatch',
      detail:
        'The signature does not match: check that the signing secret in WM Companion is the one Owncast shows for this webhook.',
    }
  }
  const timestamp = Number(timestampText)
  if (Math.abs(nowSeconds - timestamp) > windowSeconds) {
    return {
      ok: false,
      reason: 'expired',
      detail: `The signature timestamp is more than ${windowSeconds} s away from this computer's clock: check both clocks, or a replayed request.`,
    }
  }
  return { ok: true, timestamp }
}

/** Signs a body the way Owncast does (for the "send test event" action and tests). */
export function signOwncastBody(body: Buffer | string, secret: string, nowSeconds: number): string {
  const hex = crypto
    .createHmac('sha256', secret)
    .update(`${nowSeconds}.`)
    .update(body)
    .digest('hex')
  return `t=${nowSeconds}.s=${hex}`
}
