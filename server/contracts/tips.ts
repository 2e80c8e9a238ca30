/**
 * Types of the tip API (public listener) and the wallet setup API (local listener), shared by the route
 * schemas, the renderer's Setup page and the tip page. Type-only safe: no Node imports.
 */
import type { Amount } from './money.js'

/** The persisted state machine of one tip (DESIGN §5). */
export type TipFlowState =
  | 'created'
  | 'awaiting_consent'
  | 'authorized'
  | 'paying'
  | 'completed'
  | 'rejected'
  | 'expired'
  | 'failed'

export const FINAL_TIP_STATES: readonly TipFlowState[] = [
  'completed',
  'rejected',
  'expired',
  'failed',
]

export interface TipPageTier {
  id: string
  name: string
  emoji: string
  perk: string
  amount: Amount
}

/** GET /api/tip-page?streamId= */
export interface TipPageResponse {
  publicName: string
  asset: { assetCode: string; assetScale: number }
  tiers: TipPageTier[]
  minAmount: Amount
  maxAmount: Amount
  /** False while no wallet is set up: the page explains that tips are not available yet. */
  available: boolean
  /** The wallet this viewer used last (cookie-bound session, 30 minutes). */
  rememberedWallet: string | null
  limits: { name: number; message: number }
  /** When tips go to the sandbox wallet (play money): viewer wallets to try. */
  sandboxWallets: string[] | null
}

/** POST /api/tips */
export interface StartTipRequest {
  tierId?: string
  /** Decimal amount in the streamer's currency ("2.50"), when no tier is picked. */
  amount?: string | number
  viewerWallet: string
  name?: string
  message?: string
  streamId?: string
}

export interface StartTipResponse {
  flowId: string
  consentUrl: string
  statusUrl: string
}

/** GET /api/tips/:flowId */
export interface TipFlowView {
  flowId: string
  state: TipFlowState
  amount: Amount
  /** What the viewer's wallet debits, in the viewer's currency, fees included (from the quote). */
  debitAmount: Amount | null
  tierId: string | null
  name: string | null
  message: string | null
  consentUrl: string | null
  error: { code: string; message: string } | null
  createdAt: string
  updatedAt: string
  expiresAt: string | null
}

/** GET /api/wallet (admin). The private key is never returned: only whether it is configured. */
export interface WalletStatusResponse {
  configured: boolean
  source: 'manual' | 'sandbox' | 'none'
  walletAddress: string | null
  clientWalletAddress: string | null
  keyId: string | null
  publicName: string | null
  asset: { assetCode: string; assetScale: number } | null
  privateKeyConfigured: boolean
  sandboxAvailable: boolean
}

/** POST /api/wallet (admin): paste the PEM or base64 key, or give a file path. */
export interface WalletSetupRequest {
  walletAddress: string
  keyId: string
  privateKey?: string
  privateKeyPath?: string
  /** The client identity's wallet address when it is not the receiving wallet (advanced). */
  clientWalletAddress?: string
}

/** GET/PUT /api/tips/settings (admin) */
export interface TipSettings {
  /** Shown on the tip page; the wallet's publicName when empty. */
  publicName: string
  /** Decimal amounts in the streamer's currency. */
  minAmount: string
  maxAmount: string
}

/** GET /api/tips/flows (admin): the newest tip flows. */
export interface TipFlowsResponse {
  flows: TipFlowView[]
}
