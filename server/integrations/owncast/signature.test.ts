import { describe, expect, it } from 'vitest'
import { fixture } from '../../testing/integrations.js'
import { signOwncastBody, verifyOwncastSignature } from './signature.js'

describe('verifyOwncastSignature', () => {
  const cases = JSON.parse(fixture('owncast/signed/cases.json').toString('utf8')) as {
    secret: string
    now_unix: number
    cases: Record<string, { headers: Record<string, string> }>
  }
  const body = fixture('owncast/signed/chat.body.json')
  const header = (name: string) => cases.cases[name]?.headers['Owncast-Signature']

  it('gives the verdicts of cases.json with the clock at now_unix', () => {
    const at = cases.now_unix
    expect(verifyOwncastSignature(header('chat'), body, cases.secret, at)).toEqual({
      ok: true,
      timestamp: at,
    })
    expect(
      verifyOwncastSignature(header('chat_header_swapped_order'), body, cases.secret, at).ok,
    ).toBe(true)
    expect(
      verifyOwncastSignature(header('chat_bad_signature'), body, cases.secret, at),
    ).toMatchObject({ reason: 'mismatch' })
    expect(
      verifyOwncastSignature(header('chat_stale_timestamp'), body, cases.secret, at),
    ).toMatchObject({ reason: 'expired' })
    expect(verifyOwncastSignature(undefined, body, cases.secret, at)).toMatchObject({
      reason: 'missing',
    })
  })

  it('allows 300 s of clock difference either way, not more', () => {
    const signed = signOwncastBody(body, cases.secret, 1_000_000)
    expect(verifyOwncastSignature(signed, body, cases.secret, 1_000_300).ok).toBe(true)
    expect(verifyOwncastSignature(signed, body, cases.secret, 999_700).ok).toBe(true)
    expect(verifyOwncastSignature(signed, body, cases.secret, 1_000_301).ok).toBe(false)
    expect(verifyOwncastSignature(signed, body, 'other-secret', 1_000_000)).toMatchObject({
      reason: 'mismatch',
    })
  })

  it('rejects malformed headers', () => {
    for (const bad of ['t=abc.s=00', 's=zz.t=1', 'garbage', 't=1', `t=1.s=${'0'.repeat(63)}`]) {
      expect(verifyOwncastSignature(bad, body, cases.secret, 1)).toMatchObject({
        reason: 'malformed',
      })
    }
  })
})
