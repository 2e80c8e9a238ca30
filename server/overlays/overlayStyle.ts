import {
  MAX_FONT_SIZE,
  MIN_FONT_SIZE,
  OVERLAY_POSITIONS,
  OVERLAY_REGISTRY,
  OVERLAY_SOUNDS,
  OVERLAY_THEMES,
  type OverlayId,
  type OverlayPosition,
  type OverlayStyle,
  type OverlayStyleInput,
} from '../contracts/overlays.js'
import { OverlayError, OverlayErrorCode } from './errors.js'

/** Custom CSS per overlay is bounded: it is streamer-written, but a stylesheet is no place for a book. */
export const MAX_CUSTOM_CSS = 20_000

/** An overlay's look before the streamer changes it (OVERLAY_REGISTRY holds what differs). */
export function defaultOverlayStyle(overlay: OverlayId): OverlayStyle {
  return {
    textColor: '#ffffff',
    accentColor: '#ffd166',
    panelColor: '#10101c',
    panelOpacity: 72,
    volume: 100,
    ...OVERLAY_REGISTRY[overlay].style,
  }
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i

const COLOR_LABELS = {
  textColor: 'Text colour',
  accentColor: 'Accent colour',
  panelColor: 'Panel colour',
} as const

function invalid(field: string, message: string): OverlayError {
  return new OverlayError(OverlayErrorCode.InvalidStyle, message, field)
}

function wholeNumber(value: number, field: string, label: string, min: number, max: number) {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `${label} must be a whole number from ${min} to ${max}.`)
  return value
}

/** Checks the panel's look field by field; the first bad one is named in plain words. */
export function checkOverlayStyle(input: OverlayStyleInput): OverlayStyle {
  for (const [key, label] of Object.entries(COLOR_LABELS) as [keyof typeof COLOR_LABELS, string][])
    if (!HEX_COLOR.test(input[key]))
      throw invalid(`body.style.${key}`, `${label} must be a colour like #ffd166.`)
  const theme = OVERLAY_THEMES.find((value) => value === input.theme)
  if (!theme) throw invalid('body.style.theme', 'Choose a theme: outlined text or on a panel.')
  const position = OVERLAY_POSITIONS.find((value) => value === input.position)
  if (!position) throw invalid('body.style.position', 'Choose one of the nine positions.')
  const sound = OVERLAY_SOUNDS.find((value) => value === input.sound)
  if (!sound) throw invalid('body.style.sound', 'Choose a sound, or no sound.')
  return {
    theme,
    textColor: input.textColor.toLowerCase(),
    accentColor: input.accentColor.toLowerCase(),
    panelColor: input.panelColor.toLowerCase(),
    panelOpacity: wholeNumber(
      input.panelOpacity,
      'body.style.panelOpacity',
      'Panel opacity',
      0,
      100,
    ),
    fontSize: wholeNumber(
      input.fontSize,
      'body.style.fontSize',
      'Text size (so every line stays readable on stream)',
      MIN_FONT_SIZE,
      MAX_FONT_SIZE,
    ),
    position,
    sound,
    volume: wholeNumber(input.volume, 'body.style.volume', 'Volume', 0, 100),
  }
}

/**
 * The streamer's CSS is theirs to write, but it must stay CSS wherever it is put: `</` could end a
 * <style> element (the HTML parser looks for `</style` in it) and let markup follow. Written as the
 * CSS escape `\3C /` it means the same to CSS.
 */
export function checkCustomCss(css: string): string {
  if (css.length > MAX_CUSTOM_CSS)
    throw new OverlayError(
      OverlayErrorCode.CssTooLarge,
      `Custom CSS is ${css.length} characters; the limit is ${MAX_CUSTOM_CSS}.`,
      'body.css',
    )
  if (css.includes('</') || /<!--/.test(css))
    throw new OverlayError(
      OverlayErrorCode.CssMarkup,
      'Custom CSS cannot contain “</” or “<!--”: they could end the style block. Write “\\3C /” for “</” inside a string.',
      'body.css',
    )
  return css
}

const ROW: Record<string, string> = { top: 'flex-start', middle: 'center', bottom: 'flex-end' }
const SIDE: Record<string, string> = { left: 'flex-start', center: 'center', right: 'flex-end' }

function placement(position: OverlayPosition): { align: string; justify: string } {
  if (position === 'center') return { align: 'center', justify: 'center' }
  const [row = 'top', side = 'center'] = position.split('-')
  return { align: ROW[row] ?? 'flex-start', justify: SIDE[side] ?? 'center' }
}

function rgba(hex: string, opacityPercent: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${opacityPercent / 100})`
}

/**
 * The look as CSS custom properties (overlay.css reads them), served before the streamer's own CSS.
 * Every value was checked (colours are #rrggbb, the rest come from fixed lists or are integers), so
 * nothing here can be more than a value. The sound settings ride along for the alert box's script.
 */
export function styleCss(style: OverlayStyle): string {
  const { align, justify } = placement(style.position)
  const panel =
    style.theme === 'outline' ? 'transparent' : rgba(style.panelColor, style.panelOpacity)
  return `:root {
  --wm-text: ${style.textColor};
  --wm-accent: ${style.accentColor};
  --wm-panel: ${panel};
  --wm-o: ${style.theme === 'outline' ? '0.06em' : '0.03em'};
  --wm-size: ${style.fontSize}px;
  --wm-align: ${align};
  --wm-justify: ${justify};
  --wm-sound: ${style.sound};
  --wm-volume: ${style.volume / 100};
}
`
}
