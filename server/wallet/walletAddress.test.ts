import { describe, expect, it } from 'vitest'
import { normalizeWalletAddress } from './walletAddress.js'

describe('normalizeWalletAddress', () => {
  it('turns a payment pointer into its https URL', () => {
    expect(normalizeWalletAddress('$wallet.example/alice')).toBe('https://wallet.example/alice')
    expect(normalizeWalletAddress('  $ilp.rafiki.money/bob/ ')).toBe('https://ilp.rafiki.money/bob')
  })

  it('accepts https URLs and bare host/path forms', () => {
    expect(normalizeWalletAddress('https://wallet.example/alice')).toBe(
      'https://wallet.example/alice',
    )
    expect(normalizeWalletAddress('wallet.example/alice')).toBe('https://wallet.example/alice')
    expect(normalizeWalletAddress('$wallet.example')).toBe('https://wallet.example/.well-known/pay')
  })

  it('refuses plain http except for the sandbox origin or in insecure mode', () => {
    expect(() => normalizeWalletAddress('http://wallet.example/alice')).toThrow(/not https/)
    expect(
      normalizeWalletAddress('http://127.0.0.1:8087/alice', {
        httpOrigins: ['http://127.0.0.1:8087'],
      }),
    ).toBe('http://127.0.0.1:8087/alice')
    expect(
      normalizeWalletAddress('$127.0.0.1:8087/alice', { httpOrigins: ['http://127.0.0.1:8087'] }),
    ).toBe('http://127.0.0.1:8087/alice')
    expect(normalizeWalletAddress('http://rafiki.local/alice', { allowHttp: true })).toBe(
      'http://rafiki.local/alice',
    )
  })

  it('names the field for anything that is not a wallet address', () => {
    for (const input of [
      '',
      'ftp://wallet.example/a',
      'https://u:p@wallet.example/a',
      'https://w.example/a?x=1',
      'alice',
    ]) {
      expect(() => normalizeWalletAddress(input, { field: 'viewerWallet' })).toThrow(
        expect.objectContaining({ field: 'viewerWallet', code: 'invalid_wallet_address' }),
      )
    }
  })
})
