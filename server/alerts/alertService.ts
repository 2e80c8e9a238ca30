import type {
  AlertSettings,
  AlertSettingsPatch,
  AlertVariant,
  AlertView,
} from '../contracts/alerts.js'
import type { Asset, SupportEventView } from '../contracts/common.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { EventBus } from '../events/bus.js'
import { randomToken } from '../security/tokens.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SupportLedger } from '../support/ledgerService.js'
import type { AlertQueueService, AlertRules } from './alertQueueService.js'
import { AlertError, AlertErrorCode } from './errors.js'

/** What a test alert says when the caller gives nothing (tray, dashboard button, setup wizard). */
export const TEST_ALERT = {
  amount: '5',
  supporterName: 'Test Viewer',
  message: 'This is a test alert from WM Companion.',
} as const

export interface TestAlertInput {
  /** Recorded as given: the queue cleans and bounds it for the screen exactly as a viewer's text. */
  name?: string
  message?: string
  /** Decimal amount in the streamer's currency; by default the variant's rule amount, else 5. */
  amount?: string | number
  /** Forces one variant (the "Test" button of a variant); otherwise the usual choice applies. */
  variantId?: string
}

export interface TestAlertResult {
  /** The test support event (never counted in analytics). */
  event: SupportEventView
  /** Its alert, already in the queue. */
  alert: AlertView | null
}

export interface AlertService {
  /**
   * The one test alert of the dashboard, the tray and the preload bridge: recorded as a test support
   * event, queued, then announced as `alert.test` (tray notification, dashboard).
   */
  sendTest(input?: TestAlertInput): TestAlertResult
  /** The one pause switch: stored, announced as `alerts.paused` (overlays, tray), the queue told. */
  setPaused(paused: boolean): boolean
  isPaused(): boolean
  settings(): AlertSettings
  updateSettings(patch: AlertSettingsPatch): AlertSettings
  variants(): AlertVariant[]
  saveVariants(variants: AlertVariant[]): AlertVariant[]
}

export interface AlertServiceDeps {
  settings: Pick<SettingsStore, 'get' | 'set'>
  ledger: Pick<SupportLedger, 'record'>
  bus: Pick<EventBus, 'emit'>
  queue: Pick<AlertQueueService, 'enqueue' | 'pump'>
  /** The streamer's currency: amounts in rules and tests are decimals in it. */
  streamerAsset(): Asset
}

/** The alert rules as the settings keep them (server/settings/keys.ts), for the queue. */
export function alertRulesFrom(settings: Pick<SettingsStore, 'get'>): AlertRules {
  return {
    settings: () => settings.get('alerts.settings'),
    variants: () => settings.get('alerts.variants'),
  }
}

function parseAmount(value: string | number, scale: number, field: string): bigint {
  try {
    return decimalToMinor(value, scale)
  } catch (error) {
    if (error instanceof MoneyFormatError)
      throw new AlertError(AlertErrorCode.InvalidAmount, `${field}: ${error.message}`, field)
    throw error
  }
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { settings, queue } = deps
  const rules = alertRulesFrom(settings)

  function findVariant(id: string): AlertVariant {
    const variant = rules.variants().find((item) => item.id === id)
    if (!variant)
      throw new AlertError(
        AlertErrorCode.VariantNotFound,
        `There is no alert variant "${id}".`,
        'params.variantId',
      )
    return variant
  }

  return {
    sendTest(input = {}) {
      const variant = input.variantId === undefined ? null : findVariant(input.variantId)
      const asset = deps.streamerAsset()
      const ruleAmount =
        variant && (variant.rule.type === 'atLeast' || variant.rule.type === 'exactly')
          ? variant.rule.amount
          : TEST_ALERT.amount
      const amountValue = parseAmount(input.amount ?? ruleAmount, asset.assetScale, 'body.amount')
      if (amountValue <= 0n)
        throw new AlertError(
          AlertErrorCode.InvalidAmount,
          'body.amount must be more than zero',
          'body.amount',
        )
      const { event } = deps.ledger.record({
        sourceKey: `test:${randomToken(12)}`,
        kind: 'tip',
        amountValue,
        assetCode: asset.assetCode,
        assetScale: asset.assetScale,
        supporterName: input.name ?? TEST_ALERT.supporterName,
        message:
          input.message ?? (variant ? `Test of the "${variant.name}" alert.` : TEST_ALERT.message),
        isTest: true,
      })
      const alert = queue.enqueue(event, { source: 'test', variantId: variant?.id })
      deps.bus.emit('alert.test', event)
      return { event, alert }
    },

    setPaused(paused) {
      settings.set('alerts.paused', paused)
      deps.bus.emit('alerts.paused', { paused })
      queue.pump()
      return paused
    },

    isPaused: () => settings.get('alerts.paused'),

    settings: rules.settings,

    updateSettings(patch) {
      const scale = deps.streamerAsset().assetScale
      if (patch.minAmountToAlert !== undefined)
        parseAmount(patch.minAmountToAlert, scale, 'body.minAmountToAlert')
      if (patch.minAmountForMessage !== undefined)
        parseAmount(patch.minAmountForMessage, scale, 'body.minAmountForMessage')
      const next: AlertSettings = { ...rules.settings(), ...patch }
      if (patch.blockedWords)
        next.blockedWords = [...new Set(patch.blockedWords.map((word) => word.trim()))].filter(
          Boolean,
        )
      settings.set('alerts.settings', next)
      queue.pump()
      return next
    },

    variants: rules.variants,

    saveVariants(variants) {
      const seen = new Set<string>()
      const scale = deps.streamerAsset().assetScale
      variants.forEach((variant, index) => {
        if (seen.has(variant.id))
          throw new AlertError(
            AlertErrorCode.DuplicateVariantId,
            `body.variants.${index}.id: "${variant.id}" is used twice`,
            `body.variants.${index}.id`,
          )
        seen.add(variant.id)
        if (variant.rule.type === 'atLeast' || variant.rule.type === 'exactly')
          parseAmount(variant.rule.amount, scale, `body.variants.${index}.rule.amount`)
      })
      settings.set('alerts.variants', variants)
      return variants
    },
  }
}
