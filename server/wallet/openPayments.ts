import type { KeyObject } from 'node:crypto'
import {
  createAuthenticatedClient,
  isFinalizedGrantWithAccessToken,
  OpenPaymentsClientError,
  type AuthenticatedClient,
  type GrantRequest,
  type WalletAddress,
} from '@interledger/open-payments'
import { randomToken } from '../security/tokens.js'
import type { GrantPurpose, GrantRepository, StoredGrant } from './grantRepository.js'
import { openPaymentsLogger, type DebugLog } from './opLogger.js'

export type { GrantPurpose, StoredGrant }

/** The app's Open Payments client identity (DESIGN §5): a wallet address, a key id and its Ed25519 key. */
export interface ClientIdentity {
  clientWalletAddress: string
  keyId: string
  privateKey: KeyObject
}

type AccessItems = NonNullable<GrantRequest['access_token']>['access']

/** The reusable grant on the streamer's auth server: create, read and complete incoming payments. */
export const INCOMING_PAYMENT_ACCESS = [
  {
    type: 'incoming-payment' as const,
    actions: ['create' as const, 'read' as const, 'complete' as const],
  },
]

export interface GatewayDeps {
  grants: GrantRepository
  identity: ClientIdentity
  /** WM_OP_INSECURE_HTTP: https addresses are reached over http (local Rafiki). */
  useHttp?: boolean
  now?: () => number
  /** How long a wallet address document is trusted before it is fetched again. */
  walletAddressTtlMs?: number
  requestTimeoutMs?: number
  /** Requests and answers at debug level (never bodies, tokens or signatures). */
  log?: DebugLog
}

/** Rotate (or re-request) a token this long before the auth server says it expires. */
const TOKEN_MARGIN_MS = 5_000

export function errorStatus(error: unknown): number | undefined {
  return error instanceof OpenPaymentsClientError ? error.status : undefined
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof OpenPaymentsClientError ? error.code : undefined
}

export function describeOpError(error: unknown): string {
  if (error instanceof OpenPaymentsClientError) {
    const parts = [error.description]
    if (error.status) parts.push(`HTTP ${error.status}`)
    // Some wallets repeat the status as the error code ("HTTP 404 - 404"): say it once.
    if (error.code && error.code !== String(error.status)) parts.push(error.code)
    if (error.validationErrors?.length) parts.push(error.validationErrors.join('; '))
    return parts.filter(Boolean).join(' - ')
  }
  return error instanceof Error ? error.message : String(error)
}

/** A network failure (nothing answered), as opposed to a server that answered with an error. */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof OpenPaymentsClientError &&
    error.status === undefined &&
    !error.validationErrors
  )
}

/**
 * Everything the app says to Open Payments servers goes through here, so a tip makes no request that a
 * cached wallet address document or a reusable grant makes unnecessary (DESIGN §5 step 2: keep the grant,
 * rotate its token). One gateway per client identity; grants are stored in SQLite and survive restarts.
 */
export interface OpenPaymentsGateway {
  readonly identity: ClientIdentity
  readonly clientKey: string
  client(): Promise<AuthenticatedClient>
  /** The wallet address document, from the cache while fresh. */
  walletAddress(url: string): Promise<WalletAddress>
  /** Forget a cached document (a wallet that changed its auth server, say). */
  forgetWalletAddress(url: string): void
  /**
   * Runs `use` with a valid access token of the reusable grant for `purpose` at `authServer`: requested
   * once, rotated through its manage URL when it expires or is refused, re-requested if rotation fails.
   */
  withGrant<T>(
    purpose: GrantPurpose,
    authServer: string,
    access: AccessItems,
    use: (accessToken: string) => Promise<T>,
  ): Promise<T>
  /** Makes sure a valid token exists for the reusable grant (requests or rotates it if needed). */
  ensureGrant(purpose: GrantPurpose, authServer: string, access: AccessItems): Promise<void>
  /** Stores a grant obtained elsewhere (the wallet setup check) so the first tip reuses it. */
  storeGrant(purpose: GrantPurpose, authServer: string, token: GrantTokenLike): StoredGrant
  /** Revokes every stored grant of this identity at its auth server (best effort) and forgets it. */
  revokeAll(): Promise<void>
  /** Rotates any token through its manage URL (outgoing-payment grants of a flow, too). */
  rotate(manageUrl: string, accessToken: string): Promise<GrantTokenLike>
}

export interface GrantTokenLike {
  value: string
  manage: string
  expires_in?: number
}

export function createOpenPaymentsGateway(deps: GatewayDeps): OpenPaymentsGateway {
  const now = deps.now ?? Date.now
  const ttl = deps.walletAddressTtlMs ?? 10 * 60_000
  const clientKey = `${deps.identity.clientWalletAddress}#${deps.identity.keyId}`
  let clientPromise: Promise<AuthenticatedClient> | undefined
  const addresses = new Map<string, { doc: WalletAddress; fetchedAt: number }>()
  const addressInFlight = new Map<string, Promise<WalletAddress>>()
  const grantInFlight = new Map<string, Promise<StoredGrant>>()

  function client(): Promise<AuthenticatedClient> {
    clientPromise ??= createAuthenticatedClient({
      walletAddressUrl: deps.identity.clientWalletAddress,
      keyId: deps.identity.keyId,
      privateKey: deps.identity.privateKey,
      useHttp: deps.useHttp ?? false,
      validateResponses: true,
      requestTimeoutMs: deps.requestTimeoutMs ?? 10_000,
      ...(deps.log ? { logger: openPaymentsLogger(deps.log, now) } : {}),
    })
    clientPromise.catch(() => (clientPromise = undefined))
    return clientPromise
  }

  function expiresAtOf(token: GrantTokenLike): number | null {
    return token.expires_in === undefined ? null : now() + token.expires_in * 1000
  }

  function storeGrant(
    purpose: GrantPurpose,
    authServer: string,
    token: GrantTokenLike,
  ): StoredGrant {
    const replaced = deps.grants.find(purpose, authServer, clientKey)
    const grant: StoredGrant = {
      id: randomToken(12),
      purpose,
      authServer,
      accessToken: token.value,
      manageUrl: token.manage,
      expiresAt: expiresAtOf(token),
    }
    deps.grants.replace(
      grant,
      { walletAddress: deps.identity.clientWalletAddress, clientKey },
      now(),
    )
    // The grant it replaces would stay valid at the wallet until it expires: revoke it there too.
    if (replaced) void revoke(replaced).catch(() => undefined)
    return grant
  }

  async function revoke(grant: StoredGrant): Promise<void> {
    const op = await client()
    await op.token.revoke({ url: grant.manageUrl, accessToken: grant.accessToken })
  }

  async function requestGrant(purpose: GrantPurpose, authServer: string, access: AccessItems) {
    const op = await client()
    const grant = await op.grant.request({ url: authServer }, { access_token: { access } })
    if (!isFinalizedGrantWithAccessToken(grant)) {
      throw new OpenPaymentsClientError('Grant needs interaction', {
        description: `The auth server ${authServer} wants interaction for a ${purpose} grant.`,
      })
    }
    return storeGrant(purpose, authServer, grant.access_token)
  }

  async function rotateStored(grant: StoredGrant): Promise<StoredGrant> {
    const token = await rotate(grant.manageUrl, grant.accessToken)
    const expiresAt = expiresAtOf(token)
    deps.grants.updateToken(
      grant.id,
      { accessToken: token.value, manageUrl: token.manage, expiresAt },
      now(),
    )
    return { ...grant, accessToken: token.value, manageUrl: token.manage, expiresAt }
  }

  async function rotate(manageUrl: string, accessToken: string): Promise<GrantTokenLike> {
    const op = await client()
    const rotated = await op.token.rotate({ url: manageUrl, accessToken })
    return rotated.access_token
  }

  /** Single flight per grant key: two tips racing never rotate the same token twice. */
  function singleFlight(key: string, run: () => Promise<StoredGrant>): Promise<StoredGrant> {
    const pending = grantInFlight.get(key)
    if (pending) return pending
    const promise = run().finally(() => grantInFlight.delete(key))
    grantInFlight.set(key, promise)
    return promise
  }

  async function freshGrant(
    purpose: GrantPurpose,
    authServer: string,
    access: AccessItems,
    refused?: StoredGrant,
  ): Promise<StoredGrant> {
    const key = `${purpose} ${authServer}`
    const stored = deps.grants.find(purpose, authServer, clientKey)
    if (stored && stored.accessToken !== refused?.accessToken) {
      if (stored.expiresAt === null || stored.expiresAt - TOKEN_MARGIN_MS > now()) return stored
    }
    return singleFlight(key, async () => {
      // Re-read: the flight we may have waited behind already replaced the token.
      const current = deps.grants.find(purpose, authServer, clientKey)
      if (current && current.accessToken !== refused?.accessToken) {
        if (current.expiresAt === null || current.expiresAt - TOKEN_MARGIN_MS > now())
          return current
      }
      if (current) {
        try {
          return await rotateStored(current)
        } catch {
          deps.grants.delete(current.id)
        }
      }
      return requestGrant(purpose, authServer, access)
    })
  }

  return {
    identity: deps.identity,
    clientKey,
    client,
    async revokeAll() {
      for (const grant of deps.grants.listFor(clientKey)) {
        deps.grants.delete(grant.id)
        await revoke(grant).catch(() => undefined)
      }
    },
    async walletAddress(url) {
      const cached = addresses.get(url)
      if (cached && now() - cached.fetchedAt < ttl) return cached.doc
      const pending = addressInFlight.get(url)
      if (pending) return pending
      const promise = (async () => {
        const op = await client()
        const doc = await op.walletAddress.get({ url })
        addresses.set(url, { doc, fetchedAt: now() })
        return doc
      })().finally(() => addressInFlight.delete(url))
      addressInFlight.set(url, promise)
      return promise
    },
    forgetWalletAddress(url) {
      addresses.delete(url)
    },
    async withGrant(purpose, authServer, access, use) {
      let grant = await freshGrant(purpose, authServer, access)
      try {
        return await use(grant.accessToken)
      } catch (error) {
        // 401: the token expired early or was revoked. Rotate (or re-request) and retry once.
        if (errorStatus(error) !== 401) throw error
        grant = await freshGrant(purpose, authServer, access, grant)
        return use(grant.accessToken)
      }
    },
    async ensureGrant(purpose, authServer, access) {
      await freshGrant(purpose, authServer, access)
    },
    storeGrant,
    rotate,
  }
}
