import { afterEach, describe, expect, it, vi } from 'vitest'
import { createQueueFixture, flush } from '../testing/alertQueue.js'

let fixture: ReturnType<typeof createQueueFixture>
afterEach(() => {
  vi.useRealTimers()
  fixture?.close()
})

describe('alert queue', () => {
  it('shows one alert at a time, in arrival order, each once the previous was displayed', async () => {
    fixture = createQueueFixture()
    const { queue, shown } = fixture
    const a = queue.enqueue(fixture.support(100n), { source: 'tip' })
    const b = queue.enqueue(fixture.support(200n), { source: 'tip' })
    const c = queue.enqueue(fixture.support(300n), { source: 'tip' })
    expect(shown.map((alert) => alert.id)).toEqual([a?.id])
    queue.displayed(a!.id)
    await flush()
    expect(shown.map((alert) => alert.id)).toEqual([a?.id, b?.id])
    queue.displayed(b!.id)
    await flush()
    queue.displayed(c!.id)
    await flush()
    expect(shown.map((alert) => alert.id)).toEqual([a?.id, b?.id, c?.id])
    expect(fixture.store.get(c!.id)?.state).toBe('shown')
    expect(queue.view().queued).toEqual([])
  })

  it('alerts once per support event, however often the event arrives', () => {
    fixture = createQueueFixture()
    const event = fixture.support(500n)
    expect(fixture.queue.enqueue(event, { source: 'tip' })).not.toBeNull()
    expect(fixture.queue.enqueue(event, { source: 'tip' })).toBeNull()
    expect(fixture.shown).toHaveLength(1)
  })

  it('waits for an alert overlay to be connected before showing anything', async () => {
    fixture = createQueueFixture()
    fixture.setOverlays(0)
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })
    expect(fixture.shown).toEqual([])
    expect(a?.state).toBe('queued')
    fixture.setOverlays(1)
    fixture.queue.pump()
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a?.id])
  })

  it('puts an alert no overlay confirmed back in the queue, and sends it again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    fixture = createQueueFixture({ ackTimeoutMs: 1000 })
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const b = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    expect(fixture.store.get(a.id)?.state).toBe('showing')
    vi.advanceTimersByTime(999)
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id])
    vi.advanceTimersByTime(1)
    expect(fixture.store.get(a.id)?.state).toBe('queued')
    await flush()
    // Still first in line: order is kept.
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id, a.id])
    fixture.queue.displayed(a.id)
    await flush()
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id, a.id, b.id])
  })

  it('holds everything while paused and resumes in order', async () => {
    fixture = createQueueFixture()
    fixture.settings.alertsPaused = true
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const b = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    expect(fixture.shown).toEqual([])
    expect(fixture.queue.view().paused).toBe(true)
    expect(fixture.queue.view().queued.map((view) => view.id)).toEqual([a.id, b.id])
    fixture.settings.alertsPaused = false
    fixture.queue.pump()
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id])
  })

  it('skips the alert on screen (overlay told to hide it) and moves on', async () => {
    fixture = createQueueFixture()
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const b = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const skipped = fixture.queue.skip()
    expect(skipped.id).toBe(a.id)
    expect(skipped.state).toBe('skipped')
    expect(fixture.hidden).toEqual([a.id])
    await flush()
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id, b.id])
  })

  it('skips a queued alert so it never shows', async () => {
    fixture = createQueueFixture()
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const b = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const c = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    fixture.queue.skip(b.id)
    fixture.queue.displayed(a.id)
    await flush()
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id, c.id])
    expect(() => fixture.queue.skip(b.id)).toThrow(/already skipped/)
  })

  it('replays a shown alert as a new alert with the same content', async () => {
    fixture = createQueueFixture()
    const a = fixture.queue.enqueue(fixture.support(100n, { supporterName: 'Ada' }), {
      source: 'tip',
    })!
    expect(() => fixture.queue.replay(a.id)).toThrow(/only a shown or skipped/)
    fixture.queue.displayed(a.id)
    await flush()
    const replay = fixture.queue.replay(a.id)
    expect(replay.id).not.toBe(a.id)
    expect(replay.source).toBe('replay')
    expect(replay.replayOf).toBe(a.id)
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id, replay.id])
    expect(fixture.shown[1]?.name).toBe('Ada')
  })

  it('after a restart, an alert that was on screen unconfirmed is queued again; a confirmed one is not', () => {
    fixture = createQueueFixture()
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    fixture.queue.stop()
    fixture.store.recover()
    expect(fixture.store.get(a.id)?.state).toBe('queued')
    fixture.queue.start()
    fixture.queue.displayed(a.id)
    fixture.queue.stop()
    fixture.store.recover()
    expect(fixture.store.get(a.id)?.state).toBe('shown')
  })

  it('skips support below the minimum amount, but never a test alert', () => {
    fixture = createQueueFixture()
    fixture.config.saveSettings({ ...fixture.config.settings(), minAmountToAlert: '2' })
    const small = fixture.queue.enqueue(fixture.support(199n), { source: 'tip' })!
    expect(small.state).toBe('skipped')
    expect(small.reason).toBe('below_minimum')
    const test = fixture.queue.enqueue(fixture.support(100n, { isTest: true }), { source: 'test' })!
    expect(test.state).toBe('showing')
    expect(test.isTest).toBe(true)
  })

  it('drops the message below the minimum amount for messages', () => {
    fixture = createQueueFixture()
    fixture.config.saveSettings({ ...fixture.config.settings(), minAmountForMessage: '5' })
    const small = fixture.queue.enqueue(fixture.support(499n), { source: 'tip' })!
    const big = fixture.queue.enqueue(fixture.support(500n), { source: 'tip' })!
    expect(small.alert.message).toBeNull()
    expect(big.alert.message).toMatch(/^Message/)
  })
})

