import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { computeFinishHash, verifyFinishHash, type FinishHashInput } from './finishHash.js'

const input: FinishHashInput = {
  clientNonce: 'client-nonce-123',
  finishNonce: 'finish-nonce-456',
  interactRef: 'ref-789',
  grantEndpoint: 'https://auth.wallet.example/tenant-1',
}

function hashOver(endpoint: string, encoding: 'base64' | 'base64url'): string {
  return crypto
    .createHash('sha256')
    .update(`${input.clientNonce}\n${input.finishNonce}\n${input.interactRef}\n${endpoint}`)
    .digest(encoding)
}

describe('verifyFinishHash', () => {
  it('accepts standard base64 with padding over the authServer as given (Rafiki 2.x)', () => {
    const hash = computeFinishHash(input)
    expect(hash.endsWith('=')).toBe(true)
    expect(verifyFinishHash(hash, input)).toBe(true)
  })

  it('accepts unpadded base64url (the Open Payments docs example)', () => {
    const hash = hashOver(input.grantEndpoint, 'base64url')
    expect(hash).not.toContain('=')
    expect(verifyFinishHash(hash, input)).toBe(true)
  })

  it('accepts the authServer with a trailing slash (Rafiki 1.x) and without one', () => {
    expect(verifyFinishHash(hashOver(`${input.grantEndpoint}/`, 'base64'), input)).toBe(true)
    expect(
      verifyFinishHash(hashOver(input.grantEndpoint, 'base64'), {
        ...input,
        grantEndpoint: `${input.grantEndpoint}/`,
      }),
    ).toBe(true)
  })

  it('accepts a padded base64 hash whose + arrived as a space', () => {
    let nonce = 0
    let hash = ''
    while (!hash.includes('+')) {
      nonce += 1
      hash = computeFinishHash({ ...input, clientNonce: `n${nonce}` })
    }
    expect(verifyFinishHash(hash.replace(/\+/g, ' '), { ...input, clientNonce: `n${nonce}` })).toBe(
      true,
    )
  })

  it('rejects a missing hash, a missing interact_ref and every wrong input', () => {
    const good = computeFinishHash(input)
    expect(verifyFinishHash(undefined, input)).toBe(false)
    expect(verifyFinishHash('', input)).toBe(false)
    expect(verifyFinishHash(good, { ...input, interactRef: '' })).toBe(false)
    expect(verifyFinishHash(good, { ...input, interactRef: 'other' })).toBe(false)
    expect(verifyFinishHash(good, { ...input, clientNonce: 'other' })).toBe(false)
    expect(verifyFinishHash(good, { ...input, finishNonce: 'other' })).toBe(false)
    expect(
      verifyFinishHash(good, { ...input, grantEndpoint: 'https://evil.example/tenant-1' }),
    ).toBe(false)
  })

  it('rejects other encodings and mixtures: hex, base64url with padding, a trailing newline', () => {
    expect(verifyFinishHash(hashOver(input.grantEndpoint, 'base64url') + '=', input)).toBe(false)
    const hex = crypto
      .createHash('sha256')
      .update(
        `${input.clientNonce}\n${input.finishNonce}\n${input.interactRef}\n${input.grantEndpoint}`,
      )
      .digest('hex')
    expect(verifyFinishHash(hex, input)).toBe(false)
    const withNewline = crypto
      .createHash('sha256')
      .update(
        `${input.clientNonce}\n${input.finishNonce}\n${input.interactRef}\n${input.grantEndpoint}\n`,
      )
      .digest('base64')
    expect(verifyFinishHash(withNewline, input)).toBe(false)
    expect(verifyFinishHash(computeFinishHash(input).slice(0, -2) + '==', input)).toBe(false)
  })
})
