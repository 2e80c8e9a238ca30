import path from 'node:path'
import Database from 'better-sqlite3'
import type { SupportKind } from '../../../server/contracts/common.js'
import { createSupportEventRepository } from '../../../server/support/supportRepository.js'
import { settingsFor } from '../../../server/testing/settings.js'

let sourceCounter = 0

/**
 * Writes support events into a running server's SQLite file through the ledger's repository (WAL
 * allows a second writer), so a page has figures without a wallet round trip.
 */
export function insertSupport(
  dataDir: string,
  rows: { amount: number; kind?: SupportKind; name: string; key?: string; minutesAgo: number }[],
): void {
  const db = new Database(path.join(dataDir, 'wm-companion.sqlite'))
  try {
    db.pragma('busy_timeout = 5000')
    const { assetCode, assetScale } = settingsFor(db).get('wallet.streamerAsset')
    const now = Date.now()
    createSupportEventRepository(db).importEvents(
      rows.map((row) => {
        sourceCounter += 1
        return {
          sourceKey: `e2e-screens:${process.pid}:${sourceCounter}`,
          kind: row.kind ?? 'tip',
          amountValue: BigInt(row.amount),
          assetCode,
          assetScale,
          supporterKey: row.key ?? `key:${row.name}`,
          supporterName: row.name,
          occurredAt: now - row.minutesAgo * 60_000,
        }
      }),
    )
  } finally {
    db.close()
  }
}

/** The tips the server's ledger holds, read from its SQLite file. */
export function recordedTips(dataDir: string) {
  const db = new Database(path.join(dataDir, 'wm-companion.sqlite'), { readonly: true })
  try {
    return createSupportEventRepository(db).recorded('tip')
  } finally {
    db.close()
  }
}
