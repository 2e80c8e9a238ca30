// @ts-check
/** The tip tiers: emoji, name, amount and perk of each tier the tip page offers. */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').TiersData} TiersData */

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const panel = ctx.el('section', 'wm-panel wm-tiers')
  const list = ctx.el('ul', 'wm-tier-list')
  panel.append(list)
  panel.hidden = true
  ctx.root.append(panel)

  ctx.on('data', (/** @type {TiersData} */ data) => {
    list.replaceChildren(
      ...data.tiers.map((tier) => {
        const item = ctx.el('li', 'wm-tier')
        item.append(
          ctx.el('span', 'wm-tier-emoji', tier.emoji),
          ctx.el('bdi', 'wm-tier-name', tier.name),
          ctx.el('span', 'wm-tier-amount', tier.amountText),
          ctx.el('bdi', 'wm-tier-perk', tier.perk),
        )
        return item
      }),
    )
    panel.hidden = data.tiers.length === 0
  })
}
