/**
 * Which file of assets/icons/ each platform uses. macOS menu-bar icons are "template" images (black
 * with alpha, recoloured by the system; the `Template` suffix tells Electron); elsewhere a colour icon.
 * Electron picks the `@2x` variant beside each file on high-density screens by itself.
 */
export const ICON_FILES = {
  app: 'icon.png',
  tray: 'tray.png',
  trayTemplate: 'trayTemplate.png',
} as const

export function trayIconFile(platform: string): string {
  return platform === 'darwin' ? ICON_FILES.trayTemplate : ICON_FILES.tray
}

export function windowIconFile(_platform: string): string {
  return ICON_FILES.app
}
