// @ts-check
/**
 * What the tip page says about amounts and lengths: money without floats, the wallet's charge explained,
 * and length counted as the tip API counts it.
 */

/** @typedef {import('../../contracts/common.js').Amount} Amount */

/** Minor units to a decimal string without floats: ("150", 2) -> "1.50". */
export function minorToDecimal(/** @type {string} */ value, /** @type {number} */ scale) {
  const digits = value.replace(/^-/, '').padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return scale > 0 ? `${whole}.${fraction}` : whole
}

/** @param {Amount} amount */
export function formatAmount(amount) {
  const decimal = minorToDecimal(amount.value, amount.assetScale)
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: amount.assetCode,
      minimumFractionDigits: amount.assetScale,
      maximumFractionDigits: amount.assetScale,
    }).format(/** @type {any} */ (decimal))
  } catch {
    return `${decimal} ${amount.assetCode}`
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/**
 * Length as a person counts it, the same count the tip API checks (server/contracts/text.ts): a
 * joined emoji such as 👨‍👩‍👧 is one character.
 */
export function countChars(/** @type {string} */ text) {
  let count = 0
  for (const _ of graphemes.segment(text.trim())) count += 1
  return count
}

/** Why the wallet charges what it does: its own fee or its exchange, never this page's. */
export function chargeReason(/** @type {Amount} */ amount, /** @type {Amount | null} */ debit) {
  if (!debit) return 'Your wallet shows the exact charge before you approve.'
  if (debit.assetCode !== amount.assetCode || debit.assetScale !== amount.assetScale) {
    return `Your wallet pays in ${debit.assetCode} and converts at its own exchange rate, its fees included. This page takes no fee.`
  }
  const extra = BigInt(debit.value) - BigInt(amount.value)
  if (extra > 0n) {
    const fee = formatAmount({ ...amount, value: extra.toString() })
    return `The extra ${fee} is your wallet's own fee for sending the payment. This page takes no fee.`
  }
  return 'Your wallet charges exactly the tip: no fee.'
}
