/**
 * Web Monetization, verified on the streamer's wallet (DESIGN §6). A page's report is a hint about
 * where to look and who might be watching, never an amount: the app reads the incoming payment itself
 * (only URLs under the streamer's own resource server, and only payments of the streamer's own wallet
 * address), and records in the ledger exactly once each increase of `receivedAmount`, keyed by the
 * incoming payment URL and the verified cumulative amount. Reads are coalesced (at most one per
 * incoming payment every `minReadGapMs`, however many reports arrive), go on until the amount stops
 * changing after the last report, and happen once more after the payment expires. Every state lives in
 * SQLite, so a restart resumes the reads and counts nothing twice.
 */
import type { IncomingPayment } from '@interledger/open-payments'
import type { FastifyBaseLogger } from 'fastify'
import type { RecordedSupport } from '../contracts/events.js'
import type { WmReportRequest, WmReportResponse } from '../contracts/webMonetization.js'
import type { SettingsStore } from '../settings/settingsStore.js'
import type { SupportLedger } from '../support/ledgerService.js'
import { errorStatus } from '../wallet/openPayments.js'
import type { WalletService } from '../wallet/walletService.js'
import { WmError, WmErrorCode } from './errors.js'
import type { WatchedPayment, WmRepository } from './wmRepository.js'

/** What the wallet answered about one incoming payment (a read or a list entry). */
export type IncomingPaymentView = Pick<
  IncomingPayment,
  | 'id'
  | 'walletAddress'
  | 'receivedAmount'
  | 'incomingAmount'
  | 'expiresAt'
  | 'createdAt'
  | 'metadata'
>

export interface WmTiming {
  /** The first read after a report waits for the payment to settle. */
  firstReadDelayMs: number
  /** At most one read of an incoming payment this often (under 12 a minute). */
  minReadGapMs: number
  /** The last read happens this long after the payment expires. */
  expiryGraceMs: number
  /** How often due reads are picked up. */
  tickMs: number
  /** Reads in flight at once. */
  concurrency: number
}

export const DEFAULT_TIMING: WmTiming = {
  firstReadDelayMs: 1_500,
  minReadGapMs: 5_100,
  expiryGraceMs: 2_000,
  tickMs: 200,
  concurrency: 32,
}

/** A one-time "send now" payment lives 30 s; a continuous stream 10 minutes. */
const ONE_TIME_MAX_LIFETIME_MS = 60_000

/** What happens in the recording transaction besides the event (the alerts' outbox). */
export interface WmRecordContext {
  payment: WatchedPayment
  delta: bigint
  oneTime: boolean
}

export interface WmServiceDeps {
  repository: WmRepository
  ledger: Pick<SupportLedger, 'record' | 'addRecorder'>
  wallets: Pick<WalletService, 'streamerWallet'>
  settings: Pick<SettingsStore, 'get'>
  liveStreamId(): string | null
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  /** Origins allowed to report besides the configured ones (the Owncast page, the public URL). */
  extraOrigins(): string[]
  /** Runs inside the recording transaction with the new event (alerts stage theirs here). */
  onRecord?(context: WmRecordContext, event: RecordedSupport): void
  timing?: Partial<WmTiming>
  now?: () => number
}

export interface WmService {
  /** A page's report: 202 accepted (watched), or a WmError naming what is wrong with it. */
  report(input: WmReportRequest, origin: string | undefined): Promise<WmReportResponse>
  /** Whether a page of this origin may report (CORS). */
  originAllowed(origin: string): boolean
  /** Records what a verified view of an incoming payment adds (reads and the list-all poller). */
  applyVerified(url: string, view: IncomingPaymentView, foundBy: 'report' | 'poller'): void
  /**
   * Resolves once no read is in flight or due within `horizonMs` (default a minute: only the reads
   * at expiry are left): tests and the bench wait on it.
   */
  idle(horizonMs?: number): Promise<void>
  /** Incoming payments with money in the last minute (the live counter). */
  activeViewers(): number
  start(): void
  stop(): Promise<void>
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null
  } catch {
    return null
  }
}

/** `$wallet.example/alice` and `https://wallet.example/alice/` name the same wallet address. */
export function normalizePointer(pointer: string): string {
  const trimmed = pointer.trim()
  const url = trimmed.startsWith('$') ? `https://${trimmed.slice(1)}` : trimmed
  return url.replace(/\/+$/, '')
}

function cleanName(name: string | undefined): string | null {
  // Viewer text stays text: control characters go, length is bounded; HTML is escaped where shown.
  const cleaned = name
    ?.replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, 40)
  return cleaned ? cleaned : null
}

