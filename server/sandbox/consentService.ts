/**
 * The consent interaction of an outgoing-payment grant (DESIGN §5 steps 4-5): the page the viewer sees
 * at `interact.redirect`, and the answer, which redirects to the client's finish URI.
 */
import { createHash, randomUUID } from 'node:crypto'
import { grantAccess, grantClientKeys, type AccessItem } from './access.js'
import { renderConsentPage } from './consentPage.js'
import { safeEqual } from '../security/tokens.js'
import { assetOf, formatMoney, type SandboxContext } from './context.js'
import { SandboxError, SandboxErrorCode } from './errors.js'
import { interactionExpired } from './grantService.js'
import type { GrantRow } from './sandboxRepository.js'

export type ConsentDecision = 'approve' | 'reject'

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

export function createConsentService(ctx: SandboxContext) {
  const { repository } = ctx

  function findInteraction(interactId: string, nonce: string): GrantRow {
    const grant = repository.grantByInteraction(interactId)
    if (!grant || !grant.interact_nonce || !safeEqual(nonce, grant.interact_nonce)) {
      throw new SandboxError(SandboxErrorCode.UnknownInteraction, 'Unknown interaction')
    }
    return grant
  }

  function describeConsent(grant: GrantRow, clientName: string, action: string) {
    const items = grantAccess(grant)
    const listing = items.find(
      (item) => item.type === 'incoming-payment' && item.actions.includes('list-all'),
    )
    if (!items.some((item) => item.type === 'outgoing-payment') && listing) {
      const owner = repository.wallet(ctx.walletNameOf(listing.identifier) ?? '')
      return renderConsentPage({
        clientName,
        clientAddress: grant.client,
        amount: null,
        receiverName: null,
        receiverAddress: null,
        viewerName: owner?.public_name ?? '',
        viewerAddress: listing.identifier ?? '',
        balance: owner ? formatMoney(owner.balance, assetOf(owner)) : '',
        action,
        expiresAt: grant.interaction_expires_at ?? ctx.now(),
        now: ctx.now(),
        purpose: 'list-incoming',
      })
    }
    const access = items.find((item) => item.type === 'outgoing-payment') as AccessItem
    const viewerName = ctx.walletNameOf(access.identifier) ?? ''
    const viewer = repository.wallet(viewerName)
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
      const incoming = incomingId ? repository.incoming(incomingId) : undefined
      const receiverWallet = incoming ? repository.wallet(incoming.wallet_name) : undefined
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
      expiresAt: grant.interaction_expires_at ?? ctx.now(),
      now: ctx.now(),
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
    if (interactionExpired(grant, ctx.now())) {
      throw new SandboxError(SandboxErrorCode.RequestDenied, 'This request expired', 410)
    }
    const finish = new URL(grant.finish_uri as string)
    if (decision === 'reject') {
      if (!repository.rejectGrant(grant.id)) {
        throw new SandboxError(SandboxErrorCode.RequestDenied, 'Already answered', 409)
      }
      finish.searchParams.set('result', 'grant_rejected')
      return finish.toString()
    }
    const interactRef = randomUUID()
    if (!repository.approveGrant(grant.id, interactRef)) {
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

  /** The consent page of a pending interaction, and the origin its form may be redirected to. */
  async function consentPage(
    interactId: string,
    nonce: string,
    action: string,
  ): Promise<{ html: string; finishOrigin: string }> {
    const grant = findInteraction(interactId, nonce)
    if (grant.state !== 'pending') {
      throw new SandboxError(
        SandboxErrorCode.RequestDenied,
        'This payment request was already approved or rejected.',
        409,
      )
    }
    if (interactionExpired(grant, ctx.now())) {
      throw new SandboxError(
        SandboxErrorCode.RequestDenied,
        'This payment request expired; start again from the app.',
        410,
      )
    }
    const { publicName } = await grantClientKeys(ctx, grant)
    return {
      html: describeConsent(grant, publicName ?? grant.client, action),
      finishOrigin: new URL(grant.finish_uri as string).origin,
    }
  }

  return { consentPage, decide, decideByUrl }
}

export type ConsentService = ReturnType<typeof createConsentService>
