/**
 * HTTP message signatures as an Open Payments wallet checks them (DESIGN §5): the client signs
 * `@method`, `@target-uri`, `authorization` and the content headers with an Ed25519 key published at
 * `<client wallet address>/jwks.json`. Verification uses @interledger/http-signature-utils.
 */
import {
  getKeyId,
  validateSignature,
  validateSignatureHeaders,
  type JWK,
  type RequestLike,
} from '@interledger/http-signature-utils'
import type { FastifyRequest } from 'fastify'
import { SandboxError, SandboxErrorCode } from './errors.js'

export interface ClientInfo {
  address: string
  publicName: string | null
  keys: JWK[]
}

export interface LocalWalletLookup {
  /** The client info of a wallet hosted by this sandbox, or null when the address is not ours. */
  local(address: string): ClientInfo | null | undefined
}

/**
 * Resolves a client wallet address to its public name and keys: wallets of this sandbox from its
 * database, any other one over HTTP like a real auth server would.
 */
export function createClientDirectory(
  localLookup: LocalWalletLookup,
  timeoutMs = 3000,
  cacheMs = 30_000,
) {
  // Foreign clients are cached briefly, as real auth servers do, so each request is not two fetches.
  const cache = new Map<string, { info: ClientInfo; until: number }>()

  async function fetchJson(url: string): Promise<unknown> {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
    return response.json()
  }

  return {
    async lookup(address: string): Promise<ClientInfo | null> {
      const local = localLookup.local(address)
      if (local !== undefined) return local
      const cached = cache.get(address)
      if (cached && cached.until > Date.now()) return cached.info
      try {
        const doc = (await fetchJson(address)) as { id?: unknown; publicName?: unknown }
        if (!doc || typeof doc !== 'object' || typeof doc.id !== 'string') return null
        const jwks = (await fetchJson(`${address}/jwks.json`)) as { keys?: unknown }
        const keys = Array.isArray(jwks?.keys) ? (jwks.keys as JWK[]) : []
        const info: ClientInfo = {
          address,
          publicName: typeof doc.publicName === 'string' ? doc.publicName : null,
          keys: keys.filter((key) => key && typeof key === 'object' && typeof key.kid === 'string'),
        }
        if (cache.size > 100) cache.clear()
        cache.set(address, { info, until: Date.now() + cacheMs })
        return info
      } catch {
        return null
      }
    },
  }
}

export type ClientDirectory = ReturnType<typeof createClientDirectory>

function headerRecord(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value
    else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ')
  }
  return headers
}

/** The request as the client signed it: the target URI is the URL the client called. */
export function toRequestLike(request: FastifyRequest, rawBody: string | undefined): RequestLike {
  const headers = headerRecord(request)
  return {
    method: request.method.toUpperCase(),
    url: `${request.protocol}://${headers.host ?? ''}${request.url}`,
    headers,
    ...(rawBody ? { body: rawBody } : {}),
  }
}

/** The key id the request says it was signed with, or null when it is not signed. */
export function signingKeyId(request: FastifyRequest): string | null {
  const input = request.headers['signature-input']
  if (typeof input !== 'string') return null
  return getKeyId(input) ?? null
}

/**
 * Verifies the request's signature against the client's published keys. Missing or malformed
 * signature headers, an unknown key id and a signature that does not verify are all rejected with
 * `code` (401).
 */
export async function verifySignature(
  request: FastifyRequest,
  rawBody: string | undefined,
  keys: readonly JWK[],
  code: SandboxErrorCode = SandboxErrorCode.InvalidSignature,
): Promise<JWK> {
  const like = toRequestLike(request, rawBody)
  if (!validateSignatureHeaders(like)) {
    throw new SandboxError(code, 'The request is not signed, or its signature headers are invalid')
  }
  const kid = signingKeyId(request)
  const key = kid ? keys.find((candidate) => candidate.kid === kid) : undefined
  if (!key) {
    throw new SandboxError(code, `Unknown key id ${JSON.stringify(kid)} for this client`)
  }
  let valid = false
  try {
    valid = await validateSignature(key, like)
  } catch {
    valid = false
  }
  if (!valid) throw new SandboxError(code, 'The request signature does not verify')
  return key
}