export function createWmService(deps: WmServiceDeps): WmService {
  const { repository } = deps
  const now = deps.now ?? Date.now
  const timing: WmTiming = { ...DEFAULT_TIMING, ...deps.timing }
  const inFlight = new Map<string, Promise<void>>()
  // Set around `record`, read by this feature's recorder: both run synchronously in one transaction.
  let pendingContext: WmRecordContext | null = null
  let removeRecorder: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  let running = false

  function originAllowed(origin: string): boolean {
    const allowed = new Set<string>()
    for (const raw of [
      ...deps.settings.get('webMonetization.settings').reportOrigins,
      ...deps.extraOrigins(),
    ]) {
      const parsed = originOf(raw)
      if (parsed) allowed.add(parsed)
    }
    return allowed.has(origin)
  }

  async function report(
    input: WmReportRequest,
    origin: string | undefined,
  ): Promise<WmReportResponse> {
    if (origin !== undefined && origin !== 'null' && !originAllowed(origin)) {
      throw new WmError(
        WmErrorCode.OriginNotAllowed,
        `Pages of ${origin} may not report Web Monetization payments; add the origin in the app's Integrations page.`,
      )
    }
    const wallet = await deps.wallets.streamerWallet()
    if (!wallet)
      throw new WmError(WmErrorCode.NoWallet, 'The streamer has not set up a wallet yet.')
    const { doc } = wallet
    if (normalizePointer(input.paymentPointer) !== normalizePointer(doc.id)) {
      throw new WmError(
        WmErrorCode.NotThisWallet,
        "paymentPointer is not this streamer's wallet address.",
        'body.paymentPointer',
      )
    }
    const url = verifiedUrl(input.incomingPayment, doc.resourceServer)
    const viewerKey = input.viewer?.id
      ? `${input.viewer.platform ?? 'owncast'}:${input.viewer.id}`
      : null
    const viewerName = cleanName(input.viewer?.name)
    const at = now()
    const known = repository.find(url)
    if (!known) {
      repository.insert({
        url,
        foundBy: 'report',
        viewerKey,
        viewerName,
        streamId: deps.liveStreamId(),
        now: at,
        nextReadAt: at + timing.firstReadDelayMs,
      })
    } else if (known.state !== 'watching') {
      // Rejected (another wallet, not found) or finished: nothing more will be read or counted.
      return { accepted: false }
    }
    const lastRead = known?.lastReadAt ?? null
    const due = Math.max(
      at + timing.firstReadDelayMs,
      lastRead === null ? 0 : lastRead + timing.minReadGapMs,
    )
    repository.noteReport({ url, now: at, due, viewerKey, viewerName })
    schedule()
    return { accepted: true }
  }

  /** The report's URL if it is an incoming payment of the streamer's resource server, else a 422. */
  function verifiedUrl(raw: string, resourceServer: string): string {
    const bad = () =>
      new WmError(
        WmErrorCode.NotOnResourceServer,
        "incomingPayment is not an incoming payment of the streamer's wallet provider.",
        'body.incomingPayment',
      )
    let url: URL
    let base: URL
    try {
      url = new URL(raw)
      base = new URL(resourceServer)
    } catch {
      throw bad()
    }
    if (url.search || url.hash || url.username || url.password) throw bad()
    if (url.origin !== base.origin) throw bad()
    const prefix = `${base.pathname.replace(/\/+$/, '')}/incoming-payments/`
    if (!url.pathname.startsWith(prefix)) throw bad()
    const id = url.pathname.slice(prefix.length)
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(id)) throw bad()
    return `${base.origin}${prefix}${id}`
  }

  function applyVerified(url: string, view: IncomingPaymentView, foundBy: 'report' | 'poller') {
    let payment = repository.find(url)
    if (!payment) {
      repository.insert({
        url,
        foundBy,
        viewerKey: null,
        viewerName: null,
        streamId: deps.liveStreamId(),
        now: now(),
        nextReadAt: null,
      })
      payment = repository.find(url) as WatchedPayment
    }
    if (payment.state === 'rejected') return
    const received = BigInt(view.receivedAmount.value)
    if (received <= payment.recordedValue) return
    const oneTime =
      view.expiresAt !== undefined &&
      Date.parse(view.expiresAt) - Date.parse(view.createdAt) <= ONE_TIME_MAX_LIFETIME_MS
    const delta = received - payment.recordedValue
    const { countForSupporters } = deps.settings.get('webMonetization.settings')
    const from = payment.recordedValue
    const current = payment
    pendingContext = { payment: current, delta, oneTime }
    try {
      deps.ledger.record(
        {
          sourceKey: `${url}#${received}`,
          kind: 'web-monetization',
          amountValue: delta,
          assetCode: view.receivedAmount.assetCode,
          assetScale: view.receivedAmount.assetScale,
          supporterKey: countForSupporters ? current.viewerKey : null,
          supporterName: countForSupporters ? current.viewerName : null,
          streamId: current.streamId ?? deps.liveStreamId(),
          occurredAt: now(),
        },
        { alongside: () => repository.advance(url, from, received) },
      )
    } finally {
      pendingContext = null
    }
  }

  /** Why a read refused this URL for good, from the wallet's answer; null for a passing failure. */
  function refusal(error: unknown): string | null {
    const status = errorStatus(error)
    if (status === 404) return 'not found on the wallet'
    if (status === 401 || status === 403) return 'not readable with the app grant (not this wallet)'
    return null
  }

  async function readOne(payment: WatchedPayment): Promise<void> {
    const wallet = await deps.wallets.streamerWallet()
    if (!wallet) {
      repository.retryAt(payment.url, now() + timing.minReadGapMs)
      return
    }
    const { doc, gateway } = wallet
    const readAt = now()
    let view: IncomingPaymentView
    try {
      view = await gateway.withGrant(
        'wm-read',
        doc.authServer,
        [{ type: 'incoming-payment', actions: ['read-all'], identifier: doc.id }],
        async (accessToken) => {
          const op = await gateway.client()
          return op.incomingPayment.get({ url: payment.url, accessToken })
        },
      )
    } catch (error) {
      repository.countRead(payment.url, readAt)
      const reason = refusal(error)
      if (reason) repository.reject(payment.url, reason)
      else {
        deps.log.warn({ err: error, url: payment.url }, 'Web Monetization read failed; retrying')
        repository.retryAt(payment.url, now() + timing.minReadGapMs)
      }
      return
    }
    if (normalizePointer(view.walletAddress) !== normalizePointer(doc.id)) {
      repository.countRead(payment.url, readAt)
      repository.reject(payment.url, "another wallet's incoming payment")
      return
    }
    if (view.incomingAmount !== undefined) {
      // A payment with an amount is a tip (the tip flow records it), never a stream.
      repository.countRead(payment.url, readAt)
      repository.reject(payment.url, 'an incoming payment with an amount (a tip)')
      return
    }
    const before = payment.recordedValue
    applyVerified(payment.url, view, 'report')
    const after = repository.find(payment.url) as WatchedPayment
    const changed = after.recordedValue !== before
    const expiresAt = view.expiresAt ? Date.parse(view.expiresAt) : null
    const reportedSinceLastRead =
      payment.lastReportAt !== null &&
      (payment.lastReadAt === null || payment.lastReportAt >= payment.lastReadAt)
    const expired = expiresAt !== null && readAt >= expiresAt
    let nextReadAt: number | null = null
    let state: WatchedPayment['state'] = 'watching'
    if (expired) {
      state = 'done'
    } else if (changed || reportedSinceLastRead) {
      nextReadAt = readAt + timing.minReadGapMs
    } else if (expiresAt !== null) {
      // Stable after the last report: one more read once it has expired catches anything late.
      nextReadAt = Math.max(expiresAt + timing.expiryGraceMs, readAt + timing.minReadGapMs)
    }
    repository.afterRead({
      url: payment.url,
      now: readAt,
      assetCode: view.receivedAmount.assetCode,
      assetScale: view.receivedAmount.assetScale,
      oneTime:
        expiresAt !== null && expiresAt - Date.parse(view.createdAt) <= ONE_TIME_MAX_LIFETIME_MS,
      expiresAt,
      changed,
      nextReadAt,
      expiryReadDone: expired,
      state,
    })
  }

  function pump(): void {
    if (!running) return
    const free = timing.concurrency - inFlight.size
    if (free <= 0) return
    for (const payment of repository.due(now(), free + inFlight.size)) {
      if (inFlight.has(payment.url)) continue
      if (inFlight.size >= timing.concurrency) break
      const work = readOne(payment)
        .catch((error: unknown) => {
          deps.log.warn({ err: error, url: payment.url }, 'Web Monetization read crashed')
          repository.retryAt(payment.url, now() + timing.minReadGapMs)
        })
        .finally(() => inFlight.delete(payment.url))
      inFlight.set(payment.url, work)
    }
  }

  function schedule(): void {
    if (!running || timer) return
    timer = setTimeout(() => {
      timer = undefined
      pump()
      schedule()
    }, timing.tickMs)
    timer.unref?.()
  }

  return {
    report,
    originAllowed,
    applyVerified,
    async idle(horizonMs = 60_000) {
      for (;;) {
        const next = repository.nextDueAt()
        if (inFlight.size === 0 && (next === null || next > now() + horizonMs)) return
        await Promise.all(inFlight.values())
        await new Promise((resolve) => setTimeout(resolve, timing.tickMs))
      }
    },
    activeViewers: () => repository.activeSince(now() - 60_000),
    start() {
      running = true
      removeRecorder ??= deps.ledger.addRecorder('web-monetization', (event) => {
        if (event.kind === 'web-monetization' && pendingContext) {
          deps.onRecord?.(pendingContext, event)
        }
      })
      schedule()
    },
    async stop() {
      running = false
      removeRecorder?.()
      removeRecorder = undefined
      if (timer) clearTimeout(timer)
      timer = undefined
      await Promise.allSettled(inFlight.values())
    },
  }
}
