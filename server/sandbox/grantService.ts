/**
 * The sandbox's GNAP grants (auth-server.yaml in @interledger/open-payments 7.4.0, behaviour modelled on
 * Rafiki): grant requests, continuation, token rotation and revocation (DESIGN §5 steps 2-6, 8). Each
 * takes the request itself: Open Payments signs the HTTP message, so verifying needs its method, URL,
 * headers and raw body.
 */
import { randomUUID } from 'node:crypto'
import type { JWK } from '@interledger/http-signature-utils'
import type { FastifyRequest } from 'fastify'
import { encodeJwkClient, grantAccess, grantClientKeys, parseAccess } from './access.js'
import { randomToken, safeEqual } from '../security/tokens.js'
import { gnapToken, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import type { GrantRow } from './sandboxRepository.js'
import { verifySignature } from './signatures.js'

interface GrantRequestBody {
  client?: unknown
  access_token?: { access?: unknown }
  subject?: unknown
  interact?: {
    start?: unknown
    finish?: { method?: unknown; uri?: unknown; nonce?: unknown }
  }
}

/** The consent interaction of a pending grant is over (10 minutes by default). */
export function interactionExpired(grant: GrantRow, now: number): boolean {
  return grant.interaction_expires_at !== null && now >= grant.interaction_expires_at
}

export function createGrantService(ctx: SandboxContext) {
  const { repository } = ctx

  function continueUri(grant: GrantRow): string {
    return `${ctx.authServer()}/continue/${grant.continue_id}`
  }

  function issueToken(grant: GrantRow) {
    const id = randomUUID()
    const value = randomToken(24)
    const createdAt = ctx.now()
    repository.insertToken({
      id,
      grant_id: grant.id,
      value,
      expires_at: createdAt + ctx.settings.accessTokenTtlSec * 1000,
      created_at: createdAt,
    })
    return tokenJson(grant, id, value)
  }

  function tokenJson(grant: GrantRow, id: string, value: string) {
    return {
      value,
      manage: `${ctx.authServer()}/token/${id}`,
      expires_in: ctx.settings.accessTokenTtlSec,
      access: grantAccess(grant),
    }
  }

  async function requestGrant(request: FastifyRequest) {
    const body = (request.body ?? {}) as GrantRequestBody
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new SandboxError(SandboxErrorCode.InvalidRequest, 'The body must be a JSON object')
    }
    let clientAddress: string | null = null
    let directKey: JWK | null = null
    if (typeof body.client === 'string') clientAddress = body.client
    else if (body.client && typeof body.client === 'object') {
      const client = body.client as { walletAddress?: unknown; jwk?: unknown }
      if (typeof client.walletAddress === 'string') clientAddress = client.walletAddress
      else if (client.jwk && typeof client.jwk === 'object') directKey = client.jwk as JWK
    }
    if (!clientAddress && !directKey) {
      throw new SandboxError(
        SandboxErrorCode.InvalidClient,
        'client must be a wallet address or {"walletAddress"} or {"jwk"}',
        400,
      )
    }
    let keys: JWK[]
    let publicName: string | null = null
    if (clientAddress) {
      const info = await ctx.clients.lookup(clientAddress)
      if (!info) {
        throw new SandboxError(
          SandboxErrorCode.InvalidClient,
          `Could not resolve the client wallet address ${clientAddress}`,
          400,
        )
      }
      keys = info.keys
      publicName = info.publicName
    } else {
      keys = [directKey as JWK]
    }
    await verifySignature(request, ctx.rawBody(request), keys, SandboxErrorCode.InvalidClient)

    if (!body.access_token) {
      throw new SandboxError(
        SandboxErrorCode.InvalidRequest,
        'This wallet only grants access tokens (access_token.access is required)',
      )
    }
    const access = parseAccess(ctx, body.access_token.access)
    // As Rafiki by default: paying and listing every incoming payment of a wallet need the owner.
    const interactive = access.some(
      (item) =>
        item.type === 'outgoing-payment' ||
        (item.type === 'incoming-payment' && item.actions.includes('list-all')),
    )
    const createdAt = ctx.now()
    const base: GrantRow = {
      id: randomUUID(),
      client: clientAddress ?? encodeJwkClient(directKey as JWK),
      access: JSON.stringify(access),
      state: 'finalized',
      continue_id: randomUUID(),
      continue_token: randomToken(24),
      wait_sec: null,
      last_continued_at: createdAt,
      interact_id: null,
      interact_nonce: null,
      interact_ref: null,
      client_nonce: null,
      finish_uri: null,
      interaction_expires_at: null,
      created_at: createdAt,
    }

    if (!interactive) {
      const grant = base
      const accessToken = repository.transaction(() => {
        repository.insertGrant(grant)
        return issueToken(grant)
      })
      return {
        access_token: accessToken,
        continue: { access_token: { value: grant.continue_token }, uri: continueUri(grant) },
      }
    }

    if (!clientAddress) {
      throw new SandboxError(
        SandboxErrorCode.InvalidClient,
        'Interactive grants need a client wallet address (a jwk alone is not enough)',
        400,
      )
    }
    if (!publicName) {
      throw new SandboxError(
        SandboxErrorCode.InvalidClient,
        'The client wallet address has no publicName to show the user',
        400,
      )
    }
    const interact = body.interact
    const start = interact?.start
    const finish = interact?.finish
    if (!Array.isArray(start) || !start.includes('redirect')) {
      throw new SandboxError(
        SandboxErrorCode.InvalidRequest,
        'outgoing-payment and list-all grants need interact.start ["redirect"]',
      )
    }
    if (
      !finish ||
      finish.method !== 'redirect' ||
      typeof finish.uri !== 'string' ||
      !/^https?:\/\//.test(finish.uri) ||
      typeof finish.nonce !== 'string' ||
      finish.nonce.length === 0
    ) {
      throw new SandboxError(
        SandboxErrorCode.InvalidRequest,
        'interact.finish must be {"method": "redirect", "uri": <http(s) URL>, "nonce": <string>}',
      )
    }
    try {
      new URL(finish.uri)
    } catch {
      throw new SandboxError(SandboxErrorCode.InvalidRequest, 'interact.finish.uri is not a URL')
    }
    const grant: GrantRow = {
      ...base,
      state: 'pending',
      wait_sec: ctx.settings.continueWaitSec,
      interact_id: randomUUID(),
      interact_nonce: randomToken(16),
      client_nonce: finish.nonce,
      finish_uri: finish.uri,
      interaction_expires_at: createdAt + ctx.settings.interactionTtlMs,
    }
    repository.insertGrant(grant)
    return {
      interact: {
        redirect: `${ctx.base()}/interact/${grant.interact_id}/${grant.interact_nonce}`,
        finish: grant.interact_nonce as string,
      },
      continue: {
        access_token: { value: grant.continue_token },
        uri: continueUri(grant),
        wait: ctx.settings.continueWaitSec,
      },
    }
  }

  /** The grant a continuation request is about, after its token and signature are checked. */
  async function authenticateContinuation(request: FastifyRequest, continueId: string) {
    const grant = repository.grantByContinue(continueId)
    if (!grant) {
      throw new SandboxError(SandboxErrorCode.InvalidContinuation, 'Unknown continuation')
    }
    const token = gnapToken(request)
    if (!token || !safeEqual(token, grant.continue_token)) {
      throw new SandboxError(
        SandboxErrorCode.InvalidContinuation,
        'The continuation access token is missing or wrong',
        401,
      )
    }
    const { keys } = await grantClientKeys(ctx, grant)
    await verifySignature(request, ctx.rawBody(request), keys, SandboxErrorCode.InvalidClient)
    return grant
  }

  async function continueGrant(request: FastifyRequest, continueId: string) {
    const grant = await authenticateContinuation(request, continueId)
    const body = (request.body ?? {}) as { interact_ref?: unknown }
    const interactRef = typeof body.interact_ref === 'string' ? body.interact_ref : null
    switch (grant.state) {
      case 'rejected':
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'The user rejected this grant')
      case 'revoked':
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'This grant was revoked')
      case 'finalized':
        throw new SandboxError(
          SandboxErrorCode.RequestDenied,
          'This grant was already issued; continue cannot be repeated',
        )
      default:
        break
    }
    if (grant.state === 'pending' && interactionExpired(grant, ctx.now())) {
      repository.setGrantState(grant.id, 'rejected')
      throw new SandboxError(SandboxErrorCode.RequestDenied, 'The interaction expired')
    }
    const waitMs = (grant.wait_sec ?? 0) * 1000
    const now = ctx.now()
    if (now < grant.last_continued_at + waitMs) {
      throw new SandboxError(
        SandboxErrorCode.TooFast,
        `Continued too fast: wait ${grant.wait_sec} s between continuation requests`,
      )
    }
    repository.touchContinue(grant.id, now)
    const continueBlock = {
      access_token: { value: grant.continue_token },
      uri: continueUri(grant),
    }
    if (grant.state === 'pending') {
      if (interactRef !== null) {
        throw new SandboxError(
          SandboxErrorCode.InvalidContinuation,
          'The interaction is not finished: unknown interact_ref',
        )
      }
      return { continue: { ...continueBlock, wait: grant.wait_sec ?? 0 } }
    }
    // approved
    if (interactRef === null || !safeEqual(interactRef, grant.interact_ref ?? '')) {
      throw new SandboxError(SandboxErrorCode.InvalidContinuation, 'Wrong or missing interact_ref')
    }
    const accessToken = repository.transaction(() => {
      const current = repository.grant(grant.id)
      if (current?.state !== 'approved') {
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'This grant was already issued')
      }
      repository.setGrantState(grant.id, 'finalized')
      return issueToken(grant)
    })
    return { access_token: accessToken, continue: continueBlock }
  }

  async function cancelGrant(request: FastifyRequest, continueId: string) {
    const grant = await authenticateContinuation(request, continueId)
    repository.transaction(() => {
      repository.setGrantState(grant.id, 'revoked')
      repository.revokeGrantTokens(grant.id)
    })
  }

  async function authenticateManagement(request: FastifyRequest, tokenId: string) {
    const token = repository.token(tokenId)
    const presented = gnapToken(request)
    if (!token || token.revoked || !presented || !safeEqual(presented, token.value)) {
      return null
    }
    const grant = repository.grant(token.grant_id)
    if (!grant || grant.state !== 'finalized') return null
    const { keys } = await grantClientKeys(ctx, grant)
    await verifySignature(request, ctx.rawBody(request), keys, SandboxErrorCode.InvalidClient)
    return { token, grant }
  }

  /** Rotation works on an expired token too: that is how a client renews it (DESIGN §5 step 8). */
  async function rotateToken(request: FastifyRequest, tokenId: string) {
    const found = await authenticateManagement(request, tokenId)
    if (!found) {
      throw new SandboxError(SandboxErrorCode.InvalidRotation, 'Unknown or revoked access token')
    }
    const accessToken = repository.transaction(() => {
      const current = repository.token(found.token.id)
      if (!current || current.revoked) {
        throw new SandboxError(SandboxErrorCode.InvalidRotation, 'The access token was revoked')
      }
      repository.revokeToken(found.token.id)
      return issueToken(found.grant)
    })
    return { access_token: accessToken }
  }

  async function revokeToken(request: FastifyRequest, tokenId: string) {
    const found = await authenticateManagement(request, tokenId)
    if (found) repository.revokeToken(found.token.id)
  }

  return { requestGrant, continueGrant, cancelGrant, rotateToken, revokeToken }
}

export type GrantService = ReturnType<typeof createGrantService>
