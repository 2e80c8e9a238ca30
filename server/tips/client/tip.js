// @ts-check
/**
 * The tip page: tiers, custom amount, wallet, name, message; consent in a popup with
 * a full-redirect fallback; live status until the tip is completed or fails. Works standalone, inside
 * Owncast's External Action iframe, and inside <wm-tip-panel>. Viewer text only ever goes through
 * textContent.
 */

/** @typedef {import('../../contracts/common.js').Amount} Amount */
/** @typedef {import('../../contracts/common.js').ErrorBody} ErrorBody */
/** @typedef {import('../../contracts/tips.js').TipPageResponse} TipPage */
/** @typedef {import('../../contracts/tips.js').TipFlowView} Flow */
/** @typedef {import('../../contracts/tips.js').TipFlowState} TipFlowState */
/** @typedef {import('../../contracts/tips.js').StartTipRequest} StartTipRequest */
/** @typedef {import('../../contracts/tips.js').StartTipResponse} StartTipResponse */

import { chargeReason, countChars, formatAmount } from './amounts.js'

/** @type {readonly TipFlowState[]} */
const FINAL = ['completed', 'rejected', 'expired', 'failed']
const params = new URLSearchParams(location.search)
const streamId = params.get('streamId') ?? params.get('stream') ?? ''
const embedded = params.get('embed') === '1' || window.parent !== window

/** @param {string} id */
function el(id) {
  const node = document.getElementById(id)
  if (!node) throw new Error(`missing #${id}`)
  return node
}

/** Tells the embedding page (the <wm-tip-panel> widget) about size and results. */
function tellParent(/** @type {Record<string, unknown>} */ message) {
  if (window.parent === window) return
  // Nothing secret: size and the public state of the viewer's own tip.
  window.parent.postMessage({ source: 'wm-tip-panel', ...message }, '*')
}

function reportHeight() {
  tellParent({ type: 'resize', height: document.documentElement.scrollHeight })
}

/** @type {TipPage | null} */
let page = null
/** @type {string | null} */
let selectedTier = null
/** @type {Window | null} */
let popup = null
/** @type {string | null} */
let currentFlow = null
/** @type {ReturnType<typeof setTimeout> | undefined} */
let pollTimer

const form = /** @type {HTMLFormElement} */ (/** @type {unknown} */ (el('tip-form')))
const amountInput = /** @type {HTMLInputElement} */ (el('amount'))
const walletInput = /** @type {HTMLInputElement} */ (el('wallet'))
const nameInput = /** @type {HTMLInputElement} */ (el('name'))
const messageInput = /** @type {HTMLTextAreaElement} */ (el('message'))
const submit = /** @type {HTMLButtonElement} */ (el('submit'))

function clearErrors() {
  for (const field of ['amount', 'viewerWallet', 'name', 'message']) {
    const node = el(`${field}-error`)
    node.hidden = true
    node.textContent = ''
  }
  for (const input of [amountInput, walletInput, nameInput, messageInput])
    input.removeAttribute('aria-invalid')
  el('form-error').hidden = true
}

/** Shows an API error next to the field it names (tierId errors go under the amount). */
function showError(/** @type {string | undefined} */ field, /** @type {string} */ message) {
  const name = (field ?? '').replace(/^body\./, '')
  const target = name === 'tierId' ? 'amount' : name
  const inputs = /** @type {Record<string, HTMLElement>} */ ({
    amount: amountInput,
    viewerWallet: walletInput,
    name: nameInput,
    message: messageInput,
  })
  if (inputs[target]) {
    const node = el(`${target}-error`)
    node.textContent = message
    node.hidden = false
    inputs[target]?.setAttribute('aria-invalid', 'true')
    inputs[target]?.focus()
  } else {
    const node = el('form-error')
    node.textContent = message
    node.hidden = false
  }
  reportHeight()
}

