import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../storage/db.js'
import { makeTempDir } from '../testing/harness.js'
import { createCheckpointer, type Checkpointer } from './checkpointer.js'
import { waitFor } from '../testing/integrations.js'

describe('background WAL checkpoints', () => {
  let db: Db | undefined
  let checkpointer: Checkpointer | undefined
  afterEach(async () => {
    await checkpointer?.stop()
    db?.close()
  })

  it('keeps the WAL small from a worker thread while the main connection never checkpoints', async () => {
    const file = path.join(makeTempDir(), 'wm.sqlite')
    db = openDatabase(file)
    checkpointer = createCheckpointer(db, { intervalMs: 20 })
    checkpointer.start()
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const insert = db.prepare(
      `INSERT INTO platform_events (platform, event_id, type, payload, received_at)
       VALUES ('owncast', ?, 'CHAT', ?, ?)`,
    )
    const payload = 'x'.repeat(1200)
    for (let batch = 0; batch < 40; batch += 1) {
      db.transaction(() => {
        for (let i = 0; i < 100; i += 1) insert.run(`e${batch}-${i}`, payload, Date.now())
      })()
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const current = checkpointer
    await waitFor(() => current.completed() >= 3, 'checkpoints from the worker')
    // Once everything is checkpointed, the next writer restarts the WAL from its beginning: the log
    // holds only what came after, instead of every frame written above.
    const before = current.completed()
    await waitFor(() => current.completed() > before, 'a checkpoint after the last write')
    insert.run('after', payload, Date.now())
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[]
    expect(state?.log).toBeLessThan(20)
    await checkpointer.stop()
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    expect(db.prepare('SELECT COUNT(*) AS n FROM platform_events').get()).toEqual({ n: 4001 })
  })
})
