import crypto, { type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import { WalletError, WalletErrorCode } from './errors.js'

const MAX_KEY_FILE_BYTES = 16 * 1024
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

function invalid(message: string, field = 'privateKey'): WalletError {
  return new WalletError(WalletErrorCode.InvalidPrivateKey, message, field)
}

function fromPem(pem: string): KeyObject {
  return crypto.createPrivateKey({ key: pem, format: 'pem' })
}

function fromDer(der: Buffer): KeyObject {
  if (der.length === 32) return fromDer(Buffer.concat([ED25519_PKCS8_PREFIX, der]))
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
}

/**
 * The streamer's Ed25519 private key as their wallet provider hands it out: PEM text, the same PEM
 * base64-encoded (Rafiki's key download), base64 of the PKCS#8 DER, or the raw 32-byte seed in base64.
 */
export function parsePrivateKey(input: string, field = 'privateKey'): KeyObject {
  const text = input.trim()
  if (!text)
    throw invalid('Paste the private key (PEM or base64) or give the path of the key file.', field)
  let key: KeyObject | undefined
  try {
    if (text.includes('-----BEGIN')) {
      key = fromPem(text)
    } else {
      const compact = text.replace(/\s+/g, '')
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw new Error('not base64')
      const bytes = Buffer.from(
        compact,
        compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64',
      )
      const decoded = bytes.toString('utf8')
      key = decoded.includes('-----BEGIN') ? fromPem(decoded) : fromDer(bytes)
    }
  } catch {
    throw invalid(
      'The private key could not be read: paste the PEM text ("-----BEGIN PRIVATE KEY-----" ...) or the base64 key your wallet provider gave you.',
      field,
    )
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw invalid(
      `The private key is ${key.asymmetricKeyType ?? 'of an unknown type'}; Open Payments needs an Ed25519 key.`,
      field,
    )
  }
  return key
}

/** Reads a key file (the path the streamer typed), bounded in size, then parses it. */
export function readPrivateKeyFile(file: string): KeyObject {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw invalid(`No key file at ${file}.`, 'privateKeyPath')
  }
  if (!stat.isFile() || stat.size > MAX_KEY_FILE_BYTES) {
    throw invalid(`${file} is not a private key file.`, 'privateKeyPath')
  }
  return parsePrivateKey(fs.readFileSync(file, 'utf8'), 'privateKeyPath')
}

/** The form kept in the secret store. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString()
}

/** The public half as the `x` of an OKP JWK, to compare with the wallet's jwks.json. */
export function publicKeyX(key: KeyObject): string {
  const jwk = crypto.createPublicKey(key).export({ format: 'jwk' })
  return String(jwk.x)
}
