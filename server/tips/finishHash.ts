import crypto from 'node:crypto'

export interface FinishHashInput {
  /** The nonce the app sent in `interact.finish.nonce`. */
  clientNonce: string
  /** The auth server's `interact.finish` value from the pending grant. */
  finishNonce: string
  interactRef: string
  /** The URL the grant request was sent to (the wallet's `authServer`). */
  grantEndpoint: string
}

function candidates(input: FinishHashInput): Buffer[] {
  const endpoints = new Set<string>([input.grantEndpoint])
  // Rafiki 1.x hashed `authServer + "/"`; accept the endpoint with and without its trailing slash.
  if (input.grantEndpoint.endsWith('/')) endpoints.add(input.grantEndpoint.replace(/\/+$/, ''))
  else endpoints.add(`${input.grantEndpoint}/`)
  return [...endpoints].map((endpoint) =>
    crypto
      .createHash('sha256')
      .update(`${input.clientNonce}\n${input.finishNonce}\n${input.interactRef}\n${endpoint}`)
      .digest(),
  )
}

/** Decodes the `hash` query value as standard base64 (padded) or base64url (unpadded); null otherwise. */
export function decodeFinishHash(hash: string): Buffer | null {
  let bytes: Buffer | null = null
  if (/^[A-Za-z0-9+/]{43}=$/.test(hash)) bytes = Buffer.from(hash, 'base64')
  else if (/^[A-Za-z0-9_-]{43}$/.test(hash)) bytes = Buffer.from(hash, 'base64url')
  // A `+` in an unencoded query string arrives as a space.
  else if (/^[A-Za-z0-9+/ ]{43}=$/.test(hash))
    bytes = Buffer.from(hash.replace(/ /g, '+'), 'base64')
  return bytes && bytes.length === 32 ? bytes : null
}

/**
 * Verifies the interaction finish hash (DESIGN §5 step 5, GNAP §4.2.3): SHA-256 over
 * `clientNonce \n finishNonce \n interact_ref \n grantEndpoint`. Tolerates the variants real servers
 * send (standard base64 with padding as Rafiki 2.x, unpadded base64url as the docs' example, the grant
 * endpoint with a trailing slash as Rafiki 1.x) and nothing else; compares in constant time.
 */
export function verifyFinishHash(hash: string | undefined, input: FinishHashInput): boolean {
  if (!hash || !input.interactRef) return false
  const received = decodeFinishHash(hash)
  if (!received) return false
  let match = false
  for (const expected of candidates(input)) {
    // Every candidate is compared (no early exit) so timing does not reveal which variant matched.
    if (crypto.timingSafeEqual(expected, received)) match = true
  }
  return match
}

/** The hash as Rafiki 2.x computes it: for tests and the sandbox. */
export function computeFinishHash(
  input: FinishHashInput,
  encoding: 'base64' | 'base64url' = 'base64',
): string {
  return crypto
    .createHash('sha256')
    .update(
      `${input.clientNonce}\n${input.finishNonce}\n${input.interactRef}\n${input.grantEndpoint}`,
    )
    .digest(encoding)
}
