import type { Asset } from '../contracts/common.js'
import { decimalToMinor, makeAmount, MoneyFormatError } from '../contracts/money.js'
import type { TipTierSet } from '../contracts/tiers.js'
import type { StartTipRequest, TipPageResponse, TipPageTier } from '../contracts/tips.js'
import { describeOpError } from '../wallet/openPayments.js'
import type { WalletService } from '../wallet/walletService.js'
import { streamerWalletUnreachable, walletNotConfigured } from './errors.js'
import type { TipSettingsService } from './tipSettingsService.js'
import { MESSAGE_MAX, NAME_MAX, validateTipRequest, type ValidTip } from './validation.js'

export interface TipPageServiceDeps {
  wallets: Pick<WalletService, 'status' | 'streamerWallet' | 'sandboxViewers' | 'normalize'>
  settings: TipSettingsService
  /** The tiers the tip page shows (the tier service; the seed's decimal amounts). */
  tiers(streamId: string | null): TipTierSet
  /** The streamer's currency as last seen, for when the wallet cannot be asked. */
  asset(): Asset
}

/** What the tip page shows, and what it may send. */
export interface TipPageService {
  /** GET /api/tip-page: the streamer's name, currency, tiers in minor units and limits. */
  describe(streamId: string | null, rememberedWallet: string | null): Promise<TipPageResponse>
  /** POST /api/tips: the request checked against the streamer's wallet, tiers and limits. */
  validate(request: StartTipRequest): Promise<ValidTip>
}

/** The seed's decimal tiers in the streamer's currency, priced in minor units; others are left out. */
function pricedTiers(set: TipTierSet, asset: Asset): TipPageTier[] {
  return set.tiers
    .filter((tier) => tier.currency === asset.assetCode)
    .flatMap((tier) => {
      try {
        const value = decimalToMinor(tier.amount, asset.assetScale)
        const amount = makeAmount(value, asset.assetCode, asset.assetScale)
        return [{ id: tier.id, name: tier.name, emoji: tier.emoji, perk: tier.perk, amount }]
      } catch (error) {
        if (error instanceof MoneyFormatError) return []
        throw error
      }
    })
}

export function createTipPageService(deps: TipPageServiceDeps): TipPageService {
  return {
    async describe(streamId, rememberedWallet) {
      const setup = deps.wallets.status()
      let asset = deps.asset()
      let publicName = deps.settings.get(asset).publicName
      if (setup.configured) {
        // The wallet address document is cached; this keeps the asset right after a wallet change.
        const streamer = await deps.wallets.streamerWallet().catch(() => null)
        if (streamer) {
          asset = { assetCode: streamer.doc.assetCode, assetScale: streamer.doc.assetScale }
          publicName ||= streamer.doc.publicName ?? ''
        }
      }
      const limits = deps.settings.limits(asset)
      return {
        publicName: publicName || 'the streamer',
        asset,
        tiers: pricedTiers(deps.tiers(streamId), asset),
        minAmount: makeAmount(limits.minAmount, asset.assetCode, asset.assetScale),
        maxAmount: makeAmount(limits.maxAmount, asset.assetCode, asset.assetScale),
        available: setup.configured,
        rememberedWallet,
        limits: { name: NAME_MAX, message: MESSAGE_MAX },
        sandboxWallets: deps.wallets.sandboxViewers(),
      }
    },
    async validate(request) {
      const streamer = await deps.wallets.streamerWallet().catch((error: unknown) => {
        throw streamerWalletUnreachable(describeOpError(error))
      })
      if (!streamer) throw walletNotConfigured()
      const asset = { assetCode: streamer.doc.assetCode, assetScale: streamer.doc.assetScale }
      return validateTipRequest(
        request,
        deps.tiers(request.streamId ?? null),
        { asset, ...deps.settings.limits(asset) },
        (input, field) => deps.wallets.normalize(input, field),
      )
    },
  }
}
