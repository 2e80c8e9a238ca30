// @ts-check
/** The leaderboard: top supporters with their totals. */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').LeaderboardData} LeaderboardData */

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const panel = ctx.el('section', 'wm-panel wm-leaderboard')
  const title = ctx.el('h1', 'wm-title')
  const list = ctx.el('ol', 'wm-board')
  panel.append(title, list)
  panel.hidden = true
  ctx.root.append(panel)

  ctx.on('data', (/** @type {LeaderboardData} */ data) => {
    title.textContent = data.title
    list.replaceChildren(
      ...data.entries.map((entry) => {
        const item = ctx.el('li', 'wm-board-entry')
        item.append(
          ctx.el('span', 'wm-board-rank', String(entry.rank)),
          ctx.el('bdi', 'wm-board-name', entry.name),
          ctx.el('span', 'wm-board-total', entry.totalText),
        )
        return item
      }),
    )
    panel.hidden = data.entries.length === 0
  })
}
