// @ts-check
/**
 * Entry module of every overlay page (DESIGN §8). Connects to the overlay event stream, keeps it alive
 * (heartbeat watchdog, reconnect with backoff, resume from the last alert), and mounts the page's own
 * module. Page modules get their helpers through the context: a static import would lose the `?key=`
 * that every overlay URL needs.
 *
 * Viewer text is only ever set with textContent; the page's CSP (Trusted Types, no policy) makes any
 * HTML sink throw.
 */

/**
 * @typedef {Object} OverlayContext
 * @property {string} overlay which overlay this page is ('alerts', 'goal', ...)
 * @property {HTMLElement} root the page's main element
 * @property {(tag: string, className?: string, text?: string | null) => HTMLElement} el
 *   creates an element; `text` is set with textContent
 * @property {(path: string) => string} withKey a same-origin path with the overlay key added
 * @property {(event: string, handler: (data: any) => void) => void} on handles a stream event
 * @property {(id: number) => boolean} wasDisplayed true when this page already showed alert `id`
 * @property {(id: number) => void} markDisplayed records and confirms to the server that alert `id` is on screen
 */

/**
 * @typedef {Object} OverlayModule
 * @property {(ctx: OverlayContext) => void} mount
 */

const PAGES = ['alerts', 'tiers', 'goal', 'leaderboard', 'ticker', 'levelup', 'timer']
const EVENTS = ['hello', 'ping', 'alert', 'alert.hide', 'paused', 'data', 'levelup', 'css']
const MAX_BACKOFF_MS = 15_000

const key = new URL(import.meta.url).searchParams.get('key') ?? ''
const overlay = document.body.dataset.overlay ?? ''
const storageKey = `wm-overlay:${overlay}`

/** @param {string} path */
function withKey(path) {
  const url = new URL(path, location.origin)
  url.searchParams.set('key', key)
  return url.pathname + url.search
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string | null} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined && text !== null) node.textContent = text
  return node
}

/** What survives a reload (OBS "refresh when active"): the last alert shown and the recent ids. */
function loadState() {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(storageKey) ?? '{}')
    return {
      lastId: Number(parsed.lastId) || 0,
      displayed: Array.isArray(parsed.displayed) ? parsed.displayed.map(Number) : [],
    }
  } catch {
    return { lastId: 0, displayed: [] }
  }
}
const state = loadState()
const displayed = new Set(state.displayed)

function saveState() {
  try {
    sessionStorage.setItem(
      storageKey,
      JSON.stringify({ lastId: state.lastId, displayed: [...displayed].slice(-200) }),
    )
  } catch {
    // Storage may be unavailable (private mode): resuming then relies on the server alone.
  }
}

/** @param {number} id */
function markDisplayed(id) {
  if (!displayed.has(id)) {
    displayed.add(id)
    if (displayed.size > 200) displayed.delete(displayed.values().next().value ?? id)
  }
  state.lastId = Math.max(state.lastId, id)
  saveState()
  // Confirm once the alert was painted (the frame after this one), or after 100 ms in a page that
  // paints no frames (a hidden tab): the confirmation then also stays out of the way of the other
  // overlay pages still receiving this alert.
  unconfirmed.add(id)
  const send = () => {
    if (!unconfirmed.delete(id)) return
    confirmDisplayed(id, 0)
  }
  requestAnimationFrame(() => setTimeout(send, 0))
  setTimeout(send, 100)
}

/**
 * Alerts on screen whose confirmation is not sent yet. A page reloaded (OBS's "refresh when the scene
 * becomes active") right after painting one sends it on its way out, so no other page replays it.
 */
const unconfirmed = new Set()
addEventListener('pagehide', () => {
  for (const id of unconfirmed) confirmDisplayed(id, 3)
  unconfirmed.clear()
})

/**
 * @param {number} id
 * @param {number} attempt
 */
function confirmDisplayed(id, attempt) {
  fetch(withKey('/overlay/alerts/displayed'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
    keepalive: true,
  }).then(
    (response) => {
      if (response.status >= 500 && attempt < 3) retryConfirm(id, attempt)
    },
    () => {
      if (attempt < 3) retryConfirm(id, attempt)
    },
  )
}

/**
 * @param {number} id
 * @param {number} attempt
 */
function retryConfirm(id, attempt) {
  setTimeout(() => confirmDisplayed(id, attempt + 1), 1000 * 2 ** attempt)
}

/** @type {Map<string, ((data: any) => void)[]>} */
const handlers = new Map()

/** @type {OverlayContext} */
const context = {
  overlay,
  root: /** @type {HTMLElement} */ (document.getElementById('wm-root') ?? document.body),
  el,
  withKey,
  on(event, handler) {
    const list = handlers.get(event) ?? []
    list.push(handler)
    handlers.set(event, list)
  },
  wasDisplayed: (id) => displayed.has(id),
  markDisplayed,
}

/** @type {EventSource | null} */
let source = null
let attempt = 0
let heartbeatMs = 10_000
/** @type {ReturnType<typeof setTimeout> | undefined} */
let watchdog
/** @type {ReturnType<typeof setTimeout> | undefined} */
let retryTimer

/** A dead connection shows no error: the page quietly reconnects (nothing alarming on stream). */
function setConnection(/** @type {string} */ value) {
  document.body.dataset.connection = value
}

function armWatchdog() {
  clearTimeout(watchdog)
  watchdog = setTimeout(() => reconnectLater(), heartbeatMs * 2.5)
}

function reconnectLater() {
  clearTimeout(watchdog)
  if (source) {
    source.close()
    source = null
  }
  setConnection('reconnecting')
  if (retryTimer) return
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt)
  attempt += 1
  const delay = base * (0.75 + Math.random() * 0.5)
  retryTimer = setTimeout(() => {
    retryTimer = undefined
    connect()
  }, delay)
}

function connect() {
  const url = withKey(
    `/overlay/events?overlay=${encodeURIComponent(overlay)}&since=${state.lastId}`,
  )
  const stream = new EventSource(url)
  source = stream
  stream.addEventListener('open', () => {
    attempt = 0
    setConnection('open')
    armWatchdog()
  })
  // The browser would retry on its own without backoff; we close and retry with backoff instead.
  stream.addEventListener('error', () => {
    if (source === stream) reconnectLater()
  })
  for (const name of EVENTS) {
    stream.addEventListener(name, (message) => {
      if (source !== stream) return
      armWatchdog()
      const event = /** @type {MessageEvent<string>} */ (message)
      let data
      try {
        data = JSON.parse(event.data)
      } catch {
        return
      }
      if (name === 'hello' && typeof data.heartbeatMs === 'number') heartbeatMs = data.heartbeatMs
      if (name === 'css') reloadCustomCss()
      for (const handler of handlers.get(name) ?? []) {
        try {
          handler(data)
        } catch (error) {
          console.error('overlay handler failed', error)
        }
      }
    })
  }
}

function reloadCustomCss() {
  const link = document.querySelector('link[href*="/overlay/custom.css"]')
  if (!(link instanceof HTMLLinkElement)) return
  const url = new URL(link.href)
  url.searchParams.set('v', String(Date.now()))
  link.href = url.pathname + url.search
}

async function start() {
  if (!PAGES.includes(overlay)) return
  setConnection('connecting')
  const module = /** @type {OverlayModule} */ (
    await import(withKey(`/overlay/static/${overlay}.js`))
  )
  module.mount(context)
  connect()
}

void start()
