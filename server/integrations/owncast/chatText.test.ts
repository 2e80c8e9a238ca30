import { describe, expect, it } from 'vitest'
import { escapeOwncastMarkdown, renderThankYou, type TipCompleted } from './chatText.js'

function tip(
  overrides: Partial<TipCompleted> & { tierName?: string | null; perk?: string | null } = {},
): TipCompleted {
  const { tierName = 'Pizza Party 🍕', perk = 'Shout-out on stream', ...rest } = overrides
  return {
    id: 1,
    kind: 'tip',
    amount: { value: '500', assetCode: 'EUR', assetScale: 2 },
    supporterName: 'ana',
    message: null,
    tierId: 'pizza',
    streamId: null,
    isTest: false,
    occurredAt: '2026-07-18T21:30:00.000Z',
    tip: { flowId: 'f1', tierName, perk },
    ...rest,
  }
}

describe('Owncast chat text', () => {
  it('escapes markdown and HTML so viewer text shows as typed', () => {
    expect(escapeOwncastMarkdown('<img src=x onerror=alert(1)>')).toBe(
      '&lt;img src\\=x onerror\\=alert\\(1\\)&gt;',
    )
    expect(escapeOwncastMarkdown('**bold** _it_ `code` # h [l](u) ![i](u)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\# h \\[l\\]\\(u\\) \\!\\[i\\]\\(u\\)',
    )
    // An entity's own # and ; are not escaped a second time.
    expect(escapeOwncastMarkdown(`it's "ok" & fine`)).toBe('it&#39;s &quot;ok&quot; &amp; fine')
    expect(escapeOwncastMarkdown('line\nbreak\u2028x')).toBe('line break x')
    expect(escapeOwncastMarkdown('https://evil.example')).toBe('https\\:\\/\\/evil\\.example')
  })

  it('fills the default template and drops separators of missing parts', () => {
    const template = '{name} tipped {amount} — {tier}! {perk}'
    expect(renderThankYou(template, tip())).toBe(
      'ana tipped €5\\.00 — Pizza Party 🍕! Shout\\-out on stream',
    )
    expect(renderThankYou(template, tip({ perk: null }))).toBe(
      'ana tipped €5\\.00 — Pizza Party 🍕!',
    )
    expect(renderThankYou(template, tip({ tierName: null, perk: null, supporterName: null }))).toBe(
      'Someone tipped €5\\.00!',
    )
    expect(
      renderThankYou(template, tip({ amount: { value: '1500', assetCode: 'JPY', assetScale: 0 } })),
    ).toMatch(/^ana tipped ¥1,500 — /)
  })

  it('keeps the streamer template markdown and clips long names', () => {
    expect(renderThankYou('**{name}** says: {message}', tip({ message: '*hi*' }))).toBe(
      '**ana** says: \\*hi\\*',
    )
    const long = renderThankYou('{name}', tip({ supporterName: 'x'.repeat(80) }))
    expect(long).toBe(`${'x'.repeat(31)}…`)
  })
})
