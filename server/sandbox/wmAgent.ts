/**
 * The sandbox's Web Monetization agent (DESIGN §6): what the Interledger extension's background does
 * for a page, done with the real Open Payments SDK over HTTP as the viewer's wallet. Per page and
 * receiver: a non-interactive `incoming-payment` grant on the receiver's auth server, an incoming
 * payment on the receiver's wallet without `incomingAmount` (expiring in 10 minutes, or 30 s for a
 * one-time "send now"), and outgoing payments from the viewer's wallet made with `incomingPayment` +
 * `debitAmount` (no quote) under one outgoing-payment grant the viewer approved once, reused until the
 * incoming payment expires. The page script (client/wm-agent.js) and the bench (Node) drive it.
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import {
  createAuthenticatedClient,
  isFinalizedGrantWithAccessToken,
  isPendingGrant,
  type AuthenticatedClient,
  type WalletAddress,
} from '@interledger/open-payments'

export interface WmAgentDeps {
  /** The sandbox's base URL, known once it listens. */
  base(): string
  /** The agent's key, published by every viewer wallet (kid `wm-agent-…`). */
  agentKey(): { kid: string; privateKey: KeyObject }
  /** Presses Approve on a consent page (the viewer connecting the agent once); the finish URL. */
  approve(consentUrl: string): string
  now?: () => number
}

/** What a page is told about a payment it was sent (the `monetization` event's fields). */
export interface AgentPayment {
  amountSent: { value: string; currency: string }
  /** The same in minor units of the receiver's asset, for Node agents (the bench). */
  receiveAmount: { value: string; assetCode: string; assetScale: number }
  incomingPayment: string
  paymentPointer: string
  outgoingPayment: string
}

export interface AgentSession {
  id: string
  viewer: string
  /** The simulated person, when the caller named one. */
  viewerId?: string
  receiver: string
  incomingPayment: string
  expiresAt: number
  oneTime: boolean
}

/** Continuous streams reuse their incoming payment for 10 minutes, as the extension does. */
export const CONTINUOUS_TTL_MS = 10 * 60_000
/** A one-time "send now" payment gets its own incoming payment, open for 30 s. */
export const ONE_TIME_TTL_MS = 30_000
/** A session renews its incoming payment this long before it expires. */
const RENEW_MARGIN_MS = 15_000

interface SessionState extends AgentSession {
  receiverDoc: WalletAddress
}

interface ViewerConnection {
  client: AuthenticatedClient
  doc: WalletAddress
  /** The outgoing-payment grant the viewer approved once (like connecting the extension). */
  token: Promise<{ value: string }>
}

export class WmAgentError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message)
  }
}

/** Minor units as the Payment Request API's decimal string ("1.50"). */
export function decimalOf(value: bigint, scale: number): string {
  if (scale === 0) return value.toString()
  const digits = value.toString().padStart(scale + 1, '0')
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
}

