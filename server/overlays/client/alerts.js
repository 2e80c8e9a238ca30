// @ts-check
/**
 * The alert box. The server paces the queue (one alert at a time, duration, gap); this page shows what
 * it is sent, confirms each alert once it is on screen, and never shows the same alert twice.
 */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/overlays.js').OverlayAlert} OverlayAlert */

/** @param {OverlayContext} ctx */
export function mount(ctx) {
  const box = ctx.el('section', 'wm-alert')
  box.hidden = true
  box.setAttribute('aria-live', 'polite')
  ctx.root.append(box)
  /** @type {number | null} */
  let currentId = null
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let hideTimer
  /** @type {HTMLAudioElement | null} */
  let audio = null
  /** One element per sound, decoded once and replayed from the start each time. */
  /** @type {Map<string, HTMLAudioElement>} */
  const sounds = new Map()

  function hide() {
    clearTimeout(hideTimer)
    currentId = null
    box.hidden = true
    box.classList.remove('wm-in')
    delete box.dataset.alertId
    box.replaceChildren()
    if (audio) {
      audio.pause()
      audio.currentTime = 0
      audio = null
    }
  }

  /** @param {string | null} url */
  function imageSource(url) {
    if (!url) return null
    if (url.startsWith('data:image/')) return url
    if (url.startsWith('/') && !url.startsWith('//')) return ctx.withKey(url)
    return null
  }

  /** @param {OverlayAlert} alert */
  function render(alert) {
    const parts = []
    const media = ctx.el('div', 'wm-alert-media')
    const image = imageSource(alert.imageUrl)
    if (image) {
      const img = /** @type {HTMLImageElement} */ (ctx.el('img', 'wm-alert-image'))
      img.alt = ''
      img.decoding = 'async'
      img.src = image
      media.append(img)
    } else if (alert.emoji) {
      media.append(ctx.el('span', 'wm-alert-emoji', alert.emoji))
    }
    if (media.childNodes.length) parts.push(media)

    const headline = ctx.el('h1', 'wm-alert-headline')
    for (const part of alert.headline) {
      // Names and tiers come from viewers: <bdi> keeps their direction from leaking into the line.
      const node = ctx.el(part.kind === 'text' ? 'span' : 'bdi', `wm-part wm-part-${part.kind}`)
      node.textContent = part.text
      headline.append(node)
    }
    parts.push(headline)
    if (alert.message) {
      const message = ctx.el('p', 'wm-alert-message')
      message.append(ctx.el('bdi', '', alert.message))
      parts.push(message)
    }
    if (alert.isTest) parts.push(ctx.el('span', 'wm-alert-test', 'Test alert'))
    return parts
  }

  /** @param {OverlayAlert} alert */
  function show(alert) {
    hide()
    currentId = alert.id
    box.replaceChildren(...render(alert))
    box.dataset.animation = alert.animation
    box.dataset.alertId = String(alert.id)
    box.hidden = false
    // hide() removed the class: adding it on the next frame restarts the entrance animation without
    // forcing a layout now.
    requestAnimationFrame(() => {
      if (currentId === alert.id) box.classList.add('wm-in')
    })
    if (alert.soundUrl) {
      const url = ctx.withKey(alert.soundUrl)
      let sound = sounds.get(url)
      if (!sound) {
        sound = new Audio(url)
        sounds.set(url, sound)
      }
      audio = sound
      sound.volume = Math.min(1, Math.max(0, alert.volume))
      sound.play().catch(() => {
        // Autoplay is allowed in OBS; a normal browser tab may refuse until clicked.
      })
    }
    ctx.markDisplayed(alert.id)
    if (alert.durationMs > 0) hideTimer = setTimeout(hide, alert.durationMs)
  }

  ctx.on('alert', (/** @type {OverlayAlert} */ alert) => {
    if (typeof alert?.id !== 'number') return
    // Sent again (a resumed stream, a lost confirmation): confirm, but never show it twice.
    if (ctx.wasDisplayed(alert.id)) {
      ctx.markDisplayed(alert.id)
      return
    }
    show(alert)
  })
  ctx.on('alert.hide', (/** @type {{ id: number }} */ data) => {
    if (data.id === currentId) hide()
  })
  ctx.on('paused', (/** @type {{ paused: boolean }} */ data) => {
    document.body.dataset.paused = String(Boolean(data.paused))
  })
}
