// @ts-check
/**
 * <wm-tip-panel stream-id="..."></wm-tip-panel>: embeds the tip page (the same flow, the same consent
 * popup) in any page. Load with `<script type="module" src="https://<public URL>/tip/widget.js">`.
 * Fires a `wm-tip` event ({ detail: { flowId, state, amount } }) when a tip ends.
 */
/** @typedef {import('../../contracts/common.js').Amount} Amount */
/** @typedef {import('../../contracts/tips.js').TipFlowState} TipFlowState */
/**
 * What the embedded tip page tells its panel (tip.js `tellParent`): its height, and a tip's end.
 * @typedef {{ source: 'wm-tip-panel', type: 'resize', height: number }
 *   | { source: 'wm-tip-panel', type: 'result', flowId: string, state: TipFlowState, amount: Amount }} PanelMessage
 */

const origin = new URL(import.meta.url).origin

class WmTipPanel extends HTMLElement {
  static get observedAttributes() {
    return ['stream-id']
  }

  constructor() {
    super()
    this.frame = document.createElement('iframe')
    this.onMessage = this.onMessage.bind(this)
    const root = this.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent =
      ':host{display:block;max-width:460px}iframe{display:block;width:100%;height:640px;border:0;background:transparent}'
    this.frame.title = 'Send a tip'
    this.frame.setAttribute('loading', 'lazy')
    this.frame.setAttribute('allow', 'clipboard-write')
    root.append(style, this.frame)
  }

  connectedCallback() {
    window.addEventListener('message', this.onMessage)
    this.load()
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage)
  }

  attributeChangedCallback() {
    if (this.isConnected) this.load()
  }

  load() {
    const src = new URL('/tip', origin)
    src.searchParams.set('embed', '1')
    const streamId = this.getAttribute('stream-id')
    if (streamId) src.searchParams.set('streamId', streamId)
    if (this.frame.src !== src.href) this.frame.src = src.href
  }

  /** @param {MessageEvent} event */
  onMessage(event) {
    if (event.origin !== origin || event.source !== this.frame.contentWindow) return
    const data = /** @type {PanelMessage | null} */ (event.data)
    if (!data || data.source !== 'wm-tip-panel') return
    if (data.type === 'resize' && typeof data.height === 'number') {
      this.frame.style.height = `${Math.min(Math.max(data.height, 200), 2000)}px`
    } else if (data.type === 'result') {
      this.dispatchEvent(
        new CustomEvent('wm-tip', {
          detail: { flowId: data.flowId, state: data.state, amount: data.amount },
          bubbles: true,
          composed: true,
        }),
      )
    }
  }
}

if (!customElements.get('wm-tip-panel')) customElements.define('wm-tip-panel', WmTipPanel)
