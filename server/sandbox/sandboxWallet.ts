/**
 * The built-in sandbox wallet (DESIGN §5, last point): a local Open Payments provider with play
 * money, on its own Fastify instance and its own SQLite file. Wallet addresses are plain http URLs
 * on its port: `GET /<name>`, `GET /<name>/jwks.json`; the auth server lives at `/auth`, the resource
 * server at the root (`/incoming-payments`, `/quotes`, `/outgoing-payments`).
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { generateJwk, type JWK } from '@interledger/http-signature-utils'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify'
import { createAuthServer } from './authRoutes.js'
import { amountJson, assetOf, walletKeys, type SandboxContext } from './context.js'
import { isSandboxError, opErrorBody } from './errors.js'
import { createResourceServer } from './resourceRoutes.js'
import { createClientDirectory, type ClientInfo } from './signatures.js'
import { createSandboxRepository, openSandboxDb, type WalletRow } from './sandboxRepository.js'
import { registerFavicon } from '../http/favicon.js'
import { createWmAgent, type WmAgent } from './wmAgent.js'
import { registerWmAgentRoutes } from './wmAgentRoutes.js'

export interface SandboxWalletInfo {
  /** The wallet's short name, e.g. "alice" (also accepted by `balanceOf`). */
  id: string
  /** The wallet address URL. */
  address: string
  assetCode: string
  assetScale: number
  role: 'streamer' | 'client' | 'viewer'
  publicName: string
}

export interface SandboxClientIdentity {
  walletAddress: string
  keyId: string
  privateKey: KeyObject
  privateKeyPem: string
}

export interface SandboxOptions {
  /** Bind address; default 127.0.0.1. */
  host?: string
  /** 0 picks a free port; default 8087. */
  port?: number
  /** ':memory:' by default; the app passes <dataDir>/sandbox.sqlite so state survives restarts. */
  dbFile?: string
  /** Delay between an outgoing payment's creation and its settlement; default 1000 ms. */
  settlementDelayMs?: number
  /** Quote lifetime; default 5 minutes like Rafiki. */
  quoteTtlMs?: number
  /** Access token lifetime; default 600 s. */
  accessTokenTtlSec?: number
  /** `continue.wait` of interactive grants; default 5 s like Rafiki. */
  continueWaitSec?: number
  /** How long a consent interaction stays open; default 10 minutes. */
  interactionTtlMs?: number
  /** Clock in ms (tests move it to expire tokens, quotes and interactions). */
  now?: () => number
}

export interface SandboxWallet {
  /** Base URL, `http://127.0.0.1:<port>`; `GET <url>/` lists the wallets. */
  url: string
  wallets: SandboxWalletInfo[]
  streamer: SandboxWalletInfo
  /** The app's Open Payments client identity, whose key is published by this sandbox. */
  client: SandboxClientIdentity
  viewers: SandboxWalletInfo[]
  /** Balance in minor units of the wallet's asset; `walletId` is the id or the address. */
  balanceOf(walletId: string): bigint
  /** Presses Approve on a consent page; returns the finish redirect URL (hash, interact_ref). */
  approve(consentUrl: string): Promise<string>
  /** Presses Reject; returns the finish redirect URL with result=grant_rejected. */
  reject(consentUrl: string): Promise<string>
  /** The Web Monetization agent (also served to pages as `GET /wm-agent.js`). */
  wmAgent: WmAgent
  /** HTTP requests served so far (the bench counts wallet round trips per tip). */
  requestCount(): number
  close(): Promise<void>
}

const WALLET_NAME = /^[a-z0-9][a-z0-9-]*$/

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

