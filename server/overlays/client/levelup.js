// @ts-check
/** Level-up celebrations of the gifter path, one after another. */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').LevelUpData} LevelUpData */

const SHOW_MS = 5000
const GAP_MS = 600

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const box = ctx.el('section', 'wm-levelup')
  box.hidden = true
  ctx.root.append(box)
  /** @type {LevelUpData[]} */
  const waiting = []
  const seen = new Set()
  let busy = false

  function next() {
    const item = waiting.shift()
    if (!item) {
      busy = false
      return
    }
    busy = true
    const line = ctx.el('p', 'wm-levelup-line')
    line.append(
      ctx.el('bdi', 'wm-levelup-name', item.name),
      ctx.el('span', '', ' reached level '),
      ctx.el('span', 'wm-levelup-level', String(item.level)),
    )
    box.replaceChildren(
      ctx.el('span', 'wm-levelup-icon', item.icon ?? '⭐'),
      line,
      ctx.el('bdi', 'wm-levelup-title', item.levelName),
    )
    box.hidden = false
    playChosenSound(ctx)
    box.classList.remove('wm-in')
    void box.offsetWidth
    box.classList.add('wm-in')
    setTimeout(() => {
      box.hidden = true
      setTimeout(next, GAP_MS)
    }, SHOW_MS)
  }

  ctx.on('levelup', (/** @type {LevelUpData} */ data) => {
    if (seen.has(data.id)) return
    seen.add(data.id)
    waiting.push(data)
    if (!busy) next()
  })
}

const SOUNDS = ['chime', 'coin', 'fanfare']

/**
 * The sound chosen in the overlay's settings (a custom property of its stylesheet, like the rest of
 * its look); none by default. OBS lets pages play audio without a click; a tab may refuse, silently.
 * @param {OverlayContext} ctx
 */
function playChosenSound(ctx) {
  const look = getComputedStyle(document.documentElement)
  const choice = look.getPropertyValue('--wm-sound').trim()
  if (!SOUNDS.includes(choice)) return
  const share = Number.parseFloat(look.getPropertyValue('--wm-volume'))
  const audio = new Audio(ctx.withKey(`/overlay/static/sounds/${choice}.wav`))
  audio.volume = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 1
  audio.play().catch(() => {})
}
