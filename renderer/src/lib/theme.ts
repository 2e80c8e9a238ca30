import type { AppSettings } from '../../../server/contracts/api.js'

/** The OS decides (prefers-color-scheme) unless Settings chose light or dark. */
export function applyTheme(theme: AppSettings['theme']): void {
  const root = document.documentElement
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme
  else delete root.dataset.theme
}
