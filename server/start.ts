import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import { findAppRoot, readAppVersion } from './app/appRoot.js'
import { createControl } from './app/control.js'
import type { Infrastructure } from './app/infrastructure.js'
import { buildLocalApp } from './app/localApp.js'
import { buildPublicApp } from './app/publicApp.js'
import {
  LOCAL_LISTENER_LIMITS,
  PUBLIC_LISTENER_LIMITS,
  type ListenerLimits,
} from './app/listenerLimits.js'
import type { AppConfig } from './config/config.js'
import { composeApp, type ComposedServices } from './composition.js'
import type { DesktopActionsService } from './desktop/desktopActionsService.js'
import { createEventBus, type EventBus } from './events/bus.js'
import { createLogger } from './http/logging.js'
import { createAdminSessions } from './security/adminSessions.js'
import { createOverlayKeys } from './security/overlayKey.js'
import { createFileSecretStore, type SecretCipher } from './settings/secrets.js'
import { upgradeLegacyPreferences } from './settings/legacy.js'
import { openHeadlessPreferences } from './settings/preferences.js'
import { createSettingsStore, type PreferenceFile } from './settings/settingsStore.js'
import { openDatabase, useNativeBinding, type Db } from './storage/db.js'
import { createSupportLedger } from './support/ledgerService.js'
import { createSupportEventRepository } from './support/supportRepository.js'

/** For the desktop shell: one server per data folder, headless or desktop (app/control.ts). */
export { claimInstance, type InstanceClaim } from './app/control.js'

export interface StartOptions {
  config: AppConfig
  /** electron-store in the desktop app; conf (headless) when omitted (server/settings/keys.ts). */
  preferences?: PreferenceFile
  /** Electron safeStorage in the desktop app; files readable only by the user when omitted. */
  secretCipher?: SecretCipher
  /** Defaults to dist/renderer under the app root. */
  rendererDir?: string
  /** Electron's own better-sqlite3 build in a source checkout (electron/logic/nativeBinding.ts). */
  nativeBinding?: string
  /** Tests and the soak: shorter listener limits, a log sink. */
  listenerLimits?: { local?: Partial<ListenerLimits>; public?: Partial<ListenerLimits> }
  logDestination?: DestinationStream
}

export interface RunningServer {
  localUrl: string
  /** The public listener's own address. */
  publicListenUrl: string
  /** WM_PUBLIC_URL when set, else the public listener's own address. */
  publicUrl: string
  /** A new one-time sign-in URL for the dashboard. */
  loginUrl(): string
  /** What the features want printed at start-up (webhook and overlay URLs to paste). */
  bannerLines(): string[]
  context: Infrastructure
  /** The services of the features, built once by the composition root. */
  services: ComposedServices
  /** What the desktop shell may do (tray, preload bridge): it needs nothing else of the server. */
  desktop: DesktopActionsService
  bus: EventBus
  db: Db
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>
}

/** A listener's port is taken: names the port and the setting to change. */
export class PortInUseError extends Error {
  override name = 'PortInUseError'
  constructor(
    readonly port: number,
    readonly variable: string,
    readonly listener: string,
  ) {
    super(
      `Port ${port} (${listener} listener) is already in use: stop the other program or set ${variable} to a free port.`,
    )
  }
}

