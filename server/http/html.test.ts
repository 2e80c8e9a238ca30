import { describe, expect, it } from 'vitest'
import { escapeHtml } from './html.js'

describe('escapeHtml', () => {
  it('makes markup and both quote kinds inert, and leaves other text alone', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    )
    expect(escapeHtml('Zoë 🎉 100 €')).toBe('Zoë 🎉 100 €')
    // Already escaped text is escaped again: the helper never guesses what was meant.
    expect(escapeHtml('&amp;')).toBe('&amp;amp;')
  })
})
