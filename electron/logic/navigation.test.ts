import { describe, expect, it } from 'vitest'
import { decideNavigation, decideWindowOpen, isAllowedNavigation, originOf } from './navigation.js'

const origin = originOf('http://127.0.0.1:8085')

describe('isAllowedNavigation', () => {
  it('allows pages of the local dashboard', () => {
    expect(origin).toBe('http://127.0.0.1:8085')
    expect(isAllowedNavigation('http://127.0.0.1:8085/', origin)).toBe(true)
    expect(isAllowedNavigation('http://127.0.0.1:8085/plugins/wm/admin#x', origin)).toBe(true)
    expect(isAllowedNavigation('http://127.0.0.1:8085/auth?token=abc', origin)).toBe(true)
  })

  it.each([
    'http://127.0.0.1:8086/',
    'http://localhost:8085/',
    'https://127.0.0.1:8085/',
    'http://user@127.0.0.1:8085/',
    'https://wallet.example/',
    'file:///home/user/.ssh/id_rsa',
    'javascript:alert(1)',
    'data:text/html,hi',
    'chrome://settings',
    'garbage',
  ])('blocks %s', (url) => {
    expect(isAllowedNavigation(url, origin)).toBe(false)
  })
})

describe('decideNavigation', () => {
  it('keeps dashboard links in the window and sends https links to the OS browser', () => {
    expect(decideNavigation('http://127.0.0.1:8085/events', origin)).toEqual({ action: 'allow' })
    expect(decideNavigation('https://owncast.example/admin', origin)).toEqual({
      action: 'open-external',
      url: 'https://owncast.example/admin',
    })
  })

  it('blocks everything else', () => {
    expect(decideNavigation('http://evil.test/', origin)).toEqual({ action: 'block' })
    expect(decideNavigation('file:///etc/passwd', origin)).toEqual({ action: 'block' })
  })
})

describe('decideWindowOpen', () => {
  it('never opens an Electron window: https goes to the OS browser, the rest is dropped', () => {
    expect(decideWindowOpen('https://wallet.example/consent')).toEqual({
      action: 'open-external',
      url: 'https://wallet.example/consent',
    })
    expect(decideWindowOpen('http://127.0.0.1:8085/')).toEqual({ action: 'deny' })
    expect(decideWindowOpen('about:blank')).toEqual({ action: 'deny' })
  })
})
