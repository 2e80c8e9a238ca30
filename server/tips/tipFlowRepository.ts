import type { Amount } from '../contracts/money.js'
import type { TipFlowState } from '../contracts/tips.js'
import type { Db } from '../storage/db.js'

/** Everything a flow needs to resume after a restart (DESIGN §5): tokens, URLs, nonces and times. */
export interface TipFlowData {
  requestedStreamId?: string | null
  /** The streamer's choice when the tip started: the viewer's name goes into the payment's metadata. */
  shareNameWithWallet?: boolean
  /** The Owncast chat user the tip page was opened for (External Action `?userId=`). */
  chatUser?: { id: string; instance: string | null } | null
  tierName?: string | null
  perk?: string | null
  streamer?: { walletAddress: string; authServer: string; resourceServer: string }
  viewer?: {
    walletAddress: string
    authServer: string
    resourceServer: string
    assetCode: string
    assetScale: number
  }
  incomingPayment?: { id: string; expiresAt: string }
  quote?: { id: string; debitAmount: Amount; receiveAmount: Amount; expiresAt: string | null }
  /** The nonce the app sent in interact.finish. */
  clientNonce?: string
  /** The auth server's interact.finish nonce. */
  finishNonce?: string
  consentUrl?: string
  /** The URL the interactive grant was requested from, for the finish hash. */
  grantEndpoint?: string
  continue?: { uri: string; token: string; wait: number; receivedAt: number }
  interactRef?: string
  /** Set before `grant.continue` is sent: a later `request_denied` may mean our own lost answer. */
  continueSentAt?: number
  outgoingGrant?: { token: string; manage: string; expiresAt: number | null }
  /** Set before the outgoing payment request is sent, so a restart knows one may exist. */
  paymentAttemptedAt?: number
  outgoingPayment?: { id: string; form: 'quote' | 'debitAmount' }
  completedAt?: number
}

export interface TipFlowRecord {
  id: string
  state: TipFlowState
  streamId: string | null
  viewerSessionId: string | null
  tierId: string | null
  amountValue: bigint
  assetCode: string
  assetScale: number
  viewerWallet: string
  viewerName: string | null
  message: string | null
  data: TipFlowData
  errorCode: string | null
  errorMessage: string | null
  createdAt: number
  updatedAt: number
  expiresAt: number | null
  incomingPaymentUrl: string | null
  nextCheckAt: number | null
}

export interface FlowPatch {
  data?: TipFlowData
  errorCode?: string | null
  errorMessage?: string | null
  expiresAt?: number | null
  incomingPaymentUrl?: string | null
  nextCheckAt?: number | null
}

interface Row {
  id: string
  state: TipFlowState
  stream_id: string | null
  viewer_session_id: string | null
  tier_id: string | null
  amount_value: bigint
  asset_code: string
  asset_scale: bigint
  viewer_wallet: string
  viewer_name: string | null
  message: string | null
  data: string
  error_code: string | null
  error_message: string | null
  created_at: bigint
  updated_at: bigint
  expires_at: bigint | null
  incoming_payment_url: string | null
  next_check_at: bigint | null
}

const num = (value: bigint | null): number | null => (value === null ? null : Number(value))

function fromRow(row: Row): TipFlowRecord {
  return {
    id: row.id,
    state: row.state,
    streamId: row.stream_id,
    viewerSessionId: row.viewer_session_id,
    tierId: row.tier_id,
    amountValue: BigInt(row.amount_value),
    assetCode: row.asset_code,
    assetScale: Number(row.asset_scale),
    viewerWallet: row.viewer_wallet,
    viewerName: row.viewer_name,
    message: row.message,
    data: JSON.parse(row.data) as TipFlowData,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: num(row.expires_at),
    incomingPaymentUrl: row.incoming_payment_url,
    nextCheckAt: num(row.next_check_at),
  }
}

