import { describe, expect, it } from 'vitest'
import { THEMES } from './themes.js'

/**
 * Words of on-screen effects the alert box does not play (it shows the emoji, name, tier, amount and
 * message, with a sound): a perk must not promise one to a viewer who pays for it.
 */
const UNPLAYED_EFFECT =
  /confetti|rains?\b|twinkle|sparkle|firework|on screen|\bHUD\b|countdown alert|rocket alert|drum roll alert/i

describe('theme perks', () => {
  it('promise no on-screen effect the alert box does not play', () => {
    const promised = THEMES.flatMap((theme) => theme.tiers)
      .map((tier) => tier.perk)
      .filter((perk) => UNPLAYED_EFFECT.test(perk))
    expect(promised).toEqual([])
  })
})
