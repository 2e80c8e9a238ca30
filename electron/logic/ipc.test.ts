import { describe, expect, it } from 'vitest'
import {
  externalHttpsUrl,
  IPC_CHANNELS,
  IpcValidationError,
  isTrustedSender,
  MAX_CLIPBOARD_CHARS,
  parseAlertsPaused,
  parseCopyText,
  toDesktopPlatform,
} from './ipc.js'

const origin = 'http://127.0.0.1:8085'

describe('isTrustedSender', () => {
  it('trusts only the top frame of the local dashboard origin', () => {
    expect(isTrustedSender({ url: `${origin}/overlays`, isMainFrame: true }, origin)).toBe(true)
    expect(isTrustedSender({ url: `${origin}/`, isMainFrame: false }, origin)).toBe(false)
  })

  it.each([
    'http://localhost:8085/',
    'http://127.0.0.1:8086/tip',
    'https://127.0.0.1:8085/',
    'http://127.0.0.1.evil.test:8085/',
    'file:///etc/passwd',
    'data:text/html,<script>1</script>',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isTrustedSender({ url, isMainFrame: true }, origin)).toBe(false)
  })

  it('refuses a sender without a URL', () => {
    expect(isTrustedSender({ url: null, isMainFrame: true }, origin)).toBe(false)
  })
})

describe('argument validation', () => {
  it('accepts clipboard text and refuses non-strings and huge strings', () => {
    expect(parseCopyText('http://127.0.0.1:8085/overlay/alerts?key=abc')).toContain('key=abc')
    expect(() => parseCopyText(42)).toThrow(IpcValidationError)
    expect(() => parseCopyText({ toString: () => 'x' })).toThrow(IpcValidationError)
    expect(() => parseCopyText('x'.repeat(MAX_CLIPBOARD_CHARS + 1))).toThrow(/at most/)
  })

  it('accepts only a real boolean for pause', () => {
    expect(parseAlertsPaused(true)).toBe(true)
    expect(parseAlertsPaused(false)).toBe(false)
    expect(() => parseAlertsPaused('true')).toThrow(IpcValidationError)
    expect(() => parseAlertsPaused(1)).toThrow(IpcValidationError)
  })

  it('lets only plain https URLs reach the OS browser', () => {
    expect(externalHttpsUrl('https://wallet.example/alice')).toBe('https://wallet.example/alice')
    expect(externalHttpsUrl('HTTPS://Wallet.Example/a b')).toBe('https://wallet.example/a%20b')
    for (const bad of [
      'http://wallet.example/',
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'https://wallet.example@evil.test/',
      'https://user:pass@wallet.example/',
      `https://wallet.example/${'a'.repeat(3000)}`,
      '',
      null,
      42,
    ]) {
      expect(externalHttpsUrl(bad), String(bad)).toBeNull()
    }
  })

  it('maps platforms to the contract', () => {
    expect(toDesktopPlatform('darwin')).toBe('darwin')
    expect(toDesktopPlatform('linux')).toBe('linux')
    expect(toDesktopPlatform('freebsd')).toBe('other')
  })

  it('uses distinct, namespaced channel names', () => {
    const names = Object.values(IPC_CHANNELS)
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^wm-desktop:[a-z-]+$/)
  })
})
