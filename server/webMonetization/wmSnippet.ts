/**
 * What the streamer pastes: the `<link rel="monetization">` tag for any page, and the JavaScript for
 * Owncast admin → Configuration → General → Custom Scripting. Owncast serves that script from its own
 * origin (`/customjavascript`), which its CSP (`script-src 'self' …; worker-src 'self' blob:`, no
 * `connect-src`, read in owncast/owncast router/middleware/headers.go) lets run and lets `fetch` any
 * origin that answers CORS. The snippet never breaks the page: every step is guarded and a failed
 * report is dropped silently.
 */
import { escapeHtml } from '../http/html.js'

export function linkTag(walletAddress: string): string {
  return `<link rel="monetization" href="${escapeHtml(walletAddress)}">`
}

/**
 * The Owncast snippet. The viewer: Owncast web keeps the chat user's access token in localStorage
 * (`accessToken`, web/components/stores/ClientConfigStore.tsx) and shows the display name in the
 * header's user menu (`#user-menu`, UserDropdown.tsx). The token is a credential and never leaves the
 * page: only a SHA-256 of it goes with the report, a stable id for the same chat user.
 */
export function owncastSnippet(walletAddress: string, reportUrl: string): string {
  return `/* WM Companion: Web Monetization for this Owncast page (reports are hints; the app counts only what your wallet confirms). */
(function () {
  var WALLET = ${JSON.stringify(walletAddress)};
  var REPORT_URL = ${JSON.stringify(reportUrl)};
  try {
    var present = Array.prototype.some.call(document.querySelectorAll('link[rel="monetization"]'), function (l) {
      return l.getAttribute('href') === WALLET;
    });
    if (!present) {
      var link = document.createElement('link');
      link.rel = 'monetization';
      link.href = WALLET;
      (document.head || document.documentElement).appendChild(link);
    }
  } catch (e) {}
  var viewerId = null;
  try {
    var token = window.localStorage && window.localStorage.getItem('accessToken');
    if (token && window.crypto && window.crypto.subtle && window.TextEncoder) {
      window.crypto.subtle.digest('SHA-256', new TextEncoder().encode('owncast-chat:' + token)).then(function (digest) {
        viewerId = Array.prototype.map.call(new Uint8Array(digest).slice(0, 12), function (b) {
          return ('0' + b.toString(16)).slice(-2);
        }).join('');
      }, function () {});
    }
  } catch (e) {}
  function viewerName() {
    try {
      var el = document.querySelector('#user-menu [class*="username"]');
      var name = el && el.textContent ? el.textContent.trim() : '';
      return name ? name.slice(0, 100) : null;
    } catch (e) {
      return null;
    }
  }
  document.addEventListener('monetization', function (event) {
    try {
      if (!event || !event.amountSent || !event.incomingPayment || !event.paymentPointer) return;
      var body = {
        incomingPayment: String(event.incomingPayment),
        amountSent: { value: String(event.amountSent.value), currency: String(event.amountSent.currency) },
        paymentPointer: String(event.paymentPointer)
      };
      var name = viewerName();
      if (viewerId || name) {
        body.viewer = { platform: 'owncast' };
        if (viewerId) body.viewer.id = viewerId;
        if (name) body.viewer.name = name;
      }
      if (!window.fetch) return;
      window.fetch(REPORT_URL, {
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
        keepalive: true,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      }).catch(function () {});
    } catch (e) {}
  }, true);
})();
`
}
