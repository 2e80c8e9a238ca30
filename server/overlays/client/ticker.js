// @ts-check
/** The recent supporters ticker: a line that scrolls sideways. */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').TickerData} TickerData */

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const bar = ctx.el('section', 'wm-ticker')
  const title = ctx.el('span', 'wm-ticker-title')
  const track = ctx.el('div', 'wm-ticker-track')
  // The track scrolls inside its own window, never under the title.
  const viewport = ctx.el('div', 'wm-ticker-window')
  viewport.append(track)
  bar.append(title, viewport)
  bar.hidden = true
  ctx.root.append(bar)

  ctx.on('data', (/** @type {TickerData} */ data) => {
    title.textContent = data.title
    const items = data.entries.map((entry) => {
      const item = ctx.el('span', 'wm-ticker-item')
      item.append(
        ctx.el('bdi', 'wm-ticker-name', entry.name),
        ctx.el('span', 'wm-ticker-amount', entry.amountText),
      )
      return item
    })
    // Two copies make the scrolling loop seamless.
    const copy = items.map((item) => item.cloneNode(true))
    copy.forEach((node) => /** @type {HTMLElement} */ (node).setAttribute('aria-hidden', 'true'))
    track.replaceChildren(...items, ...copy)
    track.style.setProperty('--ticker-seconds', String(Math.max(10, items.length * 4)))
    bar.hidden = items.length === 0
  })
}
