import { describe, expect, it } from 'vitest'
import { redactUrl } from './logging.js'

describe('redactUrl', () => {
  it('hides login tokens, overlay keys and grant references from logged URLs', () => {
    expect(redactUrl('/auth?token=abc123')).toBe('/auth?token=%5Bredacted%5D')
    const overlay = redactUrl('/overlay/alerts?key=secret&streamId=s1')
    expect(overlay).not.toContain('secret')
    expect(overlay).toContain('streamId=s1')
    expect(redactUrl('/tip/callback/f1?hash=h&interact_ref=r')).not.toMatch(/=h|=r/)
    expect(redactUrl('/healthz')).toBe('/healthz')
  })
})