function renderTiers() {
  if (!page) return
  const list = el('tier-list')
  list.replaceChildren()
  for (const tier of page.tiers) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'tier'
    button.setAttribute('role', 'radio')
    button.setAttribute('aria-checked', String(tier.id === selectedTier))
    button.dataset.tierId = tier.id
    const emoji = document.createElement('span')
    emoji.className = 'emoji'
    emoji.textContent = tier.emoji
    const name = document.createElement('span')
    name.className = 'tier-name'
    name.textContent = tier.name
    const amount = document.createElement('span')
    amount.className = 'tier-amount'
    amount.textContent = formatAmount(tier.amount)
    const perk = document.createElement('span')
    perk.className = 'tier-perk'
    perk.textContent = tier.perk
    button.append(emoji, name, amount, perk)
    button.addEventListener('click', () => {
      selectedTier = selectedTier === tier.id ? null : tier.id
      if (selectedTier) amountInput.value = ''
      renderTiers()
    })
    list.append(button)
  }
  list.closest('fieldset')?.toggleAttribute('hidden', page.tiers.length === 0)
}

async function loadPage() {
  const query = streamId ? `?streamId=${encodeURIComponent(streamId)}` : ''
  const response = await fetch(`/api/tip-page${query}`, { credentials: 'same-origin' })
  if (!response.ok) throw new Error(`tip page: HTTP ${response.status}`)
  page = /** @type {TipPage} */ (await response.json())
  el('streamer-name').textContent = page.publicName
  document.title = `Tip ${page.publicName}`
  el('currency').textContent = `(${page.asset.assetCode})`
  el('range').textContent =
    `From ${formatAmount(page.minAmount)} to ${formatAmount(page.maxAmount)}.`
  if (page.rememberedWallet && !walletInput.value) walletInput.value = page.rememberedWallet
  // Owncast's External Action appends the viewer's chat name (spoofable, so only a suggestion).
  const username = params.get('username')
  if (username && !nameInput.value) nameInput.value = username
  updateCounters()
  renderTiers()
  const sandbox = el('sandbox-hint')
  if (page.sandboxWallets && page.sandboxWallets.length > 0) {
    sandbox.textContent = `Sandbox with play money: try ${page.sandboxWallets.join(' or ')}.`
    sandbox.hidden = false
  }
  el('unavailable').hidden = page.available
  form.hidden = !page.available
  el('app').setAttribute('aria-busy', 'false')
  reportHeight()
}

/** @type {Record<TipFlowState, { icon: string, title: string, text: (flow: Flow) => string }>} */
const STATUS = {
  created: { icon: '⏳', title: 'Preparing your tip…', text: () => 'Talking to your wallet.' },
  awaiting_consent: {
    icon: '👛',
    title: 'Approve in your wallet',
    text: (flow) =>
      `Your wallet opened in a new window: approve ${flow.debitAmount ? formatAmount(flow.debitAmount) : 'the payment'} there. Nothing is paid until you do.`,
  },
  authorized: { icon: '✅', title: 'Approved', text: () => 'Sending the payment…' },
  paying: {
    icon: '💸',
    title: 'Sending…',
    text: () => 'The payment is on its way to the streamer.',
  },
  completed: {
    icon: '🎉',
    title: 'Thank you!',
    text: (flow) =>
      `Your tip of ${formatAmount(flow.amount)} arrived. The streamer will see it on stream in a moment.`,
  },
  rejected: {
    icon: '✋',
    title: 'Tip cancelled',
    text: () =>
      'You declined the payment in your wallet. Nothing was paid. You can try again whenever you like.',
  },
  expired: {
    icon: '⌛',
    title: 'Approval timed out',
    text: () => 'The approval took too long, so nothing was paid. Start a new tip to try again.',
  },
  failed: {
    icon: '⚠️',
    title: 'The tip did not go through',
    text: (flow) =>
      // The server's message already says what happened to the money; it is not repeated here.
      `${flow.error?.message ?? 'Something went wrong, so nothing was paid.'} You can try again.`,
  },
}

/** While the tip waits for a decision but the wallet window is gone. */
const POPUP_CLOSED = {
  icon: '👛',
  title: 'Your wallet window was closed',
  text: () =>
    'You closed it before approving or declining, so nothing was paid. Reopen it to decide, or start over.',
}

