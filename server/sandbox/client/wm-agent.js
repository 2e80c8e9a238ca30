// @ts-check
/**
 * The sandbox Web Monetization agent for any page: `<script src="<sandbox>/wm-agent.js?wallet=alice
 * &rate=600"></script>` (rate: minor units of the viewer's wallet per minute). It behaves as the
 * Interledger extension does for a page (DESIGN §6): it watches `<link rel="monetization">` tags (also
 * added, changed or disabled later), opens one payment session per link, pays every 2 s while the tab
 * is visible with real play money, and dispatches a `monetization` event that bubbles from the link
 * once each outgoing payment is created, with `amountSent {value, currency}`, `incomingPayment` and
 * `paymentPointer`. `window.wmAgent.sendNow(amount)` makes a one-time payment.
 */
;(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript)
  if (!script) return
  const src = new URL(script.src)
  const agentBase = src.origin
  const wallet = src.searchParams.get('wallet') ?? 'alice'
  const ratePerMinute = Math.max(0, Number(src.searchParams.get('rate') ?? '60') || 0)
  const INTERVAL_MS = 2000

  /** The event the extension dispatches; defined here when the browser has none. */
  class AgentMonetizationEvent extends Event {
    /**
     * @param {string} type
     * @param {{amountSent: {value: string, currency: string}, incomingPayment: string, paymentPointer: string}} init
     */
    constructor(type, init) {
      super(type, { bubbles: true })
      this.amountSent = init.amountSent
      this.incomingPayment = init.incomingPayment
      this.paymentPointer = init.paymentPointer
    }
  }
  const win = /** @type {any} */ (window)
  const EventClass = win.MonetizationEvent ?? AgentMonetizationEvent
  win.MonetizationEvent ??= AgentMonetizationEvent

  /**
   * @typedef {{ id: string, incomingPayment: string, receiver: string }} Session
   * @typedef {{ link: HTMLLinkElement, href: string, session: Promise<Session | null>, owed: number }} Stream
   */
  /** @type {Map<HTMLLinkElement, Stream>} */
  const streams = new Map()

  class AgentHttpError extends Error {
    /** @param {number} status @param {string} message */
    constructor(status, message) {
      super(message)
      this.status = status
    }
  }

  /** @param {string} href @returns {Promise<Session | null>} */
  function openSession(href) {
    return call('/wm-agent/sessions', { wallet, receiver: href }).catch((error) => {
      console.warn('[wm-agent] no payment session', error)
      return null
    })
  }

  /**
   * @param {string} path
   * @param {unknown} [body]
   * @param {string} [method]
   */
  async function call(path, body, method = 'POST') {
    const response = await fetch(`${agentBase}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) {
      throw new AgentHttpError(
        response.status,
        `${path}: ${response.status} ${await response.text()}`,
      )
    }
    return response.status === 204 ? null : response.json()
  }

  /** @param {Element} link */
  function usable(link) {
    if (!(link instanceof HTMLLinkElement)) return false
    if (!link.relList.contains('monetization') || link.disabled || !link.isConnected) return false
    try {
      const url = new URL(link.href)
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash
    } catch {
      return false
    }
  }

  /** @param {HTMLLinkElement} link */
  function open(link) {
    /** @type {Stream} */
    const stream = {
      link,
      href: link.href,
      owed: 0,
      session: openSession(link.href),
    }
    streams.set(link, stream)
  }

  /** @param {Stream} stream */
  function close(stream) {
    streams.delete(stream.link)
    void stream.session.then((session) => {
      if (session)
        void call(`/wm-agent/sessions/${session.id}`, undefined, 'DELETE').catch(() => {})
    })
  }

  function scan() {
    const links = /** @type {HTMLLinkElement[]} */ (
      Array.from(document.querySelectorAll('link')).filter(usable)
    )
    for (const [link, stream] of streams) {
      if (!links.includes(link) || link.href !== stream.href) close(stream)
    }
    for (const link of links) if (!streams.has(link)) open(link)
  }

  /**
   * @param {Stream} stream
   * @param {Session} session
   * @param {number} amount
   */
  async function payOnce(stream, session, amount) {
    const paid = await call(`/wm-agent/sessions/${session.id}/payments`, { amount: String(amount) })
    if (!stream.link.isConnected) return paid
    stream.link.dispatchEvent(
      new EventClass('monetization', {
        amountSent: paid.amountSent,
        incomingPayment: paid.incomingPayment,
        paymentPointer: paid.paymentPointer,
      }),
    )
    return paid
  }

  async function tick() {
    // Paused while the tab is hidden, as the extension does: nothing is owed for hidden time.
    if (document.hidden) return
    for (const stream of streams.values()) {
      stream.owed += (ratePerMinute * INTERVAL_MS) / 60_000
      const amount = Math.floor(stream.owed)
      if (amount < 1) continue
      const session = await stream.session
      if (!streams.has(stream.link)) continue
      if (!session) {
        // The wallet was unreachable: try a new session on the next tick.
        stream.session = openSession(stream.href)
        continue
      }
      stream.owed -= amount
      try {
        await payOnce(stream, session, amount)
      } catch (error) {
        stream.owed += amount
        console.warn('[wm-agent] payment failed', error)
        // An unknown session (the wallet restarted) or a closed incoming payment: start again.
        if (error instanceof AgentHttpError && (error.status === 404 || error.status === 400)) {
          stream.session = openSession(stream.href)
        }
      }
    }
  }

  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    void tick().finally(() => (busy = false))
  }, INTERVAL_MS)

  new MutationObserver(scan).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['href', 'rel', 'disabled'],
  })
  scan()

  win.wmAgent = {
    /**
     * A one-time payment of `amount` minor units of the viewer's wallet to the first monetized link,
     * on an incoming payment of its own (open 30 s).
     * @param {number | string} amount
     */
    async sendNow(amount) {
      const link = Array.from(streams.keys())[0]
      if (!link) throw new Error('This page has no monetization link')
      const session = await call('/wm-agent/sessions', {
        wallet,
        receiver: link.href,
        oneTime: true,
      })
      const stream = /** @type {Stream} */ (streams.get(link))
      return payOnce(stream, session, Number(amount))
    },
    stop() {
      clearInterval(timer)
      for (const stream of Array.from(streams.values())) close(stream)
    },
    wallet,
    ratePerMinute,
  }
})()
