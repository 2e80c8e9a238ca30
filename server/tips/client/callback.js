// @ts-check
/**
 * The grant callback page (DESIGN §5 step 5): tells the tip page that opened the wallet popup (on the
 * known public origin only) and closes itself; without an opener (full-page redirect), shows the live
 * status on the tip page instead.
 */
/** @typedef {import('../../contracts/tips.js').TipFlowState} TipFlowState */

const { flowId = '', origin = '' } = document.body.dataset
/** The flow's state after the callback, as the server rendered it. */
const state = /** @type {TipFlowState} */ (document.body.dataset.state ?? 'failed')

const opener = window.opener
if (opener && !opener.closed && origin) {
  try {
    opener.postMessage({ type: 'wm-tip-callback', flowId, state }, origin)
  } catch {
    // The opener navigated elsewhere; its status poll still sees the result.
  }
  window.setTimeout(() => window.close(), 400)
} else if (flowId) {
  location.replace(`/tip?flow=${encodeURIComponent(flowId)}`)
}
