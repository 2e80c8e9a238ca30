import type { DebugLog } from './opLogger.js'
import type { KeyObject } from 'node:crypto'
import {
  createUnauthenticatedClient,
  isFinalizedGrantWithAccessToken,
  type WalletAddress,
} from '@interledger/open-payments'
import type { Asset } from '../contracts/common.js'
import type { WalletSetupRequest, WalletStatusResponse } from '../contracts/wallet.js'
import type { WalletConfig } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SecretStore } from '../settings/secrets.js'
import type { Db } from '../storage/db.js'
import { WalletError, WalletErrorCode } from './errors.js'
import { createGrantRepository } from './grantRepository.js'
import { parsePrivateKey, privateKeyToPem, publicKeyX, readPrivateKeyFile } from './keys.js'
import {
  createOpenPaymentsGateway,
  describeOpError,
  errorStatus,
  INCOMING_PAYMENT_ACCESS,
  isUnreachable,
  type ClientIdentity,
  type OpenPaymentsGateway,
} from './openPayments.js'
import type { SandboxHost } from './sandboxIdentity.js'
import { normalizeWalletAddress } from './walletAddress.js'

/** The wallet the tips go to and the identity the app signs with. */
export interface WalletSetup {
  source: 'manual' | 'sandbox'
  walletAddress: string
  identity: ClientIdentity
}

type StoredWalletConfig = WalletConfig

export interface WalletServiceDeps {
  /** The `grants` table (reusable grants of the client identity). */
  db: Db
  /** `wallet.config`, `wallet.streamerAsset` and the Settings switch `sandbox.enabled`. */
  settings: SettingsStore
  /** `wallet.privateKey`. */
  secrets: SecretStore
  sandbox: SandboxHost
  /** WM_SANDBOX=1: use the sandbox by itself when no wallet is set up (as the Settings switch does). */
  sandboxForced: boolean
  /** WM_OP_INSECURE_HTTP: https wallet addresses are reached over http (a local Rafiki). */
  opInsecureHttp: boolean
  /** Open Payments requests and answers at debug level. */
  log?: DebugLog
  now?: () => number
}

export interface WalletService {
  /** The effective setup: the configured wallet, or the sandbox's when it is preferred and none is. */
  current(): WalletSetup | null
  gateway(): OpenPaymentsGateway | null
  /** The streamer's wallet address document (cached by the gateway). */
  streamerWallet(): Promise<{
    setup: WalletSetup
    doc: WalletAddress
    gateway: OpenPaymentsGateway
  } | null>
  status(): WalletStatusResponse
  configure(request: WalletSetupRequest): Promise<WalletStatusResponse>
  useSandbox(): Promise<WalletStatusResponse>
  forget(): void
  /** Origins that may be plain http (the sandbox). */
  httpOrigins(): string[]
  /** The sandbox's viewer wallets when tips go to the sandbox (play money), for the tip page's hint. */
  sandboxViewers(): string[] | null
  normalize(input: string, field: string): string
}

