import type { FastifyInstance } from 'fastify'

/**
 * A feature plugs its routes into the listeners and its background work into the server's life cycle.
 * Route sets are registered inside encapsulated contexts that already enforce the security model.
 */
export interface Feature {
  name: string
  /** Admin API on the local listener under /api: admin session and same-origin checks applied. */
  adminRoutes?(app: FastifyInstance): void | Promise<void>
  /** Overlay pages and their data on the local listener: overlay key checked (`?key=`). */
  overlayRoutes?(app: FastifyInstance): void | Promise<void>
  /** Routes on the public listener (rate-limited, body-limited, schema-validated). */
  publicRoutes?(app: FastifyInstance): void | Promise<void>
  /** After both listeners are up (timers, recovery). */
  start?(): void | Promise<void>
  /** Before the listeners close. */
  stop?(): void | Promise<void>
  /** Lines headless start prints under the dashboard URL (a server has no window): URLs to paste. */
  bannerLines?(): string[]
}
