/**
 * The sandbox's GNAP authorization server (auth-server.yaml in @interledger/open-payments 7.4.0,
 * behaviour modelled on Rafiki): grant requests, continuation, token rotation and revocation, and the
 * consent interaction (DESIGN §5 steps 2-6).
 */
import { createHash, randomUUID } from 'node:crypto'
import type { JWK } from '@interledger/http-signature-utils'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  encodeJwkClient,
  grantAccess,
  grantClientKeys,
  parseAccess,
  type AccessItem,
} from './access.js'
import {
  CONSENT_CSS,
  CONSENT_STYLESHEET_PATH,
  consentCsp,
  renderConsentPage,
  renderMessagePage,
} from './consentPage.js'
import { randomToken, safeEqual } from '../security/tokens.js'
import { assetOf, formatMoney, isoDate, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import { verifySignature } from './signatures.js'
import type { GrantRow } from './store.js'

interface GrantRequestBody {
  client?: unknown
  access_token?: { access?: unknown }
  subject?: unknown
  interact?: {
    start?: unknown
    finish?: { method?: unknown; uri?: unknown; nonce?: unknown }
  }
}

export type ConsentDecision = 'approve' | 'reject'

function gnapToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !header.startsWith('GNAP ')) return null
  const token = header.slice(5).trim()
  return token.length > 0 ? token : null
}

/** SHA-256 over the four lines, standard base64 with padding, like Rafiki 2.x (DESIGN §5 step 5). */
export function interactionHash(
  clientNonce: string,
  interactNonce: string,
  interactRef: string,
  grantEndpoint: string,
): string {
  return createHash('sha256')
    .update(`${clientNonce}\n${interactNonce}\n${interactRef}\n${grantEndpoint}`)
    .digest('base64')
}