async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
  variable: string,
  listener: string,
): Promise<number> {
  try {
    await app.listen({ host, port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(port, variable, listener)
    throw error
  }
  return (app.server.address() as AddressInfo).port
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * The one start function of both hosts (DESIGN §2): the Electron shell and the headless entry call it.
 * Opens and migrates the database before anything listens, then starts the local and public listeners.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const root = findAppRoot()
  const log = createLogger(config.logLevel, config.logFormat, options.logDestination)
  useNativeBinding(options.nativeBinding)
  const db = openDatabase(path.join(config.dataDir, 'wm-companion.sqlite'))
  upgradeLegacyPreferences(config.dataDir, db)
  const settings = createSettingsStore({
    db,
    preferences: options.preferences ?? openHeadlessPreferences(config.dataDir),
    onInvalid: (key) =>
      log.warn({ key }, 'a stored setting no longer fits its schema; the default applies'),
  })
  const secrets = createFileSecretStore(config.dataDir, options.secretCipher)

  let localPort = config.localPort
  let publicPort = config.publicPort
  const localBase = () => `http://127.0.0.1:${localPort}`
  const publicListenBase = () => `http://${hostForUrl(config.publicHost)}:${publicPort}`

  const bus = createEventBus({
    onListenerError: (name, error) =>
      log.error({ err: error, event: name }, 'event listener failed'),
  })
  const infra: Infrastructure = {
    config,
    version: readAppVersion(root),
    db,
    bus,
    settings,
    secrets,
    sessions: createAdminSessions({ db }),
    overlayKeys: createOverlayKeys(settings),
    ledger: createSupportLedger({
      db,
      bus,
      repository: createSupportEventRepository(db),
      onRecorderError: (name, error) =>
        log.error({ err: error, recorder: name }, 'a support recorder failed; the event is kept'),
    }),
    log,
    urls: { local: localBase, public: () => config.publicUrl ?? publicListenBase() },
    streamerAsset: () => settings.get('wallet.streamerAsset'),
  }

  const { features, services } = composeApp(infra, new Date())
  const control = createControl({
    dataDir: config.dataDir,
    version: infra.version,
    issueLoginUrl: () => `${localBase()}/auth?token=${infra.sessions.issueLoginToken()}`,
  })
  let local: FastifyInstance | undefined
  let publicApp: FastifyInstance | undefined
  try {
    local = await buildLocalApp({
      ctx: infra,
      features,
      rendererDir: options.rendererDir ?? path.join(root, 'dist', 'renderer'),
      port: () => localPort,
      control,
      limits: { ...LOCAL_LISTENER_LIMITS, ...options.listenerLimits?.local },
    })
    publicApp = await buildPublicApp({
      ctx: infra,
      features,
      limits: { ...PUBLIC_LISTENER_LIMITS, ...options.listenerLimits?.public },
    })
    localPort = await listen(local, '127.0.0.1', config.localPort, 'WM_LOCAL_PORT', 'local')
    publicPort = await listen(
      publicApp,
      config.publicHost,
      config.publicPort,
      'WM_PUBLIC_PORT',
      'public',
    )
    for (const feature of features) await feature.start?.()
    control.publish({ localUrl: localBase(), publicUrl: infra.urls.public() })
  } catch (error) {
    await Promise.allSettled([local?.close(), publicApp?.close()])
    db.close()
    throw error
  }
  if (config.opInsecureHttp) {
    log.warn(
      'WM_OP_INSECURE_HTTP is on: Open Payments requests may use plain http. Use this only with a local test server.',
    )
  }

  const sweep = setInterval(() => infra.sessions.sweep(), 60 * 60 * 1000)
  sweep.unref()

  let closing: Promise<void> | undefined
  const localApp = local
  const publicInstance = publicApp
  return {
    localUrl: localBase(),
    publicListenUrl: publicListenBase(),
    publicUrl: infra.urls.public(),
    loginUrl: () => `${localBase()}/auth?token=${infra.sessions.issueLoginToken()}`,
    bannerLines: () => features.flatMap((feature) => feature.bannerLines?.() ?? []),
    context: infra,
    services,
    desktop: services.desktop,
    bus,
    db,
    close() {
      closing ??= (async () => {
        clearInterval(sweep)
        control.withdraw()
        for (const feature of [...features].reverse()) {
          try {
            await feature.stop?.()
          } catch (error) {
            log.error({ err: error, feature: feature.name }, 'feature failed to stop')
          }
        }
        await Promise.all([localApp.close(), publicInstance.close()])
        db.close()
      })()
      return closing
    },
  }
}
