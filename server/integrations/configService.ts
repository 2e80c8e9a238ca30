import type { OwncastSettingsPatch } from '../contracts/integrations.js'
import { randomToken } from '../security/tokens.js'
import type { SecretName, SecretStore } from '../settings/secrets.js'
import { DEFAULT_CHAT_TEMPLATE, type OwncastSettings } from '../settings/keys.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import { IntegrationError, IntegrationErrorCode } from './errors.js'

export { DEFAULT_CHAT_TEMPLATE, type OwncastSettings } from '../settings/keys.js'
export const CHAT_TEMPLATE_MAX = 300

/** Secrets of this feature (DESIGN §4: never logged, never sent to the renderer except where noted). */
export const SECRETS = {
  /** Owncast access token (admin → Access Tokens). */
  accessToken: 'owncast.accessToken',
  /** The per-webhook signing secret Owncast 0.3.0+ shows; pasted by the streamer. */
  signingSecret: 'owncast.signingSecret',
  /** Our random key in the Owncast webhook URL (`?key=`), for servers that do not sign. */
  webhookUrlKey: 'owncast.webhookUrlKey',
  /** The shared secret OSP sends in the X-Companion-Token header. */
  ospToken: 'osp.token',
} as const satisfies Record<string, SecretName>

export type IntegrationSecret = keyof typeof SECRETS

/** The feature's settings (one typed key) and secrets, with the secrets cached in memory. */
export interface IntegrationConfigService {
  owncast(): OwncastSettings
  updateOwncast(patch: OwncastSettingsPatch): OwncastSettings
  secret(name: IntegrationSecret): string | undefined
  /** A generated secret (URL key, OSP token): created on first use. */
  generatedSecret(name: 'webhookUrlKey' | 'ospToken'): string
  setSecret(name: IntegrationSecret, value: string): void
  clearSecret(name: IntegrationSecret): void
  rotate(name: 'webhookUrlKey' | 'ospToken'): string
}

/** An absolute http(s) base URL without query, fragment or credentials; '' clears it. */
export function normalizeBaseUrl(input: string, field: string): string {
  const text = input.trim()
  if (text === '') return ''
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidSetting,
      `${field} must be the address of your Owncast server, such as https://live.example.org`,
      field,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidSetting,
      `${field} must start with https:// (or http://)`,
      field,
    )
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new IntegrationError(
      IntegrationErrorCode.InvalidSetting,
      `${field} must not contain a query, a fragment or credentials`,
      field,
    )
  }
  return url.toString().replace(/\/+$/, '')
}

export interface IntegrationConfigDeps {
  settings: SettingsStore
  secrets: SecretStore
}

export function createIntegrationConfigService({
  settings,
  secrets,
}: IntegrationConfigDeps): IntegrationConfigService {
  // Secrets are read on every webhook: keep them in memory (the store may decrypt on each read).
  const secretCache = new Map<IntegrationSecret, string | undefined>()

  function owncast(): OwncastSettings {
    return settings.get('owncast.settings')
  }

  function secret(name: IntegrationSecret): string | undefined {
    if (!secretCache.has(name)) secretCache.set(name, secrets.get(SECRETS[name]))
    return secretCache.get(name)
  }

  function setSecret(name: IntegrationSecret, value: string): void {
    secrets.set(SECRETS[name], value)
    secretCache.set(name, value)
  }

  return {
    owncast,
    updateOwncast(patch) {
      const next: OwncastSettings = { ...owncast() }
      if (patch.baseUrl !== undefined)
        next.baseUrl = normalizeBaseUrl(patch.baseUrl, 'body.baseUrl')
      if (patch.thankYouEnabled !== undefined) next.thankYouEnabled = patch.thankYouEnabled
      if (patch.tipCommandEnabled !== undefined) next.tipCommandEnabled = patch.tipCommandEnabled
      if (patch.privateThanks !== undefined) next.privateThanks = patch.privateThanks
      if (patch.chatTemplate !== undefined) {
        const template = patch.chatTemplate.trim()
        next.chatTemplate = template === '' ? DEFAULT_CHAT_TEMPLATE : template
      }
      settings.set('owncast.settings', next)
      return next
    },
    secret,
    generatedSecret(name) {
      const existing = secret(name)
      if (existing) return existing
      const created = randomToken(24)
      setSecret(name, created)
      return created
    },
    setSecret,
    clearSecret(name) {
      secrets.delete(SECRETS[name])
      secretCache.set(name, undefined)
    },
    rotate(name) {
      const created = randomToken(24)
      setSecret(name, created)
      return created
    },
  }
}