function showStatus(/** @type {Flow} */ flow) {
  const waiting = flow.state === 'awaiting_consent'
  const info = waiting && popupClosed ? POPUP_CLOSED : (STATUS[flow.state] ?? STATUS.failed)
  if (!info) return
  const section = el('status')
  section.hidden = false
  section.className = flow.state
  section.dataset.state = flow.state
  form.hidden = true
  el('status-icon').textContent = info.icon
  el('status-title').textContent = info.title
  el('status-text').textContent = info.text(flow)
  const open = /** @type {HTMLAnchorElement} */ (/** @type {unknown} */ (el('open-wallet')))
  if (waiting && flow.consentUrl) {
    open.href = flow.consentUrl
    open.textContent = popupClosed ? 'Reopen my wallet' : 'Open my wallet'
    open.hidden = !!popup && !popup.closed
  } else {
    open.hidden = true
  }
  el('start-over').hidden = !waiting
  if (!waiting) stopWatchingPopup()
  el('again').hidden = !FINAL.includes(flow.state)
  if (FINAL.includes(flow.state)) {
    tellParent({ type: 'result', flowId: flow.flowId, state: flow.state, amount: flow.amount })
  }
  reportHeight()
}

async function poll() {
  if (!currentFlow) return
  clearTimeout(pollTimer)
  try {
    const response = await fetch(`/api/tips/${encodeURIComponent(currentFlow)}`, {
      credentials: 'same-origin',
    })
    if (response.ok) {
      const flow = /** @type {Flow} */ (await response.json())
      showStatus(flow)
      if (FINAL.includes(flow.state)) {
        currentFlow = null
        return
      }
    }
  } catch (error) {
    console.warn('tip status', error)
  }
  pollTimer = setTimeout(poll, 1000)
}

function follow(/** @type {string} */ flowId) {
  currentFlow = flowId
  void poll()
}

/** A started tip whose charge the viewer is checking before the wallet opens. */
/** @type {StartTipResponse | null} */
let pending = null
/** The wallet window was closed while the tip still waited for a decision. */
let popupClosed = false
/** @type {ReturnType<typeof setInterval> | undefined} */
let popupWatch

function showConfirm(/** @type {StartTipResponse} */ started) {
  pending = started
  form.hidden = true
  el('status').hidden = true
  el('confirm').hidden = false
  el('confirm-tip').textContent = formatAmount(started.amount)
  el('confirm-debit').textContent = started.debitAmount
    ? formatAmount(started.debitAmount)
    : 'shown in your wallet'
  el('confirm-why').textContent = chargeReason(started.amount, started.debitAmount)
  el('approve').focus()
  reportHeight()
}

function stopWatchingPopup() {
  clearInterval(popupWatch)
  popupWatch = undefined
}

/** Notices a wallet window closed without a decision (the callback closes it after one). */
function watchPopup() {
  stopWatchingPopup()
  popupClosed = false
  popupWatch = setInterval(() => {
    if (!popup || !popup.closed) return
    stopWatchingPopup()
    // After a decision the flow has already moved on: the next poll shows that, not this notice.
    popupClosed = true
    void poll()
  }, 500)
}

function openWallet(/** @type {string} */ consentUrl) {
  popup = window.open(consentUrl, 'wm-tip-consent', 'popup,width=480,height=720')
  if (popup) {
    popup.focus()
    watchPopup()
    return true
  }
  return false
}