export interface TipFlowRepository {
  /** Stores a new flow; a stream id the streams table does not know is stored as null. */
  insert(
    flow: Omit<
      TipFlowRecord,
      'updatedAt' | 'errorCode' | 'errorMessage' | 'incomingPaymentUrl' | 'nextCheckAt'
    >,
  ): void
  get(id: string): TipFlowRecord | undefined
  /**
   * Moves a flow from one of `from` to `to` (or keeps the state when `to` is null) and applies the patch,
   * only if it is still in one of `from`: the compare-and-set that keeps two callers from both advancing it.
   */
  transition(
    id: string,
    from: readonly TipFlowState[],
    to: TipFlowState | null,
    patch: FlowPatch,
    now: number,
  ): boolean
  listInStates(states: readonly TipFlowState[]): TipFlowRecord[]
  countInStates(states: readonly TipFlowState[]): number
  /** The newest flows first. */
  recent(limit: number): TipFlowRecord[]
}

/** The SQL of the `tip_flows` table, the tip flow's persisted state machine. */
export function createTipFlowRepository(db: Db): TipFlowRepository {
  const insert = db.prepare(`INSERT INTO tip_flows
    (id, state, stream_id, viewer_session_id, tier_id, amount_value, asset_code, asset_scale, viewer_wallet,
     viewer_name, message, data, created_at, updated_at, expires_at)
    VALUES (@id, @state, (SELECT id FROM streams WHERE id = @streamId), @viewerSessionId, @tierId, @amountValue, @assetCode, @assetScale,
     @viewerWallet, @viewerName, @message, @data, @createdAt, @createdAt, @expiresAt)`)
  const byId = db.prepare('SELECT * FROM tip_flows WHERE id = ?').safeIntegers(true)

  return {
    insert(flow) {
      insert.run({
        id: flow.id,
        state: flow.state,
        streamId: flow.streamId,
        viewerSessionId: flow.viewerSessionId,
        tierId: flow.tierId,
        amountValue: flow.amountValue,
        assetCode: flow.assetCode,
        assetScale: flow.assetScale,
        viewerWallet: flow.viewerWallet,
        viewerName: flow.viewerName,
        message: flow.message,
        data: JSON.stringify(flow.data),
        createdAt: flow.createdAt,
        expiresAt: flow.expiresAt,
      })
    },
    get(id) {
      const row = byId.get(id) as Row | undefined
      return row ? fromRow(row) : undefined
    },
    transition(id, from, to, patch, now) {
      const sets = ['updated_at = @now']
      const params: Record<string, unknown> = { id, now }
      if (to) {
        sets.push('state = @to')
        params.to = to
      }
      const columns: [keyof FlowPatch, string][] = [
        ['errorCode', 'error_code'],
        ['errorMessage', 'error_message'],
        ['expiresAt', 'expires_at'],
        ['incomingPaymentUrl', 'incoming_payment_url'],
        ['nextCheckAt', 'next_check_at'],
      ]
      for (const [key, column] of columns) {
        if (patch[key] !== undefined) {
          sets.push(`${column} = @${key}`)
          params[key] = patch[key]
        }
      }
      if (patch.data !== undefined) {
        sets.push('data = @data')
        params.data = JSON.stringify(patch.data)
      }
      const states = from.map((_, index) => `@from${index}`)
      from.forEach((state, index) => (params[`from${index}`] = state))
      const sql = `UPDATE tip_flows SET ${sets.join(', ')} WHERE id = @id AND state IN (${states.join(', ')})`
      return db.prepare(sql).run(params).changes === 1
    },
    listInStates(states) {
      const rows = db
        .prepare(
          `SELECT * FROM tip_flows WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at`,
        )
        .safeIntegers(true)
        .all(...states) as Row[]
      return rows.map(fromRow)
    },
    recent(limit) {
      const rows = db
        .prepare('SELECT * FROM tip_flows ORDER BY created_at DESC, id LIMIT ?')
        .safeIntegers(true)
        .all(limit) as Row[]
      return rows.map(fromRow)
    },
    countInStates(states) {
      const row = db
        .prepare(
          `SELECT COUNT(*) AS n FROM tip_flows WHERE state IN (${states.map(() => '?').join(', ')})`,
        )
        .get(...states) as { n: number }
      return row.n
    },
  }
}
