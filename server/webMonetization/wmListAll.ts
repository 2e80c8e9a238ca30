/**
 * The optional `list-all` grant and its poller (DESIGN §6): with one interactive approval by the
 * streamer, the app lists every incoming payment of their wallet, so Web Monetization money from pages
 * that never reported (another site, a blocked script, the app restarted) is still counted, as
 * anonymous. The list is a verified read: amounts come from the wallet, never from a page.
 */
import { randomUUID } from 'node:crypto'
import {
  isFinalizedGrantWithAccessToken,
  isPendingGrant,
  type GrantRequest,
} from '@interledger/open-payments'
import type { FastifyBaseLogger } from 'fastify'
import { verifyFinishHash } from '../tips/finishHash.js'
import { describeOpError } from '../wallet/openPayments.js'
import type { WalletService } from '../wallet/walletService.js'
import { WmError, WmErrorCode } from './errors.js'
import type { WmService } from './wmService.js'

type AccessItems = NonNullable<GrantRequest['access_token']>['access']

export function listAllAccess(walletAddress: string): AccessItems {
  return [
    { type: 'incoming-payment', actions: ['list-all', 'read-all'], identifier: walletAddress },
  ]
}

export interface WmListAllDeps {
  wallets: Pick<WalletService, 'streamerWallet'>
  service: Pick<WmService, 'applyVerified'>
  /** The public base URL: the wallet sends the streamer back to `<public>/wm/list-all/callback`. */
  publicUrl(): string
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  pollMs?: number
  now?: () => number
}

interface PendingApproval {
  id: string
  clientNonce: string
  finishNonce: string
  authServer: string
  continueUri: string
  continueToken: string
  waitSec: number
  expiresAt: number
}