export function createWalletService(deps: WalletServiceDeps): WalletService {
  const gateways = new Map<string, OpenPaymentsGateway>()
  const grants = createGrantRepository(deps.db)
  let manualKey: { pem: string; key: KeyObject } | undefined

  const sandboxRunning = () => deps.sandbox.running()
  const sandboxPreferred = () => deps.sandboxForced || deps.settings.get('sandbox.enabled')
  function setAsset(asset: Asset): void {
    deps.settings.set('wallet.streamerAsset', {
      assetCode: asset.assetCode,
      assetScale: asset.assetScale,
    })
  }

  function stored(): StoredWalletConfig | null {
    return deps.settings.get('wallet.config')
  }

  function manualPrivateKey(): KeyObject | null {
    const pem = deps.secrets.get('wallet.privateKey')
    if (!pem) return null
    if (manualKey?.pem !== pem) manualKey = { pem, key: parsePrivateKey(pem) }
    return manualKey.key
  }

  function sandboxSetup(): WalletSetup | null {
    const sandbox = sandboxRunning()
    if (!sandbox) return null
    return {
      source: 'sandbox',
      walletAddress: sandbox.streamerWalletAddress,
      identity: {
        clientWalletAddress: sandbox.client.walletAddress,
        keyId: sandbox.client.keyId,
        privateKey: sandbox.client.privateKey,
      },
    }
  }

  function current(): WalletSetup | null {
    const config = stored()
    if (config?.source === 'manual') {
      const key = manualPrivateKey()
      if (key) {
        return {
          source: 'manual',
          walletAddress: config.walletAddress,
          identity: {
            clientWalletAddress: config.clientWalletAddress,
            keyId: config.keyId,
            privateKey: key,
          },
        }
      }
    }
    if (config?.source === 'sandbox') return sandboxSetup()
    if (!config && sandboxPreferred()) return sandboxSetup()
    return null
  }

  function gatewayFor(setup: WalletSetup): OpenPaymentsGateway {
    const key = `${setup.identity.clientWalletAddress}#${setup.identity.keyId}`
    let gateway = gateways.get(key)
    if (!gateway || gateway.identity.privateKey !== setup.identity.privateKey) {
      gateway = createOpenPaymentsGateway({
        grants,
        identity: setup.identity,
        useHttp: deps.opInsecureHttp,
        now: deps.now,
        log: deps.log,
      })
      gateways.set(key, gateway)
    }
    return gateway
  }

  function httpOrigins(): string[] {
    const sandbox = sandboxRunning()
    return sandbox ? [new URL(sandbox.url).origin] : []
  }

  function normalize(input: string, field: string): string {
    return normalizeWalletAddress(input, {
      httpOrigins: httpOrigins(),
      allowHttp: deps.opInsecureHttp,
      field,
    })
  }

  let lastAsset: string | undefined
  let lastDoc: WalletAddress | undefined
  function rememberAsset(doc: WalletAddress): void {
    lastDoc = doc
    const key = `${doc.assetCode}/${doc.assetScale}`
    if (key === lastAsset) return
    lastAsset = key
    setAsset({ assetCode: doc.assetCode, assetScale: doc.assetScale })
  }

  function status(): WalletStatusResponse {
    const config = stored()
    const setup = current()
    // Offered whenever this host can start it on demand, not only when WM_SANDBOX=1 started it.
    const sandboxAvailable = sandboxRunning() !== null || deps.sandbox.start !== undefined
    if (!setup) {
      return {
        configured: false,
        source: 'none',
        walletAddress: null,
        clientWalletAddress: null,
        keyId: null,
        publicName: null,
        asset: null,
        privateKeyConfigured: deps.secrets.has('wallet.privateKey'),
        sandboxAvailable,
      }
    }
    return {
      configured: true,
      source: setup.source,
      walletAddress: setup.walletAddress,
      clientWalletAddress: setup.identity.clientWalletAddress,
      keyId: setup.identity.keyId,
      publicName:
        config?.publicName ??
        (lastDoc?.id === setup.walletAddress ? (lastDoc.publicName ?? null) : null),
      asset: config
        ? { assetCode: config.assetCode, assetScale: config.assetScale }
        : lastDoc?.id === setup.walletAddress
          ? { assetCode: lastDoc.assetCode, assetScale: lastDoc.assetScale }
          : null,
      privateKeyConfigured: setup.source === 'manual',
      sandboxAvailable,
    }
  }

  /** Resolves a wallet address for the setup check with one clear message per failure. */
  async function resolveForSetup(
    url: string,
    field: string,
    useHttp: boolean,
  ): Promise<WalletAddress> {
    const unauthenticated = await createUnauthenticatedClient({
      useHttp,
      validateResponses: true,
      requestTimeoutMs: 10_000,
    })
    try {
      return await unauthenticated.walletAddress.get({ url })
    } catch (error) {
      if (isUnreachable(error)) {
        throw new WalletError(
          WalletErrorCode.WalletUnreachable,
          `${url} could not be reached (${describeOpError(error)}). Check the address and your connection.`,
          field,
        )
      }
      throw new WalletError(
        WalletErrorCode.NotAWalletAddress,
        `${url} answered, but not as an Open Payments wallet address (${describeOpError(error)}).`,
        field,
      )
    }
  }

  async function verify(
    request: WalletSetupRequest,
  ): Promise<{ config: StoredWalletConfig; key: KeyObject }> {
    const walletAddress = normalize(request.walletAddress, 'walletAddress')
    const clientWalletAddress = request.clientWalletAddress
      ? normalize(request.clientWalletAddress, 'clientWalletAddress')
      : walletAddress
    const keyId = request.keyId.trim()
    if (!keyId)
      throw new WalletError(
        WalletErrorCode.InvalidKeyId,
        'Enter the key id your wallet provider shows for this key.',
        'keyId',
      )
    let key: KeyObject
    if (request.privateKey?.trim()) key = parsePrivateKey(request.privateKey)
    else if (request.privateKeyPath?.trim()) key = readPrivateKeyFile(request.privateKeyPath.trim())
    else {
      const existing = manualPrivateKey()
      if (!existing) {
        throw new WalletError(
          WalletErrorCode.InvalidPrivateKey,
          'Paste the private key (PEM or base64) or give the path of the key file.',
          'privateKey',
        )
      }
      key = existing
    }

    const useHttp = deps.opInsecureHttp
    const doc = await resolveForSetup(walletAddress, 'walletAddress', useHttp)
    const clientDoc =
      clientWalletAddress === walletAddress
        ? doc
        : await resolveForSetup(clientWalletAddress, 'clientWalletAddress', useHttp)

    const unauthenticated = await createUnauthenticatedClient({ useHttp, validateResponses: true })
    let keys
    try {
      keys = await unauthenticated.walletAddress.getKeys({ url: clientDoc.id })
    } catch (error) {
      throw new WalletError(
        WalletErrorCode.KeyNotRegistered,
        `${clientDoc.id}/jwks.json could not be read (${describeOpError(error)}), so the key cannot be checked.`,
        'keyId',
      )
    }
    const listed = keys.keys.find((jwk) => jwk.kid === keyId)
    if (!listed) {
      throw new WalletError(
        WalletErrorCode.KeyNotRegistered,
        `No key with id "${keyId}" is listed at ${clientDoc.id}/jwks.json: add the key in your wallet provider's developer keys, or check the key id.`,
        'keyId',
      )
    }
    if (listed.x !== publicKeyX(key)) {
      throw new WalletError(
        WalletErrorCode.KeyNotRegistered,
        `The key listed under "${keyId}" at ${clientDoc.id}/jwks.json is not the public half of this private key: paste the private key that belongs to that key id.`,
        'privateKey',
      )
    }

    // A non-interactive incoming-payment grant proves the auth server accepts this identity; the grant
    // is kept, so the first tip does not ask again.
    const gateway = createOpenPaymentsGateway({
      grants,
      identity: { clientWalletAddress: clientDoc.id, keyId, privateKey: key },
      useHttp,
      now: deps.now,
      log: deps.log,
    })
    try {
      const op = await gateway.client()
      const grant = await op.grant.request(
        { url: doc.authServer },
        { access_token: { access: INCOMING_PAYMENT_ACCESS } },
      )
      if (!isFinalizedGrantWithAccessToken(grant)) {
        throw new WalletError(
          WalletErrorCode.GrantRefused,
          `${doc.authServer} wants an interaction for an incoming-payment grant; WM Companion needs it without one.`,
        )
      }
      gateway.storeGrant('incoming-payment', doc.authServer, grant.access_token)
    } catch (error) {
      if (error instanceof WalletError) throw error
      const status = errorStatus(error)
      throw new WalletError(
        WalletErrorCode.GrantRefused,
        `The wallet's auth server refused an incoming-payment grant${status ? ` (HTTP ${status})` : ''}: ${describeOpError(error)}. Check that the key belongs to this wallet.`,
      )
    }
    gateways.set(gateway.clientKey, gateway)
    return {
      key,
      config: {
        source: 'manual',
        walletAddress: doc.id,
        clientWalletAddress: clientDoc.id,
        keyId,
        publicName: doc.publicName ?? null,
        assetCode: doc.assetCode,
        assetScale: doc.assetScale,
      },
    }
  }

  function save(config: StoredWalletConfig): void {
    deps.settings.set('wallet.config', config)
    lastAsset = `${config.assetCode}/${config.assetScale}`
    setAsset({ assetCode: config.assetCode, assetScale: config.assetScale })
  }

  return {
    current,
    gateway() {
      const setup = current()
      return setup ? gatewayFor(setup) : null
    },
    async streamerWallet() {
      let setup = current()
      if (!setup && deps.sandbox.start && sandboxPreferred() && !sandboxRunning()) {
        // The Settings switch was turned on after start: bring the sandbox up on first use.
        await deps.sandbox.start().catch(() => null)
        setup = current()
      }
      if (!setup) return null
      const gateway = gatewayFor(setup)
      const doc = await gateway.walletAddress(setup.walletAddress)
      rememberAsset(doc)
      return { setup, doc, gateway }
    },
    status,
    async configure(request) {
      const previous = current()
      const { config, key } = await verify(request)
      deps.secrets.set('wallet.privateKey', privateKeyToPem(key))
      save(config)
      // Grants of an identity the streamer replaced must not stay valid at the wallet.
      const replaced = previous ? gatewayFor(previous) : null
      if (replaced && replaced.clientKey !== `${config.clientWalletAddress}#${config.keyId}`)
        void replaced.revokeAll().catch(() => undefined)
      return status()
    },
    async useSandbox() {
      if (!sandboxRunning() && deps.sandbox.start) {
        await deps.sandbox.start().catch(() => null)
      }
      const setup = sandboxSetup()
      if (!setup) {
        throw new WalletError(
          WalletErrorCode.SandboxNotRunning,
          'The sandbox wallet is not running: turn it on in Settings (or start with WM_SANDBOX=1).',
        )
      }
      const gateway = gatewayFor(setup)
      const doc = await gateway.walletAddress(setup.walletAddress)
      // The streamer chose the sandbox: keep it running across restarts.
      deps.settings.set('sandbox.enabled', true)
      save({
        source: 'sandbox',
        walletAddress: doc.id,
        clientWalletAddress: setup.identity.clientWalletAddress,
        keyId: setup.identity.keyId,
        publicName: doc.publicName ?? null,
        assetCode: doc.assetCode,
        assetScale: doc.assetScale,
      })
      return status()
    },
    forget() {
      deps.settings.reset('wallet.config')
      deps.secrets.delete('wallet.privateKey')
      manualKey = undefined
      lastAsset = undefined
      lastDoc = undefined
    },
    httpOrigins,
    normalize,
    sandboxViewers() {
      return current()?.source === 'sandbox' ? (sandboxRunning()?.viewers ?? null) : null
    },
  }
}
