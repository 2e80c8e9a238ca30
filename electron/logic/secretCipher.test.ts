import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileSecretStore } from '../../server/settings/secrets.js'
import { makeTempDir } from '../../server/testing/harness.js'
import {
  createSafeStorageCipher,
  SAFE_STORAGE_CIPHER_NAME,
  type SafeStorageLike,
} from './secretCipher.js'

/** Stand-in for Electron's safeStorage (Electron cannot start here): a reversible byte transform. */
function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike {
  const flip = (data: Buffer) => Buffer.from(data.map((byte) => byte ^ 0x5a))
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => flip(Buffer.from(plain, 'utf8')),
    decryptString: (data) => flip(data).toString('utf8'),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
}

describe('createSafeStorageCipher', () => {
  it('encrypts secrets at rest through safeStorage when the OS protects the key', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage(true), 'darwin')
    expect(cipher?.name).toBe(SAFE_STORAGE_CIPHER_NAME)
    const dir = makeTempDir()
    const store = createFileSecretStore(dir, cipher)
    store.set('wallet.privateKey', 'PRIVATE-KEY-MATERIAL')
    const onDisk = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')
    expect(onDisk).not.toContain('PRIVATE-KEY-MATERIAL')
    expect(onDisk).toContain(SAFE_STORAGE_CIPHER_NAME)
    expect(createFileSecretStore(dir, cipher).get('wallet.privateKey')).toBe('PRIVATE-KEY-MATERIAL')
  })

  it('uses a Linux keyring, but not the hard-coded basic_text fallback', () => {
    expect(createSafeStorageCipher(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBeDefined()
    expect(createSafeStorageCipher(fakeSafeStorage(true, 'kwallet5'), 'linux')).toBeDefined()
    expect(createSafeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'linux')).toBeUndefined()
    expect(createSafeStorageCipher(fakeSafeStorage(true), 'linux')).toBeUndefined()
  })

  it('falls back to the 0600 file when encryption is unavailable', () => {
    expect(createSafeStorageCipher(fakeSafeStorage(false), 'win32')).toBeUndefined()
  })
})
