/** The seed's TipTierSet: decimal `amount` at the edge, exact minor units inside (DESIGN §4). */
export interface TipTier {
  id: string
  theme: string
  /** Decimal amount in `currency`, exact at the currency's asset scale. */
  amount: number
  currency: string
  emoji: string
  name: string
  perk: string
}

export interface TipTierSet {
  theme: string
  currency: string
  tiers: TipTier[]
}
