import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Steps of a streamer's first hour on the Overlays page, driven through the dashboard's own screens
 * as a person would (nav link, the overlay's "Settings and preview", its form, "Save and apply").
 * The page must be the signed-in dashboard.
 */

/** One overlay's card on the Overlays page, by its title ("Alert box", "Goal bar", ...). */
export function overlayCard(page: Page, title: string): Locator {
  return page.locator('section.card', {
    has: page.getByRole('heading', { level: 2, name: title, exact: true }),
  })
}

/** Opens the Overlays page and one overlay's settings panel; answers the panel's form. */
export async function openOverlaySettings(page: Page, title: string): Promise<Locator> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Overlays' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Overlays' })).toBeVisible()
  const card = overlayCard(page, title)
  const details = card.locator('details.overlay-settings-toggle')
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open)))
    await card.getByText('Settings and preview').click()
  const form = card.getByRole('form', { name: `${title} settings` })
  await expect(form).toBeVisible()
  return form
}

async function saveAndApply(form: Locator): Promise<void> {
  await form.getByRole('button', { name: 'Save and apply' }).click()
  await expect(form.getByRole('status')).toHaveText(/^Saved\./)
}

/** Sets the goal the goal bar shows (title and amount in the streamer's currency, e.g. "250"). */
export async function setGoal(page: Page, goal: { title: string; target: string }): Promise<void> {
  const form = await openOverlaySettings(page, 'Goal bar')
  await form.getByLabel('Goal title').fill(goal.title)
  await form.getByLabel(/^Goal amount/).fill(goal.target)
  await saveAndApply(form)
}

export interface AlertBoxStyle {
  theme?: 'Outlined text (no background)' | 'Text on a panel'
  /** #rrggbb */
  textColor?: string
  accentColor?: string
  panelColor?: string
  panelOpacity?: number
  /** Pixels on a 1080p canvas. */
  fontSize?: number
  /** As the position list says it: "Top centre", "Bottom left", ... */
  position?: string
  /** As the sound list says it: "Each alert’s own sound", "No sound", "Chime", ... */
  sound?: string
  volume?: number
  css?: string
}

/** Styles the alert box through its settings panel; only the fields given change. */
export async function styleAlertBox(page: Page, style: AlertBoxStyle): Promise<void> {
  const form = await openOverlaySettings(page, 'Alert box')
  if (style.theme) await form.getByLabel('Theme').selectOption({ label: style.theme })
  const colours = [
    ['Text colour', style.textColor],
    ['Accent colour', style.accentColor],
    ['Panel colour', style.panelColor],
  ] as const
  for (const [label, value] of colours) if (value) await form.getByLabel(label).fill(value)
  if (style.panelOpacity !== undefined)
    await form.getByLabel('Panel opacity (%)').fill(String(style.panelOpacity))
  if (style.fontSize !== undefined) await form.getByLabel(/^Text size/).fill(String(style.fontSize))
  if (style.position)
    await form.getByLabel('Position in the browser source').selectOption({ label: style.position })
  if (style.sound)
    await form.getByLabel('Sound', { exact: true }).selectOption({ label: style.sound })
  if (style.volume !== undefined) await form.getByLabel('Volume (%)').fill(String(style.volume))
  if (style.css !== undefined) await form.getByLabel(/^Custom CSS/).fill(style.css)
  await saveAndApply(form)
}
