// @ts-check
/**
 * The alert box. The server paces the queue (one alert at a time, duration, gap); this page shows what
 * it is sent, confirms each alert once it is on screen, and never shows the same alert twice.
 */

/** @typedef {import('./overlay.js').OverlayContext} OverlayContext */
/** @typedef {import('../../contracts/alerts.js').OverlayAlert} OverlayAlert */

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
  const sound = createSoundPlayer()

  function hide() {
    clearTimeout(hideTimer)
    currentId = null
    box.hidden = true
    box.classList.remove('wm-in')
    delete box.dataset.alertId
    box.replaceChildren()
    sound.stop()
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

    // The tier the viewer chose is named, unless the streamer's template already says it.
    if (alert.tier && !alert.headline.some((part) => part.kind === 'tier'))
      parts.push(ctx.el('bdi', 'wm-alert-tier', alert.tier))
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
    const { soundUrl, volume } = chosenSound(alert)
    if (soundUrl) sound.play(ctx.withKey(soundUrl), volume, () => currentId === alert.id)
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

const SOUND_CHOICES = ['chime', 'coin', 'fanfare']

/**
 * The streamer's sound choice for this overlay comes with its look (custom properties of the page's
 * stylesheet, server/overlays/overlayStyle.ts): each alert's own sound, none, or one for all, at a
 * share of each sound's volume.
 * @param {OverlayAlert} alert
 * @returns {{ soundUrl: string | null, volume: number }}
 */
function chosenSound(alert) {
  const look = getComputedStyle(document.documentElement)
  const choice = look.getPropertyValue('--wm-sound').trim() || 'per-alert'
  const share = Number.parseFloat(look.getPropertyValue('--wm-volume'))
  const volume = alert.volume * (Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 1)
  if (choice === 'off') return { soundUrl: null, volume }
  if (SOUND_CHOICES.includes(choice))
    return { soundUrl: `/overlay/static/sounds/${choice}.wav`, volume }
  return { soundUrl: alert.soundUrl, volume }
}

/**
 * Sounds through Web Audio: each file is fetched and decoded once per page, and playing one is a
 * cheap buffer source (an <audio> element per alert costs far more when many overlays are open).
 * OBS allows autoplay; in a normal tab the context stays suspended until a click, silently.
 */
const IDLE_SLEEP_MS = 15_000

function createSoundPlayer() {
  /** @type {AudioContext | null} */
  let context = null
  /** @type {Map<string, Promise<AudioBuffer | null>>} */
  const buffers = new Map()
  /** @type {AudioBufferSourceNode | null} */
  let playing = null
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let sleepTimer

  /**
   * A running context mixes audio all the time: after a quiet spell it sleeps (waking it costs a
   * little, so not between two alerts of a busy stream).
   * @param {AudioContext} audio
   */
  function sleepLater(audio) {
    clearTimeout(sleepTimer)
    sleepTimer = setTimeout(() => {
      if (!playing) audio.suspend().catch(() => {})
    }, IDLE_SLEEP_MS)
  }

  /** @param {string} url */
  function load(url) {
    let buffer = buffers.get(url)
    if (!buffer) {
      const audio = /** @type {AudioContext} */ (context)
      buffer = fetch(url)
        .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(response)))
        .then((bytes) => audio.decodeAudioData(bytes))
        .catch(() => null)
      buffers.set(url, buffer)
    }
    return buffer
  }

  return {
    /**
     * @param {string} url
     * @param {number} volume 0 to 1
     * @param {() => boolean} stillWanted false once the alert is gone before the sound is ready
     */
    play(url, volume, stillWanted) {
      try {
        // 'playback' lets the audio thread wake with larger buffers instead of every few milliseconds:
        // tens of milliseconds later for a chime nobody is playing along with, and far less CPU taken
        // from the other overlays of the scene (measured by `npm run bench -- overlays`).
        context ??= new AudioContext({ latencyHint: 'playback' })
      } catch {
        return
      }
      const audio = context
      clearTimeout(sleepTimer)
      if (audio.state !== 'running') audio.resume().catch(() => {})
      void load(url).then((buffer) => {
        if (!buffer || !stillWanted()) return
        const source = audio.createBufferSource()
        const gain = audio.createGain()
        gain.gain.value = Math.min(1, Math.max(0, volume))
        source.buffer = buffer
        source.connect(gain).connect(audio.destination)
        source.addEventListener('ended', () => {
          if (playing === source) playing = null
          sleepLater(audio)
        })
        source.start()
        playing = source
      })
    },
    stop() {
      if (!playing) return
      const source = playing
      playing = null
      try {
        source.stop()
      } catch {
        // Already ended.
      }
      if (context) sleepLater(context)
    },
  }
}
