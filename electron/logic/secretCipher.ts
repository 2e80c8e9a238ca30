/**
 * Secrets at rest (DESIGN §4): encrypted with Electron safeStorage when it really encrypts, else left to
 * the secret store's 0600 file. No Electron import: `safeStorage` is passed in, so this is tested under
 * Node with a stand-in for the one Electron module that cannot run here.
 */
import type { SecretCipher } from '../../server/settings/secrets.js'

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string
}

/** The name recorded beside each encrypted secret; a secret written under it needs this cipher to read. */
export const SAFE_STORAGE_CIPHER_NAME = 'electron-safe-storage'

/**
 * A cipher when safeStorage protects the key with the OS (Keychain, DPAPI, libsecret, KWallet). On Linux
 * without a keyring Electron falls back to `basic_text`, a key hard-coded in Chromium: that adds nothing
 * over a file only the user can read, and would lock the secrets to Electron, so it is not used.
 * Call after the app's `ready` event (safeStorage is not usable before it on Linux).
 */
export function createSafeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: string,
): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown'
    if (backend === 'basic_text' || backend === 'unknown') return undefined
  }
  return {
    name: SAFE_STORAGE_CIPHER_NAME,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  }
}