export function createWmAgent(deps: WmAgentDeps) {
  const now = deps.now ?? Date.now
  const sessions = new Map<string, SessionState>()
  const viewers = new Map<string, Promise<ViewerConnection>>()
  const agentKey = () => deps.agentKey()

  function viewerAddress(wallet: string): string {
    const name = wallet.replace(/^\$/, '')
    if (/^https?:\/\//.test(name)) return name.replace(/\/+$/, '')
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
      throw new WmAgentError('wallet must be a sandbox wallet')
    return `${deps.base()}/${name}`
  }

  // One SDK client per wallet (building one loads and compiles the OpenAPI specs): grants differ.
  const clients = new Map<string, Promise<{ client: AuthenticatedClient; doc: WalletAddress }>>()

  function clientOf(address: string) {
    let found = clients.get(address)
    if (!found) {
      found = (async () => {
        const { kid, privateKey } = agentKey()
        const client = await createAuthenticatedClient({
          walletAddressUrl: address,
          keyId: kid,
          privateKey,
          useHttp: true,
          validateResponses: true,
        })
        return { client, doc: await client.walletAddress.get({ url: address }) }
      })()
      clients.set(address, found)
      found.catch(() => clients.delete(address))
    }
    return found
  }

  async function connect(wallet: string): Promise<ViewerConnection> {
    const { client, doc } = await clientOf(viewerAddress(wallet))
    const token = (async () => {
      const pending = await client.grant.request(
        { url: doc.authServer },
        {
          access_token: {
            access: [{ type: 'outgoing-payment', actions: ['create'], identifier: doc.id }],
          },
          interact: {
            start: ['redirect'],
            finish: {
              method: 'redirect',
              uri: `${deps.base()}/wm-agent/connected`,
              nonce: randomUUID(),
            },
          },
        },
      )
      if (!isPendingGrant(pending))
        throw new WmAgentError('The wallet did not ask for consent', 502)
      const finish = new URL(deps.approve(pending.interact.redirect))
      const interactRef = finish.searchParams.get('interact_ref')
      if (!interactRef) throw new WmAgentError('The wallet refused the agent', 502)
      await new Promise((resolve) => setTimeout(resolve, (pending.continue.wait ?? 0) * 1000 + 50))
      const grant = await client.grant.continue(
        { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
        { interact_ref: interactRef },
      )
      if (!isFinalizedGrantWithAccessToken(grant)) {
        throw new WmAgentError('The wallet issued no access token', 502)
      }
      return grant.access_token
    })()
    // Awaited by every payment; a failure is seen there (and the connection is made again).
    token.catch(() => undefined)
    return { client, doc, token }
  }

  /** One connection (one approved grant) per wallet, or per `viewer` when simulating many people. */
  function connection(wallet: string, viewer?: string): Promise<ViewerConnection> {
    const key = `${viewerAddress(wallet)}#${viewer ?? ''}`
    let found = viewers.get(key)
    if (!found) {
      found = connect(wallet)
      viewers.set(key, found)
      found.then(
        (made) => made.token.catch(() => viewers.delete(key)),
        () => viewers.delete(key),
      )
    }
    return found
  }

  async function createIncoming(viewer: ViewerConnection, receiverDoc: WalletAddress, ttl: number) {
    const grant = await viewer.client.grant.request(
      { url: receiverDoc.authServer },
      {
        access_token: {
          access: [{ type: 'incoming-payment', actions: ['create'], identifier: receiverDoc.id }],
        },
      },
    )
    if (!isFinalizedGrantWithAccessToken(grant)) {
      throw new WmAgentError('The receiver wants interaction for an incoming payment', 502)
    }
    const expiresAt = now() + ttl
    const incoming = await viewer.client.incomingPayment.create(
      { url: receiverDoc.resourceServer, accessToken: grant.access_token.value },
      {
        walletAddress: receiverDoc.id,
        expiresAt: new Date(expiresAt).toISOString(),
        metadata: { source: 'Web Monetization' },
      },
    )
    return { id: incoming.id, expiresAt }
  }

  async function startSession(input: {
    wallet: string
    receiver: string
    oneTime?: boolean
    /** A simulated person of their own (the bench): their own approved grant. */
    viewer?: string
  }): Promise<AgentSession> {
    let receiverUrl: URL
    try {
      receiverUrl = new URL(input.receiver)
    } catch {
      throw new WmAgentError('receiver must be a wallet address URL')
    }
    if (receiverUrl.search || receiverUrl.hash) {
      throw new WmAgentError('receiver must be a wallet address URL without query or fragment')
    }
    const viewer = await connection(input.wallet, input.viewer)
    // The viewer approved the agent (once per wallet): a session starts only with a usable grant.
    await viewer.token
    const receiverDoc = await viewer.client.walletAddress.get({ url: receiverUrl.toString() })
    const oneTime = input.oneTime === true
    const incoming = await createIncoming(
      viewer,
      receiverDoc,
      oneTime ? ONE_TIME_TTL_MS : CONTINUOUS_TTL_MS,
    )
    const session: SessionState = {
      id: randomUUID(),
      viewer: viewer.doc.id,
      ...(input.viewer ? { viewerId: input.viewer } : {}),
      receiver: receiverDoc.id,
      incomingPayment: incoming.id,
      expiresAt: incoming.expiresAt,
      oneTime,
      receiverDoc,
    }
    sessions.set(session.id, session)
    return publicSession(session)
  }

  function publicSession(session: SessionState): AgentSession {
    const { receiverDoc: _doc, ...rest } = session
    return rest
  }

  /** One outgoing payment of `debitValue` minor units of the viewer's asset to the session. */
  async function pay(sessionId: string, debitValue: bigint): Promise<AgentPayment> {
    const session = sessions.get(sessionId)
    if (!session) throw new WmAgentError('Unknown session', 404)
    if (debitValue <= 0n) throw new WmAgentError('amount must be positive')
    const viewer = await connection(session.viewer, session.viewerId)
    if (!session.oneTime && now() >= session.expiresAt - RENEW_MARGIN_MS) {
      // The extension's rule: a new incoming payment once the current one is about to expire.
      const renewed = await createIncoming(viewer, session.receiverDoc, CONTINUOUS_TTL_MS)
      session.incomingPayment = renewed.id
      session.expiresAt = renewed.expiresAt
    }
    const token = await viewer.token
    const outgoing = await viewer.client.outgoingPayment.create(
      { url: viewer.doc.resourceServer, accessToken: token.value },
      {
        walletAddress: viewer.doc.id,
        incomingPayment: session.incomingPayment,
        debitAmount: {
          value: debitValue.toString(),
          assetCode: viewer.doc.assetCode,
          assetScale: viewer.doc.assetScale,
        },
      },
    )
    const receive = outgoing.receiveAmount
    return {
      amountSent: {
        value: decimalOf(BigInt(receive.value), receive.assetScale),
        currency: receive.assetCode,
      },
      receiveAmount: receive,
      incomingPayment: session.incomingPayment,
      paymentPointer: session.receiver,
      outgoingPayment: outgoing.id,
    }
  }

  function stopSession(sessionId: string): boolean {
    return sessions.delete(sessionId)
  }

  return { startSession, pay, stopSession, session: (id: string) => sessions.get(id) }
}

export type WmAgent = ReturnType<typeof createWmAgent>