describe('moderation hold', () => {
  it('holds alerts until the streamer approves; rejected ones never show', async () => {
    fixture = createQueueFixture()
    fixture.config.saveSettings({ ...fixture.config.settings(), moderationEnabled: true })
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    const b = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    expect([a.state, a.reason]).toEqual(['held', 'moderation'])
    expect(fixture.shown).toEqual([])
    expect(fixture.queue.view().held.map((view) => view.id)).toEqual([a.id, b.id])
    fixture.queue.reject(b.id)
    fixture.queue.approve(a.id)
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id])
    expect(() => fixture.queue.approve(b.id)).toThrow(/rejected, not held/)
    fixture.queue.displayed(a.id)
    await flush()
    expect(fixture.shown).toHaveLength(1)
  })

  it('approves by itself after the auto-approve delay', () => {
    vi.useFakeTimers()
    fixture = createQueueFixture()
    fixture.config.saveSettings({
      ...fixture.config.settings(),
      moderationEnabled: true,
      autoApproveSeconds: 30,
    })
    const a = fixture.queue.enqueue(fixture.support(100n), { source: 'tip' })!
    expect(a.autoApproveAt).not.toBeNull()
    vi.advanceTimersByTime(29_000)
    expect(fixture.shown).toEqual([])
    vi.advanceTimersByTime(1_000)
    expect(fixture.shown.map((alert) => alert.id)).toEqual([a.id])
  })

  it('lets test alerts through without moderation', () => {
    fixture = createQueueFixture()
    fixture.config.saveSettings({ ...fixture.config.settings(), moderationEnabled: true })
    const test = fixture.queue.enqueue(fixture.support(100n, { isTest: true }), { source: 'test' })!
    expect(test.state).toBe('showing')
  })
})

describe('blocked words', () => {
  const withWords = (action: 'mask' | 'drop' | 'hold') => {
    fixture = createQueueFixture()
    fixture.config.saveSettings({
      ...fixture.config.settings(),
      blockedWords: ['darn', 'heck'],
      blockedWordAction: action,
    })
  }

  it('masks blocked words in names and messages', () => {
    withWords('mask')
    const view = fixture.queue.enqueue(
      fixture.support(100n, { supporterName: 'HECK fan', message: 'well darn, nice stream' }),
      { source: 'tip' },
    )!
    expect(view.alert.name).toBe('**** fan')
    expect(view.alert.message).toBe('well ****, nice stream')
    expect(view.state).toBe('showing')
  })

  it('drops a message with a blocked word but still shows the alert', () => {
    withWords('drop')
    const view = fixture.queue.enqueue(
      fixture.support(100n, { supporterName: 'Ada', message: 'darn it' }),
      { source: 'tip' },
    )!
    expect(view.alert.message).toBeNull()
    expect(view.alert.name).toBe('Ada')
    expect(view.state).toBe('showing')
  })

  it('holds an alert with a blocked word for the streamer', () => {
    withWords('hold')
    const clean = fixture.queue.enqueue(fixture.support(100n, { message: 'darning socks' }), {
      source: 'tip',
    })!
    const held = fixture.queue.enqueue(fixture.support(100n, { message: 'oh heck' }), {
      source: 'tip',
    })!
    expect(clean.state).toBe('showing')
    expect([held.state, held.reason]).toEqual(['held', 'blocked_words'])
  })
})

describe('variants', () => {
  it('uses the variant the amount rules pick and renders its template as text parts', () => {
    fixture = createQueueFixture()
    const view = fixture.queue.enqueue(fixture.support(1500n, { supporterName: '<b>Ada</b>' }), {
      source: 'tip',
    })!
    expect(view.alert.variantId).toBe('big')
    expect(view.alert.headline).toEqual([
      { kind: 'name', text: '<b>Ada</b>' },
      { kind: 'text', text: ' sent a huge ' },
      { kind: 'amount', text: view.alert.amountText },
      { kind: 'text', text: '!' },
    ])
    expect(view.alert.soundUrl).toBe('/overlay/static/sounds/fanfare.wav')
  })

  it('forces a variant for a per-variant test alert', () => {
    fixture = createQueueFixture()
    const view = fixture.queue.enqueue(fixture.support(100n, { isTest: true }), {
      source: 'test',
      variantId: 'top',
    })!
    expect(view.alert.variantId).toBe('top')
    expect(() =>
      fixture.queue.enqueue(fixture.support(100n, { isTest: true }), {
        source: 'test',
        variantId: 'nope',
      }),
    ).toThrow(/no alert variant "nope"/)
  })

  it('picks "largest this stream" only when the support beats every earlier one of the stream', () => {
    fixture = createQueueFixture()
    const variants = fixture.config.variants().map((variant) => ({ ...variant, enabled: true }))
    fixture.config.saveVariants(variants)
    fixture.db
      .prepare("INSERT INTO streams (id, platform, started_at) VALUES ('s1', 'owncast', 0)")
      .run()
    const first = fixture.queue.enqueue(fixture.support(300n, { streamId: 's1' }), {
      source: 'tip',
    })!
    const smaller = fixture.queue.enqueue(fixture.support(200n, { streamId: 's1' }), {
      source: 'tip',
    })!
    const larger = fixture.queue.enqueue(fixture.support(400n, { streamId: 's1' }), {
      source: 'tip',
    })!
    expect([first.alert.variantId, smaller.alert.variantId, larger.alert.variantId]).toEqual([
      'default',
      'default',
      'top',
    ])
  })
})