export function createAuthServer(ctx: SandboxContext) {
  const { store } = ctx

  function continueUri(grant: GrantRow): string {
    return `${ctx.authServer()}/continue/${grant.continue_id}`
  }

  function issueToken(grant: GrantRow) {
    const id = randomUUID()
    const value = randomToken(24)
    const createdAt = ctx.now()
    store.insertToken({
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
    const interactive = access.some((item) => item.type === 'outgoing-payment')
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
      const accessToken = store.transaction(() => {
        store.insertGrant(grant)
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
        'outgoing-payment grants need interact.start ["redirect"]',
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
    store.insertGrant(grant)
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
    const grant = store.grantByContinue(continueId)
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

  function interactionExpired(grant: GrantRow): boolean {
    return grant.interaction_expires_at !== null && ctx.now() >= grant.interaction_expires_at
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
    if (grant.state === 'pending' && interactionExpired(grant)) {
      store.setGrantState(grant.id, 'rejected')
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
    store.touchContinue(grant.id, now)
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
    const accessToken = store.transaction(() => {
      const current = store.grant(grant.id)
      if (current?.state !== 'approved') {
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'This grant was already issued')
      }
      store.setGrantState(grant.id, 'finalized')
      return issueToken(grant)
    })
    return { access_token: accessToken, continue: continueBlock }
  }

  async function cancelGrant(request: FastifyRequest, continueId: string) {
    const grant = await authenticateContinuation(request, continueId)
    store.transaction(() => {
      store.setGrantState(grant.id, 'revoked')
      store.revokeGrantTokens(grant.id)
    })
  }

  async function authenticateManagement(request: FastifyRequest, tokenId: string) {
    const token = store.token(tokenId)
    const presented = gnapToken(request)
    if (!token || token.revoked || !presented || !safeEqual(presented, token.value)) {
      return null
    }
    const grant = store.grant(token.grant_id)
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
    const accessToken = store.transaction(() => {
      const current = store.token(found.token.id)
      if (!current || current.revoked) {
        throw new SandboxError(SandboxErrorCode.InvalidRotation, 'The access token was revoked')
      }
      store.revokeToken(found.token.id)
      return issueToken(found.grant)
    })
    return { access_token: accessToken }
  }

  async function revokeToken(request: FastifyRequest, tokenId: string) {
    const found = await authenticateManagement(request, tokenId)
    if (found) store.revokeToken(found.token.id)
  }

  // ---- consent interaction ----

  function findInteraction(interactId: string, nonce: string): GrantRow {
    const grant = store.grantByInteraction(interactId)
    if (!grant || !grant.interact_nonce || !safeEqual(nonce, grant.interact_nonce)) {
      throw new SandboxError(SandboxErrorCode.UnknownInteraction, 'Unknown interaction')
    }
    return grant
  }

  function describeConsent(grant: GrantRow, clientName: string, action: string) {
    const access = grantAccess(grant).find((item) => item.type === 'outgoing-payment') as AccessItem
    const viewerName = ctx.walletNameOf(access.identifier) ?? ''
    const viewer = store.wallet(viewerName)
    const limits = access.limits
    let amount: string | null = null
    if (limits?.debitAmount) amount = formatMoney(limits.debitAmount.value, limits.debitAmount)
    else if (limits?.receiveAmount) {
      amount = `${formatMoney(limits.receiveAmount.value, limits.receiveAmount)} to the receiver`
    }
    let receiverName: string | null = null
    let receiverAddress: string | null = null
    if (limits?.receiver) {
      receiverAddress = limits.receiver
      const incomingId = ctx.resourceIdOf(limits.receiver, 'incoming-payments')
      const incoming = incomingId ? store.incoming(incomingId) : undefined
      const receiverWallet = incoming ? store.wallet(incoming.wallet_name) : undefined
      if (receiverWallet) {
        receiverName = receiverWallet.public_name
        receiverAddress = ctx.walletUrl(receiverWallet.name)
      }
    }
    return renderConsentPage({
      clientName,
      clientAddress: grant.client,
      amount,
      receiverName,
      receiverAddress,
      viewerName: viewer?.public_name ?? viewerName,
      viewerAddress: access.identifier ?? '',
      balance: viewer ? formatMoney(viewer.balance, assetOf(viewer)) : '',
      action,
      expiresAt: isoDate(grant.interaction_expires_at ?? ctx.now()),
    })
  }

  /**
   * The viewer's answer. Approve: redirect to the finish URI with `hash` and `interact_ref`;
   * reject: with `result=grant_rejected`. Returns the redirect URL.
   */
  function decide(interactId: string, nonce: string, decision: ConsentDecision): string {
    const grant = findInteraction(interactId, nonce)
    if (grant.state !== 'pending') {
      throw new SandboxError(
        SandboxErrorCode.RequestDenied,
        'This request was already answered',
        409,
      )
    }
    if (interactionExpired(grant)) {
      throw new SandboxError(SandboxErrorCode.RequestDenied, 'This request expired', 410)
    }
    const finish = new URL(grant.finish_uri as string)
    if (decision === 'reject') {
      if (!store.rejectGrant(grant.id)) {
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'Already answered', 409)
      }
      finish.searchParams.set('result', 'grant_rejected')
      return finish.toString()
    }
    const interactRef = randomUUID()
    if (!store.approveGrant(grant.id, interactRef)) {
      throw new SandboxError(SandboxErrorCode.RequestDenied, 'Already answered', 409)
    }
    finish.searchParams.set(
      'hash',
      interactionHash(
        grant.client_nonce as string,
        grant.interact_nonce as string,
        interactRef,
        ctx.authServer(),
      ),
    )
    finish.searchParams.set('interact_ref', interactRef)
    return finish.toString()
  }

  /** `approve(consentUrl)` / `reject(consentUrl)` for tests and the bench: same as the buttons. */
  function decideByUrl(consentUrl: string, decision: ConsentDecision): string {
    const match = /\/interact\/([^/]+)\/([^/?#]+)/.exec(new URL(consentUrl).pathname)
    if (!match) {
      throw new SandboxError(SandboxErrorCode.UnknownInteraction, 'Not a consent URL')
    }
    return decide(
      decodeURIComponent(match[1] as string),
      decodeURIComponent(match[2] as string),
      decision,
    )
  }

  function sendPage(
    reply: FastifyReply,
    status: number,
    html: string,
    finishOrigin: string | null,
  ) {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', consentCsp(finishOrigin))
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(html)
  }

  function errorPage(reply: FastifyReply, error: unknown) {
    if (error instanceof SandboxError) {
      const title =
        error.statusCode === 410
          ? 'This request expired'
          : error.statusCode === 409
            ? 'Already answered'
            : 'Unknown request'
      return sendPage(reply, error.statusCode, renderMessagePage(title, error.message), null)
    }
    throw error
  }

  function routes(app: FastifyInstance): void {
    app.post('/auth', async (request, reply) => {
      const body = await requestGrant(request)
      return reply.code(200).send(body)
    })
    app.post<{ Params: { id: string } }>('/auth/continue/:id', async (request, reply) => {
      return reply.code(200).send(await continueGrant(request, request.params.id))
    })
    app.delete<{ Params: { id: string } }>('/auth/continue/:id', async (request, reply) => {
      await cancelGrant(request, request.params.id)
      return reply.code(204).send()
    })
    app.post<{ Params: { id: string } }>('/auth/token/:id', async (request, reply) => {
      return reply.code(200).send(await rotateToken(request, request.params.id))
    })
    app.delete<{ Params: { id: string } }>('/auth/token/:id', async (request, reply) => {
      await revokeToken(request, request.params.id)
      return reply.code(204).send()
    })

    app.get(CONSENT_STYLESHEET_PATH, async (_request, reply) => {
      return reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(CONSENT_CSS)
    })
    app.get<{ Params: { id: string; nonce: string } }>(
      '/interact/:id/:nonce',
      async (request, reply) => {
        try {
          const grant = findInteraction(request.params.id, request.params.nonce)
          if (grant.state !== 'pending') {
            throw new SandboxError(
              SandboxErrorCode.RequestDenied,
              'This payment request was already approved or rejected.',
              409,
            )
          }
          if (interactionExpired(grant)) {
            throw new SandboxError(
              SandboxErrorCode.RequestDenied,
              'This payment request expired; start again from the app.',
              410,
            )
          }
          const { publicName } = await grantClientKeys(ctx, grant)
          const html = describeConsent(grant, publicName ?? grant.client, request.url)
          return sendPage(reply, 200, html, new URL(grant.finish_uri as string).origin)
        } catch (error) {
          return errorPage(reply, error)
        }
      },
    )
    app.post<{ Params: { id: string; nonce: string } }>(
      '/interact/:id/:nonce',
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>
        const decision = body.decision
        if (decision !== 'approve' && decision !== 'reject') {
          return sendPage(
            reply,
            400,
            renderMessagePage('Choose Approve or Reject', 'The form did not say.'),
            null,
          )
        }
        try {
          const location = decide(request.params.id, request.params.nonce, decision)
          return reply
            .code(303)
            .header('location', location)
            .header('cache-control', 'no-store')
            .send()
        } catch (error) {
          return errorPage(reply, error)
        }
      },
    )
  }

  return { routes, decideByUrl }
}