export function createWmListAll(deps: WmListAllDeps) {
  const now = deps.now ?? Date.now
  const pending = new Map<string, PendingApproval>()
  const pollMs = deps.pollMs ?? 10_000
  let timer: NodeJS.Timeout | undefined
  let polling: Promise<void> | null = null
  let lastPoll: number | null = null

  async function wallet() {
    const found = await deps.wallets.streamerWallet()
    if (!found) throw new WmError(WmErrorCode.NoWallet, 'Set up a wallet first.')
    return found
  }

  /** Starts the streamer's approval; the answer is where to send them (their wallet's consent page). */
  async function begin(): Promise<{ redirect: string }> {
    const { doc, gateway } = await wallet()
    const op = await gateway.client()
    const id = randomUUID()
    const clientNonce = randomUUID()
    let grant
    try {
      grant = await op.grant.request(
        { url: doc.authServer },
        {
          access_token: { access: listAllAccess(doc.id) },
          interact: {
            start: ['redirect'],
            finish: {
              method: 'redirect',
              uri: `${deps.publicUrl()}/wm/list-all/callback/${id}`,
              nonce: clientNonce,
            },
          },
        },
      )
    } catch (error) {
      throw new WmError(WmErrorCode.GrantFailed, `The wallet refused: ${describeOpError(error)}`)
    }
    if (isFinalizedGrantWithAccessToken(grant)) {
      // This wallet grants list-all without asking: nothing to approve.
      gateway.storeGrant('wm-list', doc.authServer, grant.access_token)
      return { redirect: `${deps.publicUrl()}/wm/list-all/callback/${id}?result=granted` }
    }
    if (!isPendingGrant(grant)) {
      throw new WmError(WmErrorCode.GrantFailed, 'The wallet answered neither a grant nor consent.')
    }
    pending.set(id, {
      id,
      clientNonce,
      finishNonce: grant.interact.finish,
      authServer: doc.authServer,
      continueUri: grant.continue.uri,
      continueToken: grant.continue.access_token.value,
      waitSec: grant.continue.wait ?? 0,
      expiresAt: now() + 10 * 60_000,
    })
    return { redirect: grant.interact.redirect }
  }

  /** The wallet sent the streamer back: verify the hash, continue, keep the token. */
  async function finish(
    id: string,
    query: { hash?: string; interact_ref?: string; result?: string },
  ): Promise<{ ok: boolean; message: string }> {
    if (query.result === 'granted') return { ok: granted(), message: 'Listing approved.' }
    const approval = pending.get(id)
    if (!approval || approval.expiresAt < now()) {
      return { ok: false, message: 'This approval is unknown or expired; start again in the app.' }
    }
    if (query.result) {
      // Unauthenticated: it ends nothing a valid callback could still complete, but says what came.
      return { ok: false, message: 'The wallet says the request was not approved.' }
    }
    const valid = verifyFinishHash(query.hash, {
      clientNonce: approval.clientNonce,
      finishNonce: approval.finishNonce,
      interactRef: query.interact_ref ?? '',
      grantEndpoint: approval.authServer,
    })
    if (!valid) return { ok: false, message: 'The answer from the wallet could not be verified.' }
    pending.delete(id)
    const { gateway } = await wallet()
    const op = await gateway.client()
    await new Promise((resolve) => setTimeout(resolve, approval.waitSec * 1000))
    try {
      const grant = await op.grant.continue(
        { url: approval.continueUri, accessToken: approval.continueToken },
        { interact_ref: query.interact_ref as string },
      )
      if (!isFinalizedGrantWithAccessToken(grant)) {
        return { ok: false, message: 'The wallet issued no access token.' }
      }
      gateway.storeGrant('wm-list', approval.authServer, grant.access_token)
      listed = true
      void pollOnce()
      return { ok: true, message: 'Listing approved: the app now counts streams from any page.' }
    } catch (error) {
      return { ok: false, message: `The wallet refused: ${describeOpError(error)}` }
    }
  }

  // Whether a list-all token was stored; the store is the grants table, so it survives restarts.
  let listed = false

  function granted(): boolean {
    return listed
  }

  /** Lists the wallet's incoming payments once and records what the Web Monetization ones add. */
  async function pollOnce(): Promise<void> {
    if (polling) return polling
    polling = (async () => {
      const found = await deps.wallets.streamerWallet()
      if (!found) return
      const { doc, gateway } = found
      const op = await gateway.client()
      let cursor: string | undefined
      for (let page = 0; page < 100; page += 1) {
        const result = await gateway.withGrant(
          'wm-list',
          doc.authServer,
          listAllAccess(doc.id),
          (accessToken) =>
            op.incomingPayment.list(
              { url: doc.resourceServer, walletAddress: doc.id, accessToken },
              {
                'wallet-address': doc.id,
                first: 100,
                ...(cursor ? { cursor } : {}),
              },
            ),
        )
        listed = true
        for (const payment of result.result) {
          if (payment.incomingAmount !== undefined) continue
          if (payment.metadata?.source !== 'Web Monetization') continue
          deps.service.applyVerified(payment.id, payment, 'poller')
        }
        if (!result.pagination.hasNextPage || !result.pagination.endCursor) break
        cursor = result.pagination.endCursor
      }
      lastPoll = now()
    })()
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, 'Web Monetization listing failed')
      })
      .finally(() => {
        polling = null
      })
    return polling
  }

  return {
    begin,
    finish,
    granted,
    /** Knows a stored grant from an earlier run (the grants table). */
    restore(hasGrant: boolean) {
      listed = hasGrant
    },
    forget() {
      listed = false
    },
    pollOnce,
    lastPollAt: () => lastPoll,
    start() {
      const tick = () => {
        timer = setTimeout(() => {
          const run = listed ? pollOnce() : Promise.resolve()
          void run.finally(tick)
        }, pollMs)
        timer.unref?.()
      }
      tick()
    },
    async stop() {
      if (timer) clearTimeout(timer)
      timer = undefined
      await polling
    },
  }
}

export type WmListAll = ReturnType<typeof createWmListAll>
