// @ts-check
/** The goal bar: title, progress bar, raised / target. */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').GoalData} GoalData */

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const panel = ctx.el('section', 'wm-panel wm-goal')
  const title = ctx.el('h1', 'wm-title')
  const bar = ctx.el('div', 'wm-goal-bar')
  const fill = ctx.el('div', 'wm-goal-fill')
  const figures = ctx.el('p', 'wm-goal-figures')
  // Title and figures share one line above the bar: the strip is short and wide.
  const head = ctx.el('div', 'wm-goal-head')
  head.append(title, figures)
  bar.append(fill)
  panel.append(head, bar)
  panel.hidden = true
  ctx.root.append(panel)

  ctx.on('data', (/** @type {GoalData} */ data) => {
    title.textContent = data.title
    const fraction = Math.min(1, Math.max(0, Number(data.fraction) || 0))
    fill.style.setProperty('--fraction', String(fraction))
    bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)))
    figures.textContent = `${data.currentText} / ${data.targetText}`
    panel.hidden = false
  })
}