export async function startSandboxWallet(options: SandboxOptions = {}): Promise<SandboxWallet> {
  const host = options.host ?? '127.0.0.1'
  const now = options.now ?? (() => Date.now())
  const db = openSandboxDb(options.dbFile ?? ':memory:')
  const repository = createSandboxRepository(db)
  const rawBodies = new WeakMap<FastifyRequest, string>()
  const timers = new Map<string, NodeJS.Timeout>()
  let baseUrl = ''
  let port = 0
  let requests = 0
  let closed = false

  // The Web Monetization agent signs as the viewer, as the extension does with the key it adds to the
  // user's wallet: one key per run (its sessions live in memory too), published by every viewer wallet.
  const agentKeyPair = generateKeyPairSync('ed25519')
  const agentKid = `wm-agent-${Date.now().toString(36)}`
  const agentJwk: JWK = generateJwk({ privateKey: agentKeyPair.privateKey, keyId: agentKid })
  const keysOf = (wallet: WalletRow): JWK[] => [
    ...walletKeys(repository, wallet.name),
    ...(wallet.role === 'viewer' ? [agentJwk] : []),
  ]

  const localHosts = new Set(['127.0.0.1', 'localhost', urlHost(host)])

  function localPath(raw: unknown): string | null {
    if (typeof raw !== 'string') return null
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return null
    }
    if (url.protocol !== 'http:' || !localHosts.has(url.hostname) || url.port !== String(port)) {
      return null
    }
    return url.pathname.replace(/\/+$/, '')
  }

  function walletNameOf(raw: unknown): string | null {
    const pathname = localPath(raw)
    if (!pathname) return null
    const name = pathname.slice(1)
    if (!WALLET_NAME.test(name)) return null
    return repository.wallet(name) ? name : null
  }

  // settle is bound below, once the resource server exists.
  let settle: (id: string) => void = () => {}

  function scheduleSettlement(id: string, delayMs: number): void {
    if (closed) return
    const timer = setTimeout(
      () => {
        timers.delete(id)
        try {
          settle(id)
        } catch (error) {
          app.log.error({ err: error, outgoingPaymentId: id }, 'sandbox settlement failed')
        }
      },
      Math.max(0, delayMs),
    )
    timers.set(id, timer)
  }

  const ctx: SandboxContext = {
    repository,
    settings: {
      settlementDelayMs: options.settlementDelayMs ?? 1000,
      quoteTtlMs: options.quoteTtlMs ?? 5 * 60_000,
      accessTokenTtlSec: options.accessTokenTtlSec ?? 600,
      continueWaitSec: options.continueWaitSec ?? 5,
      interactionTtlMs: options.interactionTtlMs ?? 10 * 60_000,
      incomingPaymentTtlMs: 30 * 24 * 60 * 60_000,
    },
    now,
    base: () => baseUrl,
    authServer: () => `${baseUrl}/auth`,
    walletUrl: (name) => `${baseUrl}/${name}`,
    walletNameOf,
    resourceIdOf(raw, collection) {
      const pathname = localPath(raw)
      const prefix = `/${collection}/`
      if (!pathname?.startsWith(prefix)) return null
      const id = pathname.slice(prefix.length)
      return /^[0-9a-f-]{36}$/i.test(id) ? id : null
    },
    rawBody: (request) => rawBodies.get(request),
    scheduleSettlement,
    clients: createClientDirectory({
      local(address): ClientInfo | null | undefined {
        if (localPath(address) === null) return undefined
        const name = walletNameOf(address)
        const wallet = name ? repository.wallet(name) : undefined
        if (!wallet) return null
        return {
          address,
          publicName: wallet.public_name,
          keys: keysOf(wallet),
        }
      },
    }),
  }

  const auth = createAuthServer(ctx)
  const resources = createResourceServer(ctx)
  settle = resources.settle

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: 'idle',
  })
  app.addHook('onRequest', async () => {
    requests += 1
  })
  app.removeContentTypeParser('application/json')
  // Keep the raw body: Content-Digest is verified over the exact bytes the client signed.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    rawBodies.set(request, text)
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(
        Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 }) as FastifyError,
        undefined,
      )
    }
  })
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      done(null, Object.fromEntries(new URLSearchParams(text)))
    },
  )
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (isSandboxError(error)) {
      return reply.code(error.statusCode).send(opErrorBody(error.code, error.message))
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send(opErrorBody('invalid_request', error.message))
    }
    app.log.error({ err: error }, 'sandbox request failed')
    return reply.code(500).send(opErrorBody('internal_error', 'The sandbox wallet failed'))
  })
  app.setNotFoundHandler((request, reply) => {
    return reply
      .code(404)
      .send(opErrorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`))
  })

  function walletInfo(row: WalletRow): SandboxWalletInfo {
    return {
      id: row.name,
      address: ctx.walletUrl(row.name),
      assetCode: row.asset_code,
      assetScale: row.asset_scale,
      role: row.role,
      publicName: row.public_name,
    }
  }

  registerFavicon(app)
  app.get('/', async (_request, reply) => {
    return reply.header('access-control-allow-origin', '*').send(
      repository.wallets().map((row) => ({
        ...walletInfo(row),
        balance: amountJson(row.balance, assetOf(row)),
      })),
    )
  })
  app.get<{ Params: { name: string } }>('/:name', async (request, reply) => {
    const wallet = WALLET_NAME.test(request.params.name)
      ? repository.wallet(request.params.name)
      : undefined
    if (!wallet) return reply.code(404).send(opErrorBody('not_found', 'Wallet address not found'))
    return reply
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=60')
      .send({
        id: ctx.walletUrl(wallet.name),
        publicName: wallet.public_name,
        assetCode: wallet.asset_code,
        assetScale: wallet.asset_scale,
        authServer: ctx.authServer(),
        resourceServer: baseUrl,
      })
  })
  app.get<{ Params: { name: string } }>('/:name/jwks.json', async (request, reply) => {
    const wallet = WALLET_NAME.test(request.params.name)
      ? repository.wallet(request.params.name)
      : undefined
    if (!wallet) return reply.code(404).send(opErrorBody('not_found', 'Wallet address not found'))
    return reply
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=60')
      .send({ keys: keysOf(wallet) })
  })
  auth.routes(app)
  resources.routes(app)
  const wmAgent = createWmAgent({
    base: () => baseUrl,
    agentKey: () => ({ kid: agentKid, privateKey: agentKeyPair.privateKey }),
    approve: (consentUrl) => auth.decideByUrl(consentUrl, 'approve'),
    now,
  })
  registerWmAgentRoutes(app, wmAgent)

  const wantedPort = options.port ?? 8087
  try {
    await app.listen({ host, port: wantedPort })
  } catch (error) {
    db.close()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new Error(
        `The sandbox wallet cannot listen on ${host}:${wantedPort}: the port is in use (set WM_SANDBOX_PORT to another port)`,
        { cause: error },
      )
    }
    throw error
  }
  port = (app.server.address() as AddressInfo).port
  baseUrl = `http://${urlHost(host)}:${port}`

  // Payments that were in flight when the process stopped settle now (or when their time comes).
  for (const payment of repository.sendingOutgoing()) {
    scheduleSettlement(payment.id, payment.settle_at - now())
  }

  const keyRow = repository.clientKey()
  if (!keyRow?.private_pem) throw new Error('The sandbox has no client key')
  const wallets = repository.wallets().map(walletInfo)
  const streamer = wallets.find((wallet) => wallet.role === 'streamer') as SandboxWalletInfo
  const clientWallet = wallets.find((wallet) => wallet.role === 'client') as SandboxWalletInfo

  return {
    url: baseUrl,
    wallets,
    streamer,
    client: {
      walletAddress: clientWallet.address,
      keyId: keyRow.kid,
      privateKey: createPrivateKey(keyRow.private_pem),
      privateKeyPem: keyRow.private_pem,
    },
    viewers: wallets.filter((wallet) => wallet.role === 'viewer'),
    balanceOf(walletId) {
      const name = walletNameOf(walletId) ?? walletId
      const wallet = repository.wallet(name)
      if (!wallet) throw new Error(`No sandbox wallet ${walletId}`)
      return BigInt(wallet.balance)
    },
    approve: async (consentUrl) => auth.decideByUrl(consentUrl, 'approve'),
    reject: async (consentUrl) => auth.decideByUrl(consentUrl, 'reject'),
    wmAgent,
    requestCount: () => requests,
    async close() {
      if (closed) return
      closed = true
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      await app.close()
      db.close()
    },
  }
}
