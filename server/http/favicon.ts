import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { findAppRoot } from '../app/appRoot.js'

let icon: Buffer | null | undefined

/** The app icon at its smallest size, read once; null when the assets are not shipped beside. */
function faviconBytes(): Buffer | null {
  if (icon === undefined) {
    const file = path.join(findAppRoot(), 'assets', 'icons', 'linux', '32x32.png')
    icon = fs.existsSync(file) ? fs.readFileSync(file) : null
  }
  return icon
}

/**
 * Browsers ask every origin for `/favicon.ico` on every page (dashboard, overlays, tip page, the
 * sandbox consent page); without it each page logs a 404 and the tab shows no icon. A PNG under that
 * name is what every browser accepts.
 */
export function registerFavicon(app: FastifyInstance): void {
  app.get('/favicon.ico', async (_request, reply) => {
    const bytes = faviconBytes()
    if (!bytes) return reply.code(204).send()
    return reply.type('image/png').header('cache-control', 'public, max-age=86400').send(bytes)
  })
}