/** Back to the form, fields kept; a tip still waiting for the wallet is abandoned there. */
async function startOver(/** @type {string | null} */ flowId) {
  stopWatchingPopup()
  clearTimeout(pollTimer)
  currentFlow = null
  pending = null
  popupClosed = false
  if (popup && !popup.closed) popup.close()
  popup = null
  el('confirm').hidden = true
  el('status').hidden = true
  form.hidden = false
  reportHeight()
  if (flowId) {
    try {
      await fetch(`/api/tips/${encodeURIComponent(flowId)}/abandon`, {
        method: 'POST',
        credentials: 'same-origin',
      })
    } catch (error) {
      // The wallet's approval lapses by itself (10 minutes); nothing was paid.
      console.warn('start over', error)
    }
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  clearErrors()
  if (!page) return
  const wallet = walletInput.value.trim()
  const amount = amountInput.value.trim().replace(',', '.')
  if (!selectedTier && !amount) return showError('amount', 'Pick a tier or enter an amount.')
  if (!wallet)
    return showError('viewerWallet', 'Enter your wallet address, like $wallet.example/alice.')
  const tooLong = updateCounters()[0]
  if (tooLong) {
    const what = tooLong.field === 'name' ? 'Your name' : 'The message'
    return showError(
      tooLong.field,
      `${what} can be at most ${tooLong.limit} characters (now ${tooLong.count}): shorten it to send.`,
    )
  }
  submit.disabled = true
  try {
    /** @type {StartTipRequest} */
    const body = {
      viewerWallet: wallet,
      ...(selectedTier ? { tierId: selectedTier } : { amount }),
      ...(nameInput.value.trim() ? { name: nameInput.value } : {}),
      ...(messageInput.value.trim() ? { message: messageInput.value } : {}),
      ...(streamId ? { streamId } : {}),
      // Owncast 0.3+ External Actions name the chat user: the tip is tied to them (never shown).
      ...(params.get('userId') ? { chatUserId: params.get('userId') ?? '' } : {}),
      ...(params.get('instance') ? { chatInstance: params.get('instance') ?? '' } : {}),
    }
    const response = await fetch('/api/tips', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!response.ok) {
      const failure = /** @type {Partial<ErrorBody>} */ (await response.json())
      return showError(failure.field, failure.message ?? 'The tip could not be started.')
    }
    // The wallet opens only once the viewer has seen what it will charge (the next click).
    showConfirm(/** @type {StartTipResponse} */ (await response.json()))
  } catch (error) {
    showError(undefined, 'The tip could not be started: check your connection and try again.')
    console.warn(error)
  } finally {
    submit.disabled = false
  }
})

el('approve').addEventListener('click', () => {
  if (!pending) return
  const started = pending
  pending = null
  el('confirm').hidden = true
  if (!openWallet(started.consentUrl) && !embedded) {
    // Popups blocked on a normal page: go to the wallet in this tab; the callback brings us back.
    location.assign(started.consentUrl)
    return
  }
  follow(started.flowId)
})
el('confirm-cancel').addEventListener('click', () => void startOver(pending?.flowId ?? null))
el('start-over').addEventListener('click', () => void startOver(currentFlow))

/**
 * The name and message limits are shown as you type and never enforced by cutting (a maxlength
 * would cut silently, and counts UTF-16 units, not characters): over the limit the counter says so.
 * Returns the fields that are too long.
 */
function updateCounters() {
  if (!page) return []
  const over = []
  for (const [input, counterId, limit, field] of /** @type {const} */ ([
    [nameInput, 'name-count', page.limits.name, 'name'],
    [messageInput, 'message-count', page.limits.message, 'message'],
  ])) {
    const count = countChars(input.value)
    const counter = el(counterId)
    const tooMany = count - limit
    counter.textContent =
      tooMany > 0
        ? `${count} / ${limit} characters: ${tooMany} too many`
        : `${count} / ${limit} characters`
    counter.classList.toggle('over', tooMany > 0)
    if (tooMany > 0) over.push({ field, limit, count })
  }
  return over
}
nameInput.addEventListener('input', updateCounters)
messageInput.addEventListener('input', updateCounters)
amountInput.addEventListener('input', () => {
  if (amountInput.value && selectedTier) {
    selectedTier = null
    renderTiers()
  }
})
el('again').addEventListener('click', () => {
  el('status').hidden = true
  form.hidden = false
  popup = null
  popupClosed = false
  reportHeight()
})
// "Reopen my wallet": the same consent page in the window we watch.
el('open-wallet').addEventListener('click', (event) => {
  const href = /** @type {HTMLAnchorElement} */ (event.currentTarget).href
  if (!href || !openWallet(href)) return
  event.preventDefault()
  popupClosed = false
  void poll()
})

// The callback page in the popup tells us the wallet answered; the status poll does the rest.
window.addEventListener('message', (/** @type {MessageEvent} */ event) => {
  if (event.origin !== location.origin) return
  const data = event.data
  if (data && data.type === 'wm-tip-callback' && typeof data.flowId === 'string')
    follow(data.flowId)
})

if (embedded) document.body.classList.add('embedded')
loadPage()
  .then(() => {
    const resume = params.get('flow')
    if (resume && /^[A-Za-z0-9_-]{10,64}$/.test(resume)) follow(resume)
  })
  .catch((error) => {
    el('unavailable').textContent = 'The tip page could not be loaded. Reload to try again.'
    el('unavailable').hidden = false
    console.warn(error)
  })
