/**
 * Play-money exchange for the sandbox: a fixed rate between EUR and USD and a small sending fee, all
 * in bigint minor units (never floats, DESIGN §4).
 */

export interface Asset {
  assetCode: string
  assetScale: number
}

/**
 * Worth of one major unit of each asset in a common reference unit: 1 EUR = 1.10 USD.
 * Rates are ratios of these integers, so conversions stay exact until the final rounding.
 */
const WORTH: Record<string, bigint> = { EUR: 110n, USD: 100n }

/** Sending fee: 1% of the amount sent, rounded up (at least one minor unit on any non-zero amount). */
export const FEE_BASIS_POINTS = 100n

export class NoRateError extends Error {
  constructor(from: string, to: string) {
    super(`The sandbox has no exchange rate from ${from} to ${to}`)
    this.name = 'NoRateError'
  }
}

function ratio(from: Asset, to: Asset): { num: bigint; den: bigint } {
  if (from.assetCode === to.assetCode) {
    return scaleRatio(1n, 1n, from.assetScale, to.assetScale)
  }
  const fromWorth = WORTH[from.assetCode]
  const toWorth = WORTH[to.assetCode]
  if (fromWorth === undefined || toWorth === undefined) {
    throw new NoRateError(from.assetCode, to.assetCode)
  }
  return scaleRatio(fromWorth, toWorth, from.assetScale, to.assetScale)
}

function scaleRatio(num: bigint, den: bigint, fromScale: number, toScale: number) {
  const diff = toScale - fromScale
  if (diff >= 0) return { num: num * 10n ** BigInt(diff), den }
  return { num, den: den * 10n ** BigInt(-diff) }
}

function divCeil(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b
}

/** Converts rounding up: the amount the sender needs to deliver at least `value` to the receiver. */
export function convertUp(value: bigint, from: Asset, to: Asset): bigint {
  const { num, den } = ratio(from, to)
  return divCeil(value * num, den)
}

/** Converts rounding down: the amount that arrives when `value` is sent. */
export function convertDown(value: bigint, from: Asset, to: Asset): bigint {
  const { num, den } = ratio(from, to)
  return (value * num) / den
}

export function feeFor(sent: bigint): bigint {
  return divCeil(sent * FEE_BASIS_POINTS, 10_000n)
}

/** Fixed receive: what the sender is debited (fees included) to deliver `receive`. */
export function quoteForReceive(
  receive: bigint,
  receiverAsset: Asset,
  senderAsset: Asset,
): { debit: bigint; fee: bigint } {
  const sent = convertUp(receive, receiverAsset, senderAsset)
  const fee = feeFor(sent)
  return { debit: sent + fee, fee }
}

/** Fixed send: what arrives when the sender is debited `debit` (fees included). */
export function quoteForDebit(
  debit: bigint,
  senderAsset: Asset,
  receiverAsset: Asset,
): { receive: bigint; fee: bigint } {
  // Largest `sent` with sent + fee(sent) <= debit.
  let sent = (debit * 10_000n) / (10_000n + FEE_BASIS_POINTS)
  while (sent + 1n + feeFor(sent + 1n) <= debit) sent += 1n
  while (sent > 0n && sent + feeFor(sent) > debit) sent -= 1n
  const fee = debit - sent
  return { receive: convertDown(sent, senderAsset, receiverAsset), fee }
}
