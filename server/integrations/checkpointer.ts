import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { nativeBindingInUse, type Db } from '../storage/db.js'

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1000 WAL pages, on the main thread: with webhooks arriving at thousands per second that is a 5-20 ms
 * stall (copy plus fsync) every few thousand rows, which lands straight in the webhook p99. Here a
 * worker thread with its own connection runs PASSIVE checkpoints (they never block writers) on a timer,
 * and the main connection's automatic checkpoint is off while the worker lives. If the worker fails,
 * automatic checkpoints come back, so the WAL never grows unbounded.
 */
export interface Checkpointer {
  start(): void
  stop(): Promise<void>
  /** Checkpoints completed by the worker, for tests. */
  completed(): number
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, workerData.nativeBinding
  ? { fileMustExist: true, nativeBinding: workerData.nativeBinding }
  : { fileMustExist: true })
db.pragma('busy_timeout = 2000')
db.pragma('synchronous = NORMAL')
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    try {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)')
      parentPort.postMessage({ ok: true, busy: row ? row.busy : 0 })
    } catch (error) {
      parentPort.postMessage({ ok: false, error: String(error && error.message || error) })
    }
  } else if (message === 'close') {
    db.close()
    parentPort.close()
  }
})
`

const DEFAULT_AUTOCHECKPOINT = 1000

export function createCheckpointer(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): Checkpointer {
  const intervalMs = options.intervalMs ?? 500
  let worker: Worker | undefined
  let timer: NodeJS.Timeout | undefined
  let inFlight = false
  let done = 0

  function fallBack(error: unknown): void {
    if (timer) clearInterval(timer)
    timer = undefined
    worker = undefined
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`)
    options.onError?.(error)
  }

  return {
    start() {
      if (worker || db.memory || !db.open) return
      const driver = createRequire(import.meta.url).resolve('better-sqlite3')
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { driver, file: db.name, nativeBinding: nativeBindingInUse() },
        })
      } catch (error) {
        fallBack(error)
        return
      }
      worker.unref()
      worker.on('message', (message: { ok: boolean; error?: string }) => {
        inFlight = false
        if (message.ok) done += 1
        else options.onError?.(new Error(`WAL checkpoint failed: ${message.error}`))
      })
      worker.on('error', fallBack)
      db.pragma('wal_autocheckpoint = 0')
      timer = setInterval(() => {
        if (!worker || inFlight) return
        inFlight = true
        worker.postMessage('checkpoint')
      }, intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      const current = worker
      worker = undefined
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`)
      if (!current) return
      current.postMessage('close')
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          void current.terminate().then(() => resolve())
        }, 2000)
        current.once('exit', () => {
          clearTimeout(force)
          resolve()
        })
      })
    },
    completed: () => done,
  }
}
