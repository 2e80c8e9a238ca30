// @ts-check
/**
 * The Web Monetization counter overlay: "Streaming now: N viewers · €x this stream", refreshed every
 * 2 s from `/overlay/wm/state`. Text only (textContent), no background (OBS shows what is behind).
 */

/** @typedef {import('../../contracts/webMonetization.js').WmLive} WmLive */

const key = new URLSearchParams(location.search).get('key') ?? ''

/** @param {string} value @param {number} scale */
function decimal(value, scale) {
  if (scale === 0) return value
  const digits = value.padStart(scale + 1, '0')
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/** @param {WmLive} live */
function paint(live) {
  const viewers = document.querySelector('.wm-viewers')
  const total = document.querySelector('.wm-total')
  if (!viewers || !total) return
  const { value, assetCode, assetScale } = live.total
  let money = `${decimal(value, assetScale)} ${assetCode}`
  try {
    money = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: assetCode,
      minimumFractionDigits: assetScale,
      maximumFractionDigits: assetScale,
    }).format(/** @type {any} */ (decimal(value, assetScale)))
  } catch {
    // An asset code Intl does not know: the plain form above.
  }
  viewers.textContent = `Streaming now: ${live.viewers} ${live.viewers === 1 ? 'viewer' : 'viewers'}`
  total.textContent = `· ${money} ${live.streamId ? 'this stream' : 'today'}`
}

async function refresh() {
  try {
    const response = await fetch(`/overlay/wm/state?key=${encodeURIComponent(key)}`, {
      cache: 'no-store',
    })
    if (response.ok) paint(/** @type {WmLive} */ (await response.json()))
  } catch {
    // The app restarted: the next refresh catches up.
  }
}

void refresh()
setInterval(() => void refresh(), 2000)
