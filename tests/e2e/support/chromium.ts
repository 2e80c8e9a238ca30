/**
 * The Chromium the browser tests and the overlay bench drive: Debian's (apt-get install chromium), since
 * Playwright's own browser download is not available here. WM_CHROMIUM points at another build.
 */
export const chromiumPath = process.env.WM_CHROMIUM ?? '/usr/bin/chromium'

/** Headless, no sandbox (containers), and nothing that reaches the network on its own. */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
