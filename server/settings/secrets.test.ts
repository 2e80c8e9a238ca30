import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../testing/harness.js'
import { createFileSecretStore, type SecretCipher } from './secrets.js'

// A reversible stand-in for Electron safeStorage (which needs Electron): XOR with a fixed pad.
const xorCipher: SecretCipher = {
  name: 'test-xor',
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)),
  decrypt: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
}

describe('secret store', () => {
  it('keeps secrets in a file only the user can read, surviving a new store instance', () => {
    const dir = makeTempDir()
    const store = createFileSecretStore(dir)
    store.set('owncast.accessToken', 'tok-123')
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600)
    const reopened = createFileSecretStore(dir)
    expect(reopened.get('owncast.accessToken')).toBe('tok-123')
    expect(reopened.names()).toEqual(['owncast.accessToken'])
    reopened.delete('owncast.accessToken')
    expect(createFileSecretStore(dir).has('owncast.accessToken')).toBe(false)
  })

  it('encrypts at rest when the desktop shell provides a cipher', () => {
    const dir = makeTempDir()
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----'
    createFileSecretStore(dir, xorCipher).set('wallet.privateKey', pem)
    const onDisk = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')
    expect(onDisk).not.toContain('PRIVATE KEY')
    expect(createFileSecretStore(dir, xorCipher).get('wallet.privateKey')).toBe(pem)
    // Without the cipher (headless on the same folder) the secret is not silently misread.
    expect(() => createFileSecretStore(dir).get('wallet.privateKey')).toThrow(/test-xor/)
  })
})
