import type { StreamerAsset } from '../app/infrastructure.js'
import type { StartTipRequest } from '../contracts/tips.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { TipTier, TipTierSet } from '../contracts/tiers.js'
import { cleanText, textLength } from '../contracts/text.js'
import { isHttpError } from '../http/errors.js'
import { TipError, TipErrorCode } from './errors.js'

export const NAME_MAX = 32
export const MESSAGE_MAX = 200

export interface TipLimits {
  asset: StreamerAsset
  minAmount: bigint
  maxAmount: bigint
}

/** The tier a tip was priced from; its decimal amount is already `amountValue`, in minor units. */
export type ChosenTier = Pick<TipTier, 'id' | 'name' | 'perk' | 'currency'>

/** A tip request checked and converted at the API's edge: amounts in minor units from here on. */
export interface ValidTip {
  amountValue: bigint
  tier: ChosenTier | null
  viewerWallet: string
  name: string | null
  message: string | null
  requestedStreamId: string | null
  /** The Owncast chat user (External Action `?userId=`) and page, when given. */
  chatUser?: { id: string; instance: string | null } | null
}

/** Owncast user ids are short URL-safe tokens (shortid). */
const CHAT_USER_ID = /^[A-Za-z0-9_-]{1,64}$/

function chatUserOf(body: StartTipRequest): ValidTip['chatUser'] {
  const id = body.chatUserId?.trim()
  if (!id) return null
  if (!CHAT_USER_ID.test(id)) {
    throw new TipError(
      TipErrorCode.InvalidChatUser,
      'The chat user id from Owncast is not valid: open the tip page again from the chat.',
      'chatUserId',
    )
  }
  return { id, instance: cleanText(body.chatInstance)?.slice(0, 500) ?? null }
}

/** The tip's name or message under the one text rule (server/contracts/text.ts); '' becomes null. */
export function cleanViewerText(value: string | undefined): string | null {
  return cleanText(value)
}

function checkLength(
  value: string | null,
  max: number,
  field: string,
  code: TipErrorCode,
  what: string,
): void {
  const length = value === null ? 0 : textLength(value)
  if (length > max) {
    throw new TipError(code, `${what} can be at most ${max} characters (got ${length}).`, field)
  }
}

/**
 * Validates a tip request against the streamer's tiers and limits: one 400 naming the field for each
 * violation. The seed's decimal amounts (the request's, a tier's) become minor units here. The wallet is normalized by `normalizeWallet` (which throws its own 400).
 */
export function validateTipRequest(
  body: StartTipRequest,
  tiers: TipTierSet,
  limits: TipLimits,
  normalizeWallet: (input: string, field: string) => string,
): ValidTip {
  const name = cleanViewerText(body.name)
  checkLength(name, NAME_MAX, 'name', TipErrorCode.InvalidName, 'The name')
  const message = cleanViewerText(body.message)
  checkLength(message, MESSAGE_MAX, 'message', TipErrorCode.InvalidMessage, 'The message')

  let tier: TipTier | null = null
  let amountValue: bigint
  if (body.tierId !== undefined && body.tierId !== '') {
    tier = tiers.tiers.find((candidate) => candidate.id === body.tierId) ?? null
    if (!tier)
      throw new TipError(TipErrorCode.InvalidTier, `There is no tier "${body.tierId}".`, 'tierId')
    if (tier.currency !== limits.asset.assetCode) {
      throw new TipError(
        TipErrorCode.InvalidTier,
        `The tier "${tier.id}" is priced in ${tier.currency} but the streamer receives ${limits.asset.assetCode}.`,
        'tierId',
      )
    }
    amountValue = decimalToMinor(tier.amount, limits.asset.assetScale)
  } else if (body.amount !== undefined && body.amount !== '') {
    try {
      amountValue = decimalToMinor(body.amount, limits.asset.assetScale)
    } catch (error) {
      if (error instanceof MoneyFormatError) {
        throw new TipError(
          TipErrorCode.InvalidAmount,
          `The amount is not valid: ${error.message}.`,
          'amount',
        )
      }
      throw error
    }
  } else {
    throw new TipError(TipErrorCode.InvalidAmount, 'Pick a tier or enter an amount.', 'amount')
  }
  const field = tier ? 'tierId' : 'amount'
  if (amountValue < limits.minAmount || amountValue <= 0n) {
    throw new TipError(
      TipErrorCode.InvalidAmount,
      'The amount is below the smallest tip this streamer accepts.',
      field,
    )
  }
  if (amountValue > limits.maxAmount) {
    throw new TipError(
      TipErrorCode.InvalidAmount,
      'The amount is above the largest tip this streamer accepts.',
      field,
    )
  }

  let viewerWallet: string
  try {
    viewerWallet = normalizeWallet(body.viewerWallet ?? '', 'viewerWallet')
  } catch (error) {
    if (isHttpError(error))
      throw new TipError(TipErrorCode.InvalidWallet, error.message, 'viewerWallet')
    throw error
  }
  const streamId = body.streamId?.trim() ? body.streamId.trim().slice(0, 200) : null
  return {
    amountValue,
    tier,
    viewerWallet,
    name,
    message,
    requestedStreamId: streamId,
    chatUser: chatUserOf(body),
  }
}
