import type { FastifyInstance } from 'fastify'
import type { Feature } from '../app/feature.js'
import { decimalToMinor } from '../contracts/money.js'
import {
  obsAdminRoutes,
  type ObsSettings,
  type ObsSettingsBody,
  type ObsView,
} from '../contracts/obs.js'
import type { EventBus } from '../events/bus.js'
import { registerRoutes } from '../http/routes.js'
import type { SecretStore } from '../settings/secrets.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { ObsError, ObsErrorCode } from './errors.js'
import type { ObsService } from './obsService.js'

export interface ObsFeatureDeps {
  obs: ObsService
  settings: Pick<SettingsStore, 'get' | 'set'>
  secrets: Pick<SecretStore, 'get' | 'set' | 'delete' | 'has'>
  bus: Pick<EventBus, 'on'>
}

/** Checks what the form sent beyond its schema: the address is a WebSocket URL, rules make sense. */
export function checkObsSettings(body: ObsSettingsBody): ObsSettings {
  const { password: _password, ...settings } = body
  const address = settings.address.trim()
  if (settings.enabled || address !== '') {
    let url: URL | undefined
    try {
      url = new URL(address)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:'))
      throw new ObsError(
        ObsErrorCode.InvalidAddress,
        'The OBS address is a WebSocket URL such as ws://127.0.0.1:4455.',
        'body.address',
      )
  }
  const ids = new Set<string>()
  settings.rules.forEach((rule, index) => {
    if (ids.has(rule.id))
      throw new ObsError(
        ObsErrorCode.InvalidRule,
        'Two rules have the same id.',
        `body.rules.${index}.id`,
      )
    ids.add(rule.id)
    // Amounts compare in minor units; a scale of 18 holds every decimal the schema lets through.
    if (
      rule.minAmount !== null &&
      rule.maxAmount !== null &&
      decimalToMinor(rule.minAmount, 18) > decimalToMinor(rule.maxAmount, 18)
    )
      throw new ObsError(
        ObsErrorCode.InvalidRule,
        'A rule’s lowest amount is above its highest amount.',
        `body.rules.${index}.minAmount`,
      )
  })
  return {
    ...settings,
    address,
    timerTextSource: settings.timerTextSource?.trim() || null,
  }
}

/** Waits for a connection attempt, but never longer than a form should: the status follows live. */
async function settled(attempt: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    attempt,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 3000)
    }),
  ])
  clearTimeout(timer)
}

/** OBS control: its settings (the password into the secret store), status, and the connection's life. */
export function createObsFeature(deps: ObsFeatureDeps): Feature {
  const { obs, settings, secrets, bus } = deps
  const unsubscribe: (() => void)[] = []
  const view = (): ObsView => ({
    settings: settings.get('obs.settings'),
    passwordSaved: secrets.has('obs.password'),
    status: obs.status(),
  })

  return {
    name: 'obs',
    adminRoutes(app: FastifyInstance) {
      registerRoutes(app, obsAdminRoutes, {
        'GET /obs': async () => view(),
        'PUT /obs': async (request) => {
          const next = checkObsSettings(request.body)
          const password = request.body.password
          if (password === '') secrets.delete('obs.password')
          else if (password !== undefined) secrets.set('obs.password', password)
          settings.set('obs.settings', next)
          await settled(obs.reconnect())
          return view()
        },
        'GET /obs/status': async () => obs.status(),
        'POST /obs/reconnect': async () => {
          await settled(obs.reconnect())
          return obs.status()
        },
      })
    },
    async start() {
      unsubscribe.push(bus.on('support.recorded', (event) => void obs.onSupport(event)))
      // OBS may start after the app: the first attempt is not awaited, the backoff keeps trying.
      void obs.reconnect()
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off()
      await obs.stop()
    },
  }
}
