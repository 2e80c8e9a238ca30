import { describe, expect, it } from 'vitest'
import { rawRequest, startTestServer } from '../../server/testing/harness.js'
import { createQuitGuard } from './shutdown.js'

function quitEvent() {
  const event = { prevented: 0, preventDefault: () => (event.prevented += 1) }
  return event
}

describe('createQuitGuard', () => {
  it('holds the first quit until the server is closed, then quits once', async () => {
    const test = await startTestServer()
    let quits = 0
    let started = 0
    const errors: unknown[] = []
    let quitted!: () => void
    const quitDone = new Promise<void>((resolve) => (quitted = resolve))
    const guard = createQuitGuard({
      close: () => test.server.close(),
      quit: () => {
        quits += 1
        quitted()
      },
      onError: (error) => errors.push(error),
      onStart: () => (started += 1),
    })

    const first = quitEvent()
    guard.onBeforeQuit(first)
    expect(first.prevented).toBe(1)
    // Quit again (Cmd+Q twice) while closing: absorbed, no second close.
    const second = quitEvent()
    guard.onBeforeQuit(second)
    expect(second.prevented).toBe(1)

    await quitDone
    expect(guard.done).toBe(true)
    expect(quits).toBe(1)
    expect(started).toBe(1)
    expect(errors).toEqual([])
    expect(test.server.db.open).toBe(false)
    await expect(rawRequest({ url: test.local('/healthz') })).rejects.toThrow()

    // The quit the guard issued goes through.
    const last = quitEvent()
    guard.onBeforeQuit(last)
    expect(last.prevented).toBe(0)
  })

  it('still quits when closing fails, and reports the error', async () => {
    let quits = 0
    const errors: unknown[] = []
    let quitted!: () => void
    const quitDone = new Promise<void>((resolve) => (quitted = resolve))
    const guard = createQuitGuard({
      close: () => Promise.reject(new Error('disk gone')),
      quit: () => {
        quits += 1
        quitted()
      },
      onError: (error) => errors.push(error),
    })
    guard.onBeforeQuit(quitEvent())
    await quitDone
    expect(quits).toBe(1)
    expect((errors[0] as Error).message).toBe('disk gone')
  })
})
