import type { ThemeInfo, TipTheme } from '../contracts/tiers.js'

/** One rung of a theme's ladder; `eur` is the rung's size in euros, placed on each currency's price points. */
export interface TierTemplate {
  key: string
  emoji: string
  name: string
  perk: string
  eur: string
}

export interface ThemeSpec extends ThemeInfo {
  tiers: readonly TierTemplate[]
}

export const THEMES: readonly ThemeSpec[] = [
  {
    id: 'fun',
    name: 'Fun',
    emoji: '🎉',
    tiers: [
      { key: 'spark', emoji: '✨', name: 'Spark', perk: 'You lit the flame!', eur: '0.50' },
      {
        key: 'coffee-shot',
        emoji: '☕️',
        name: 'Coffee Shot',
        perk: 'Added to supporter ticker',
        eur: '1',
      },
      {
        key: 'snack-attack',
        emoji: '🍩',
        name: 'Snack Attack',
        perk: 'Shout-out on stream',
        eur: '3',
      },
      {
        key: 'pizza-party',
        emoji: '🍕',
        name: 'Pizza Party',
        perk: 'Pick the next song',
        eur: '5',
      },
      {
        key: 'confetti-cannon',
        emoji: '🎊',
        name: 'Confetti Cannon',
        perk: 'Your name in a big alert',
        eur: '10',
      },
      {
        key: 'party-legend',
        emoji: '🏆',
        name: 'Party Legend',
        perk: 'Name in the credits',
        eur: '20',
      },
    ],
  },
  {
    id: 'fantasy',
    name: 'Fantasy',
    emoji: '🐉',
    tiers: [
      {
        key: 'copper-coin',
        emoji: '🪙',
        name: 'Copper Coin',
        perk: 'The bard hums your name',
        eur: '0.50',
      },
      {
        key: 'healing-potion',
        emoji: '🧪',
        name: 'Healing Potion',
        perk: 'Restores the streamer’s mana',
        eur: '1',
      },
      {
        key: 'enchanted-scroll',
        emoji: '📜',
        name: 'Enchanted Scroll',
        perk: 'Your message read aloud',
        eur: '3',
      },
      {
        key: 'knights-oath',
        emoji: '🛡️',
        name: 'Knight’s Oath',
        perk: 'Knighted on stream',
        eur: '5',
      },
      {
        key: 'wizards-tower',
        emoji: '🧙',
        name: 'Wizard’s Tower',
        perk: 'Choose the next quest',
        eur: '10',
      },
      {
        key: 'dragon-hoard',
        emoji: '🐉',
        name: 'Dragon Hoard',
        perk: 'A legend in the hall of fame',
        eur: '25',
      },
    ],
  },
  {
    id: 'sci-fi',
    name: 'Sci-fi',
    emoji: '🤖',
    tiers: [
      {
        key: 'signal-ping',
        emoji: '📡',
        name: 'Signal Ping',
        perk: 'Contact established',
        eur: '0.50',
      },
      {
        key: 'power-cell',
        emoji: '🔋',
        name: 'Power Cell',
        perk: 'Shields at full power',
        eur: '1',
      },
      {
        key: 'droid-upgrade',
        emoji: '🤖',
        name: 'Droid Upgrade',
        perk: 'Your callsign in the alert box',
        eur: '3',
      },
      {
        key: 'warp-drive',
        emoji: '🚀',
        name: 'Warp Drive',
        perk: 'Jump the queue for a question',
        eur: '5',
      },
      {
        key: 'laser-array',
        emoji: '🔫',
        name: 'Laser Array',
        perk: 'Pick the next mission',
        eur: '10',
      },
      {
        key: 'mothership',
        emoji: '🛸',
        name: 'Mothership',
        perk: 'Commander in the credits',
        eur: '25',
      },
    ],
  },
  {
    id: 'gaming',
    name: 'Gaming',
    emoji: '🎮',
    tiers: [
      {
        key: 'extra-life',
        emoji: '🍄',
        name: 'Extra Life',
        perk: '1-UP for the streamer',
        eur: '0.50',
      },
      {
        key: 'power-up',
        emoji: '⚡',
        name: 'Power-Up',
        perk: 'Added to supporter ticker',
        eur: '1',
      },
      {
        key: 'combo-breaker',
        emoji: '🎮',
        name: 'Combo Breaker',
        perk: 'Shout-out on stream',
        eur: '3',
      },
      { key: 'boss-fight', emoji: '👾', name: 'Boss Fight', perk: 'Choose a challenge', eur: '5' },
      { key: 'speedrun', emoji: '⏱️', name: 'Speedrun', perk: 'Pick the next game', eur: '10' },
      {
        key: 'high-score',
        emoji: '🏆',
        name: 'High Score',
        perk: 'Your initials on the board',
        eur: '20',
      },
    ],
  },
  {
    id: 'retro',
    name: 'Retro',
    emoji: '📼',
    tiers: [
      {
        key: 'arcade-token',
        emoji: '🕹️',
        name: 'Arcade Token',
        perk: 'Insert coin to continue',
        eur: '0.50',
      },
      { key: 'mixtape', emoji: '📼', name: 'Mixtape', perk: 'Added to supporter ticker', eur: '1' },
      {
        key: 'floppy-disk',
        emoji: '💾',
        name: 'Floppy Disk',
        perk: 'Saved to the hall of fame',
        eur: '3',
      },
      { key: 'boombox', emoji: '📻', name: 'Boombox', perk: 'Request a retro track', eur: '5' },
      {
        key: 'vhs-marathon',
        emoji: '📺',
        name: 'VHS Marathon',
        perk: 'Pick a throwback segment',
        eur: '10',
      },
      {
        key: 'disco-ball',
        emoji: '🪩',
        name: 'Disco Ball',
        perk: 'Dance party on stream',
        eur: '20',
      },
    ],
  },
  {
    id: 'space',
    name: 'Space',
    emoji: '🪐',
    tiers: [
      {
        key: 'stardust',
        emoji: '✨',
        name: 'Stardust',
        perk: 'Your name in the alert box',
        eur: '0.50',
      },
      {
        key: 'shooting-star',
        emoji: '🌠',
        name: 'Shooting Star',
        perk: 'Make a wish on stream',
        eur: '1',
      },
      {
        key: 'moon-landing',
        emoji: '🌙',
        name: 'Moon Landing',
        perk: 'Shout-out on stream',
        eur: '3',
      },
      {
        key: 'rocket-launch',
        emoji: '🚀',
        name: 'Rocket Launch',
        perk: 'A countdown shout-out',
        eur: '5',
      },
      {
        key: 'ringed-planet',
        emoji: '🪐',
        name: 'Ringed Planet',
        perk: 'Name a planet on stream',
        eur: '10',
      },
      {
        key: 'supernova',
        emoji: '🌌',
        name: 'Supernova',
        perk: 'The whole galaxy cheers',
        eur: '25',
      },
    ],
  },
  {
    id: 'nature',
    name: 'Nature',
    emoji: '🌿',
    tiers: [
      { key: 'seedling', emoji: '🌱', name: 'Seedling', perk: 'Something is growing', eur: '0.50' },
      {
        key: 'wildflower',
        emoji: '🌼',
        name: 'Wildflower',
        perk: 'Added to supporter ticker',
        eur: '1',
      },
      { key: 'sunny-day', emoji: '🌤️', name: 'Sunny Day', perk: 'Shout-out on stream', eur: '3' },
      { key: 'mighty-oak', emoji: '🌳', name: 'Mighty Oak', perk: 'Pick the next topic', eur: '5' },
      { key: 'waterfall', emoji: '💧', name: 'Waterfall', perk: 'A calm-music break', eur: '10' },
      {
        key: 'old-growth-forest',
        emoji: '🏞️',
        name: 'Old-Growth Forest',
        perk: 'Name in the credits',
        eur: '20',
      },
    ],
  },
  {
    id: 'food',
    name: 'Food',
    emoji: '🍔',
    tiers: [
      { key: 'cookie', emoji: '🍪', name: 'Cookie', perk: 'A sweet thank-you', eur: '0.50' },
      {
        key: 'espresso',
        emoji: '☕',
        name: 'Espresso',
        perk: 'Keeps the streamer awake',
        eur: '1',
      },
      {
        key: 'taco-tuesday',
        emoji: '🌮',
        name: 'Taco Tuesday',
        perk: 'Shout-out on stream',
        eur: '3',
      },
      {
        key: 'burger-combo',
        emoji: '🍔',
        name: 'Burger Combo',
        perk: 'Pick the next snack',
        eur: '5',
      },
      {
        key: 'sushi-platter',
        emoji: '🍣',
        name: 'Sushi Platter',
        perk: 'Choose the next segment',
        eur: '10',
      },
      {
        key: 'chefs-table',
        emoji: '🧑‍🍳',
        name: 'Chef’s Table',
        perk: 'Name in the credits',
        eur: '20',
      },
    ],
  },
  {
    id: 'music',
    name: 'Music',
    emoji: '🎵',
    tiers: [
      {
        key: 'single-note',
        emoji: '🎵',
        name: 'Single Note',
        perk: 'A note of thanks',
        eur: '0.50',
      },
      {
        key: 'drum-roll',
        emoji: '🥁',
        name: 'Drum Roll',
        perk: 'A drum roll from the streamer',
        eur: '1',
      },
      {
        key: 'guitar-riff',
        emoji: '🎸',
        name: 'Guitar Riff',
        perk: 'Shout-out on stream',
        eur: '3',
      },
      { key: 'encore', emoji: '🎤', name: 'Encore', perk: 'Request a song', eur: '5' },
      {
        key: 'headliner',
        emoji: '🎧',
        name: 'Headliner',
        perk: 'Pick the playlist for a while',
        eur: '10',
      },
      {
        key: 'platinum-record',
        emoji: '💿',
        name: 'Platinum Record',
        perk: 'Name in the credits',
        eur: '25',
      },
    ],
  },
  {
    id: 'crypto',
    name: 'Crypto',
    emoji: '🪙',
    tiers: [
      {
        key: 'satoshi-tip',
        emoji: '🪙',
        name: 'Satoshi Tip',
        perk: 'Block confirmed',
        eur: '0.50',
      },
      { key: 'gas-fee', emoji: '⛽', name: 'Gas Fee', perk: 'Transaction in the ticker', eur: '1' },
      { key: 'hodl', emoji: '💎', name: 'Diamond Hands', perk: 'Shout-out on stream', eur: '3' },
      {
        key: 'to-the-moon',
        emoji: '🚀',
        name: 'To the Moon',
        perk: 'A rocket-sized shout-out',
        eur: '5',
      },
      {
        key: 'whale-alert',
        emoji: '🐋',
        name: 'Whale Alert',
        perk: 'Pick the next topic',
        eur: '10',
      },
      {
        key: 'genesis-block',
        emoji: '🧱',
        name: 'Genesis Block',
        perk: 'Name in the credits',
        eur: '25',
      },
    ],
  },
]

const BY_ID = new Map<string, ThemeSpec>(THEMES.map((theme) => [theme.id, theme]))

export function findTheme(id: string): ThemeSpec | undefined {
  return BY_ID.get(id)
}

export const THEME_IDS = THEMES.map((theme) => theme.id) as readonly TipTheme[]
