// @ts-check
/**
 * The subathon timer: counts down by itself between updates (the server sends the remaining time on
 * every change, and again when the page reconnects), so the page never drifts from the stored end.
 */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/timer.js').TimerData} TimerData */

/** @param {number} ms */
function format(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0')
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`
}

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const panel = ctx.el('section', 'wm-timer')
  const time = ctx.el('p', 'wm-timer-time')
  time.setAttribute('role', 'timer')
  time.dataset.testid = 'timer'
  const added = ctx.el('p', 'wm-timer-added')
  panel.append(time, added)
  panel.hidden = true
  ctx.root.append(panel)

  /** @type {{ data: TimerData; at: number } | null} */
  let latest = null
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let addedTimer

  function paint() {
    if (!latest) return
    const { data, at } = latest
    const left =
      data.status === 'running' ? data.remainingMs - (performance.now() - at) : data.remainingMs
    time.textContent = data.status === 'idle' ? '' : format(left)
    panel.dataset.status = data.status
    panel.hidden = data.status === 'idle'
  }

  ctx.on('data', (/** @type {TimerData} */ data) => {
    const before = latest ? latest.data.remainingMs - (performance.now() - latest.at) : null
    latest = { data, at: performance.now() }
    // Time bought shows as "+1:30" for a few seconds: the viewer sees their support count.
    const gained = before === null ? 0 : data.remainingMs - before
    if (data.status === 'running' && gained >= 1000) {
      added.textContent = `+${format(gained)}`
      added.hidden = false
      clearTimeout(addedTimer)
      addedTimer = setTimeout(() => {
        added.hidden = true
      }, 8000)
    }
    paint()
  })
  added.hidden = true
  setInterval(paint, 250)
}
