import {
  test as base,
  expect,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from '@playwright/test'

/**
 * Every page a spec opens is watched: a console error or an uncaught exception fails the test that
 * was running. A 4xx answer of the admin API is the one exception: the page asked, the server said no
 * (signed out, a refused form) and the page shows it in words; Chromium still logs each one as
 * "Failed to load resource". Anything else (a 404 favicon, a 5xx, a script error) counts.
 */
const problems: string[] = []
const watched = new WeakSet<BrowserContext>()

function expectedApiRefusal(message: ConsoleMessage): boolean {
  const url = message.location().url
  return (
    /Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) &&
    /^http:\/\/(127\.0\.0\.1|localhost):\d+\/api\//.test(url)
  )
}

/** Watches every page of a context (also pages opened later: popups, new tabs). */
export function guardConsole(context: BrowserContext): BrowserContext {
  if (watched.has(context)) return context
  watched.add(context)
  const watchPage = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error' || expectedApiRefusal(message)) return
      problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`))
  }
  context.pages().forEach(watchPage)
  context.on('page', watchPage)
  return context
}

/** Takes what was collected since the last call (a spec can assert at a point of its own). */
export function takeConsoleProblems(): string[] {
  return problems.splice(0, problems.length)
}

/** `test` with the default context watched and a check after every test. */
export const test = base.extend<{ consoleGuard: void }>({
  consoleGuard: [
    async ({ context }, use) => {
      guardConsole(context)
      await use()
      expect(takeConsoleProblems(), 'no console errors on any page').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }
