import fs from 'node:fs'
import path from 'node:path'

/**
 * Secrets (the Open Payments private key, Owncast access token, webhook secrets) never reach the
 * renderer, overlays or logs. At rest they are encrypted with Electron safeStorage when the desktop shell
 * provides a cipher, else kept in a file only the user can read (0600), DESIGN §4.
 */
export interface SecretCipher {
  readonly name: string
  encrypt(plain: string): Buffer
  decrypt(data: Buffer): string
}

/** Every secret the app keeps, named like settings (`<feature>.<name>`, server/settings/keys.ts). */
export type SecretName =
  /** The Open Payments client's Ed25519 private key (PEM). */
  | 'wallet.privateKey'
  /** Owncast access token (admin → Access Tokens). */
  | 'owncast.accessToken'
  /** The per-webhook signing secret Owncast 0.3.0+ shows; pasted by the streamer. */
  | 'owncast.signingSecret'
  /** Our random key in the Owncast webhook URL (`?key=`), for servers that do not sign. */
  | 'owncast.webhookUrlKey'
  /** The shared secret OSP sends in the X-Companion-Token header. */
  | 'osp.token'
  /** The AI tier endpoint's API key. */
  | 'ai.apiKey'
  /** obs-websocket's server password (OBS → Tools → WebSocket Server Settings). */
  | 'obs.password'

/** Names written by version 0.1, renamed when the file is first read. */
const LEGACY_NAMES: Record<string, SecretName> = {
  'openPayments.privateKey': 'wallet.privateKey',
  'owncast.webhookSecret': 'owncast.signingSecret',
  'custom.owncast.webhookUrlKey': 'owncast.webhookUrlKey',
  'osp.webhookSecret': 'osp.token',
}

export interface SecretStore {
  get(name: SecretName): string | undefined
  set(name: SecretName, value: string): void
  delete(name: SecretName): void
  has(name: SecretName): boolean
  /** Which secrets exist, for the UI ("configured"), never their values. */
  names(): SecretName[]
}

interface StoredSecret {
  /** 'plain' or the cipher's name. */
  enc: string
  data: string
}

export class SecretStoreError extends Error {
  override name = 'SecretStoreError'
}

export function createFileSecretStore(dataDir: string, cipher?: SecretCipher): SecretStore {
  const file = path.join(dataDir, 'secrets.json')
  let cache: Record<string, StoredSecret> | undefined

  function load(): Record<string, StoredSecret> {
    if (cache) return cache
    let stored: Record<string, StoredSecret>
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, StoredSecret>
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new SecretStoreError(`cannot read ${file}: ${(error as Error).message}`)
      }
      stored = {}
    }
    const legacy = Object.keys(stored).filter((name) => name in LEGACY_NAMES)
    if (legacy.length === 0) return (cache = stored)
    // Only the name changes: an encrypted value stays encrypted as it was.
    const renamed: Record<string, StoredSecret> = {}
    for (const [name, entry] of Object.entries(stored)) {
      const next = LEGACY_NAMES[name] ?? name
      if (!(next in renamed) || name === next) renamed[next] = entry
    }
    save(renamed)
    return renamed
  }

  function save(next: Record<string, StoredSecret>): void {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 })
    fs.renameSync(tmp, file)
    fs.chmodSync(file, 0o600)
    cache = next
  }

  return {
    get(name) {
      const entry = load()[name]
      if (!entry) return undefined
      if (entry.enc === 'plain') return entry.data
      if (!cipher || cipher.name !== entry.enc) {
        throw new SecretStoreError(
          `secret ${name} is encrypted with ${entry.enc}, which is not available here`,
        )
      }
      return cipher.decrypt(Buffer.from(entry.data, 'base64'))
    },
    set(name, value) {
      const entry: StoredSecret = cipher
        ? { enc: cipher.name, data: cipher.encrypt(value).toString('base64') }
        : { enc: 'plain', data: value }
      save({ ...load(), [name]: entry })
    },
    delete(name) {
      const next = { ...load() }
      delete next[name]
      save(next)
    },
    has(name) {
      return name in load()
    },
    names() {
      return Object.keys(load()) as SecretName[]
    },
  }
}
