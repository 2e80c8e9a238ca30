import type { Db } from '../storage/db.js'
import type { StreamerAsset } from './context.js'

const KEY = 'streamer_asset'
export const DEFAULT_STREAMER_ASSET: StreamerAsset = { assetCode: 'EUR', assetScale: 2 }

/** The streamer's asset, from the wallet address once a wallet is set up; EUR at scale 2 before that. */
export function createStreamerAssetStore(db: Db) {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?')
  const write = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  )
  return {
    get(): StreamerAsset {
      const row = read.get(KEY) as { value: string } | undefined
      return row ? (JSON.parse(row.value) as StreamerAsset) : DEFAULT_STREAMER_ASSET
    },
    set(asset: StreamerAsset): void {
      write.run(
        KEY,
        JSON.stringify({ assetCode: asset.assetCode, assetScale: asset.assetScale }),
        Date.now(),
      )
    },
  }
}
