import http from 'node:http'
import zlib from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertQueueResponse, OverlayAlert } from '../contracts/alerts.js'
import { OVERLAY_IDS, OVERLAY_REGISTRY, type OverlayLinksResponse } from '../contracts/overlays.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let test: TestServer
let key: string
beforeEach(async () => {
  test = await startTestServer()
  key = encodeURIComponent(test.server.context.overlayKeys.current())
})
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close()
  await test.close()
})

interface SseMessage {
  id?: string
  event: string
  data: string
}

/** A minimal SSE client over http (fetch cannot set Host, and we want the raw ids). */
function openStream(path: string, headers: Record<string, string> = {}) {
  const messages: SseMessage[] = []
  const waiters: (() => void)[] = []
  let buffer = ''
  const url = new URL(test.local(path))
  const request = http.get({
    host: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    headers,
    agent: false,
  })
  const ready = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const message: SseMessage = { event: 'message', data: '' }
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(': ')
            const value = rest.join(': ')
            if (field === 'id') message.id = value
            else if (field === 'event') message.event = value
            else if (field === 'data') message.data = value
          }
          if (block.includes('event: ')) messages.push(message)
          for (const waiter of waiters.splice(0)) waiter()
        }
      })
      resolve(response)
    })
    request.on('error', reject)
  })
  const stream = {
    ready,
    messages,
    alerts: () =>
      messages.filter((m) => m.event === 'alert').map((m) => JSON.parse(m.data) as OverlayAlert),
    async next(event: string, count = 1): Promise<SseMessage[]> {
      for (;;) {
        const found = messages.filter((m) => m.event === event)
        if (found.length >= count) return found
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
    close: () => request.destroy(),
  }
  streams.push(stream)
  return stream
}
const streams: { close(): void }[] = []

async function testAlert(name = 'Ada', message = 'hello'): Promise<void> {
  const response = await rawRequest({
    method: 'POST',
    url: test.local('/api/alerts/test'),
    headers: test.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({ name, message, amount: '2' }),
  })
  expect(response.status).toBe(201)
}

async function displayed(id: number): Promise<void> {
  const response = await rawRequest({
    method: 'POST',
    url: test.local(`/overlay/alerts/displayed?key=${key}`),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  })
  expect(response.status).toBe(204)
}

/** Waits until the server has seen the given number of alert overlays (a closed socket takes a moment). */
async function connectedAlertOverlays(count: number): Promise<void> {
  for (;;) {
    const response = await rawRequest({
      url: test.local('/api/overlays/connections'),
      headers: test.adminHeaders(),
    })
    if (response.json<{ byOverlay: { alerts: number } }>().byOverlay.alerts === count) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function setSettings(body: Record<string, unknown>): Promise<void> {
  const response = await rawRequest({
    method: 'PATCH',
    url: test.local('/api/alerts/settings'),
    headers: test.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
}

describe('overlay pages', () => {
  it('need the overlay key', async () => {
    // The page pasted into OBS: a 401 page that OBS shows as nothing (see the browser test).
    for (const url of ['/overlay/alerts', '/overlay/goal?key=nope']) {
      const page = await rawRequest({ url: test.local(url) })
      expect(page.status, url).toBe(401)
      expect(page.headers['content-type']).toContain('text/html')
      expect(page.body).toContain('This overlay URL has an old or wrong key')
      expect(page.body).not.toContain(test.server.context.overlayKeys.current())
      expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-/)
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline')
    }
    // Its files, stream and data keep the JSON error.
    const file = await rawRequest({ url: test.local('/overlay/static/overlay.js') })
    expect(file.status).toBe(403)
    expect(file.json()).toMatchObject({ error: 'bad_overlay_key' })
    const stream = await rawRequest({ url: test.local('/overlay/events?overlay=alerts&key=old') })
    expect(stream.status).toBe(403)
  })

  it('are served with a strict CSP, no inline code, and stay under 30 KB gzipped', async () => {
    for (const overlay of ['alerts', 'tiers', 'goal', 'leaderboard', 'ticker', 'levelup']) {
      const page = await rawRequest({ url: test.local(`/overlay/${overlay}?key=${key}`) })
      expect(page.status).toBe(200)
      const csp = String(page.headers['content-security-policy'])
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("connect-src 'self'")
      expect(csp).toContain("require-trusted-types-for 'script'")
      expect(csp).not.toContain('unsafe-inline')
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)/)
      expect(page.body).not.toMatch(/\sstyle=|\son\w+=/)
      let total = zlib.gzipSync(page.body).length
      for (const file of ['overlay.js', `${overlay}.js`, 'overlay.css']) {
        const asset = await rawRequest({ url: test.local(`/overlay/static/${file}?key=${key}`) })
        expect(asset.status).toBe(200)
        total += zlib.gzipSync(asset.body).length
      }
      expect(total).toBeLessThan(30 * 1024)
    }
  })

  it('serve only their own files, never a path outside them', async () => {
    for (const path of [
      '/overlay/static/../../../package.json',
      '/overlay/static/%2e%2e/%2e%2e/package.json',
      '/overlay/static/feature.ts',
    ]) {
      const response = await rawRequest({ url: test.local(`${path}?key=${key}`) })
      expect(response.status).toBe(404)
    }
    const sound = await rawRequest({
      url: test.local(`/overlay/static/sounds/chime.wav?key=${key}`),
    })
    expect(sound.status).toBe(200)
    expect(sound.headers['content-type']).toBe('audio/wav')
  })

  it('reject an unknown overlay name with a 400 naming the field', async () => {
    const response = await rawRequest({
      url: test.local(`/overlay/events?key=${key}&overlay=nope`),
    })
    expect(response.status).toBe(400)
    expect(response.json().field).toContain('querystring')
  })

  it('serve the streamer CSS the dashboard saved', async () => {
    const put = await rawRequest({
      method: 'PUT',
      url: test.local('/api/overlays/css/alerts'),
      headers: test.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ css: '.wm-alert { color: red }' }),
    })
    expect(put.status).toBe(200)
    const css = await rawRequest({
      url: test.local(`/overlay/custom.css?key=${key}&overlay=alerts`),
    })
    expect(css.headers['content-type']).toContain('text/css')
    // The streamer's CSS comes after the look of the overlay's settings panel, so it wins.
    expect(css.body.endsWith('.wm-alert { color: red }')).toBe(true)
  })
})

describe('overlay event stream', () => {
  it('delivers alerts with their ids, one at a time, and counts connected overlays', async () => {
    await setSettings({ durationMs: 0, gapMs: 0 })
    const stream = openStream(`/overlay/events?key=${key}&overlay=alerts`)
    await stream.next('hello')
    const links = await rawRequest({
      url: test.local('/api/overlays/links'),
      headers: test.adminHeaders(),
    })
    const body = links.json<OverlayLinksResponse>()
    expect(body.connections.byOverlay.alerts).toBe(1)
    expect(body.overlays.find((link) => link.id === 'alerts')?.url).toBe(
      `${test.server.localUrl}/overlay/alerts?key=${key}`,
    )
    await testAlert('First')
    await testAlert('Second')
    const [first] = await stream.next('alert')
    const alert = JSON.parse(first!.data) as OverlayAlert
    expect(first!.id).toBe(String(alert.id))
    expect(alert.name).toBe('First')
    expect(alert.isTest).toBe(true)
    // The second waits until the first is confirmed on screen.
    expect(stream.alerts()).toHaveLength(1)
    await displayed(alert.id)
    const both = await stream.next('alert', 2)
    expect(JSON.parse(both[1]!.data).name).toBe('Second')
  })

  it('resumes after a dropped connection without losing or repeating an alert', async () => {
    await setSettings({ durationMs: 0, gapMs: 0 })
    const first = openStream(`/overlay/events?key=${key}&overlay=alerts`)
    await first.next('hello')
    await testAlert('One')
    const [oneMessage] = await first.next('alert')
    const one = JSON.parse(oneMessage!.data) as OverlayAlert
    await displayed(one.id)
    first.close()
    await connectedAlertOverlays(0)
    // Meanwhile, with no overlay connected: nothing is shown to nobody.
    await testAlert('Two')
    const queue = await rawRequest({
      url: test.local('/api/alerts/queue'),
      headers: test.adminHeaders(),
    })
    expect(queue.json<AlertQueueResponse>().queued.map((view) => view.alert.name)).toEqual(['Two'])

    const resumed = openStream(`/overlay/events?key=${key}&overlay=alerts`, {
      'last-event-id': String(one.id),
    })
    const [two] = await resumed.next('alert')
    expect(JSON.parse(two!.data).name).toBe('Two')
    expect(resumed.alerts().map((alert) => alert.name)).toEqual(['Two'])
  })

  it('replays nothing to a reloaded overlay', async () => {
    await setSettings({ durationMs: 0, gapMs: 0 })
    const page = openStream(`/overlay/events?key=${key}&overlay=alerts`)
    await page.next('hello')
    await testAlert('Seen')
    const [seen] = await page.next('alert')
    await displayed(Number(seen!.id))
    page.close()
    await connectedAlertOverlays(0)
    const reloaded = openStream(`/overlay/events?key=${key}&overlay=alerts`)
    await reloaded.next('hello')
    await reloaded.next('paused')
    await testAlert('Fresh')
    const [fresh] = await reloaded.next('alert')
    expect(JSON.parse(fresh!.data).name).toBe('Fresh')
    expect(reloaded.alerts()).toHaveLength(1)
  })

  it('sends data overlays a snapshot, and never counts test alerts in them', async () => {
    const stream = openStream(`/overlay/events?key=${key}&overlay=ticker`)
    const [data] = await stream.next('data')
    expect(JSON.parse(data!.data)).toMatchObject({ entries: [] })
    await testAlert('Tester')
    const leaderboard = openStream(`/overlay/events?key=${key}&overlay=leaderboard`)
    const [board] = await leaderboard.next('data')
    expect(JSON.parse(board!.data).entries).toEqual([])
  })

  it('refreshes goal and ticker when a tip completes, and forwards pause and level-ups', async () => {
    const ticker = openStream(`/overlay/events?key=${key}&overlay=ticker`)
    const goal = openStream(`/overlay/events?key=${key}&overlay=goal`)
    const alerts = openStream(`/overlay/events?key=${key}&overlay=alerts`)
    const levelup = openStream(`/overlay/events?key=${key}&overlay=levelup`)
    await Promise.all([ticker.next('data'), goal.next('data'), alerts.next('paused')])
    await levelup.next('hello')
    const { context, bus } = test.server
    context.ledger.record(
      {
        sourceKey: 'tip:live',
        kind: 'tip',
        amountValue: 700n,
        assetCode: 'EUR',
        assetScale: 2,
        supporterName: 'Grace',
      },
      { tip: { flowId: 'f1', tierName: 'Coffee', perk: null } },
    )
    const [, tickerUpdate] = await ticker.next('data', 2)
    expect(JSON.parse(tickerUpdate!.data).entries[0]).toMatchObject({ name: 'Grace' })
    const [, goalUpdate] = await goal.next('data', 2)
    expect(JSON.parse(goalUpdate!.data).currentText).toContain('7.00')

    bus.emit('alerts.paused', { paused: true })
    const [, paused] = await alerts.next('paused', 2)
    expect(JSON.parse(paused!.data)).toEqual({ paused: true })

    bus.emit('supporter.levelUp', {
      supporterId: 's1',
      label: 'Brave Otter 417',
      displayName: '<b>Grace</b>\u202E',
      previousLevel: 1,
      level: {
        level: 2,
        name: 'Bronze',
        icon: '🥉',
        color: '#c96',
        threshold: { value: '500', assetCode: 'EUR', assetScale: 2 },
        thresholdAmount: 5,
      },
      total: { value: '700', assetCode: 'EUR', assetScale: 2 },
      at: '2026-01-01T00:00:00.000Z',
    })
    const [levelUp] = await levelup.next('levelup')
    expect(JSON.parse(levelUp!.data)).toMatchObject({
      name: '<b>Grace</b>',
      level: 2,
      levelName: 'Bronze',
      icon: '🥉',
    })
  })
})

describe('overlay settings panel', () => {
  const look = {
    theme: 'panel',
    textColor: '#112233',
    accentColor: '#ff0000',
    panelColor: '#ffffff',
    panelOpacity: 90,
    fontSize: 48,
    position: 'bottom-right',
    sound: 'coin',
    volume: 50,
  }
  const save = (overlay: string, body: unknown) =>
    rawRequest({
      method: 'PUT',
      url: test.local(`/api/overlays/settings/${overlay}`),
      headers: test.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    })
  const pageCss = async (overlay: string) =>
    (await rawRequest({ url: test.local(`/overlay/custom.css?key=${key}&overlay=${overlay}`) }))
      .body

  it('saves the goal, the look and the CSS, and open pages load them at once', async () => {
    const stream = openStream(`/overlay/events?key=${key}&overlay=goal`)
    await stream.next('data')
    const response = await save('goal', {
      style: look,
      css: '.wm-title { letter-spacing: 1px }',
      goal: { title: 'New microphone', target: '250' },
    })
    expect(response.status).toBe(200)
    expect(response.json()).toMatchObject({
      style: { ...look, textColor: '#112233' },
      goal: { title: 'New microphone', target: '250' },
    })
    // The open goal bar is told to load its new look, and gets the new goal.
    await stream.next('css')
    const goalData = await stream.next('data', 2)
    expect(JSON.parse(goalData[1]!.data)).toMatchObject({ title: 'New microphone' })
    expect(JSON.parse(goalData[1]!.data).targetText).toContain('250')
    const css = await pageCss('goal')
    expect(css).toContain('--wm-size: 48px')
    expect(css).toContain('--wm-panel: rgba(255, 255, 255, 0.9)')
    expect(css).toContain('--wm-align: flex-end')
    expect(css).toContain('--wm-sound: coin')
    expect(css.endsWith('.wm-title { letter-spacing: 1px }')).toBe(true)
    // The goal system itself has the goal (the overlay goal), not a copy.
    expect(test.server.services.gamification.goals.overlayGoal()).toMatchObject({
      title: 'New microphone',
    })
  })

  it('names the wrong field in plain words and saves nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ style: { ...look, textColor: 'red' }, css: '' }, 'body.style.textColor', /colour like/],
      [{ style: { ...look, fontSize: 12 }, css: '' }, 'body.style.fontSize', /from 32 to 120/],
      [{ style: { ...look, volume: 150 }, css: '' }, 'body.style.volume', /from 0 to 100/],
      [{ style: { ...look, position: 'left' }, css: '' }, 'body.style.position', /positions/],
      [
        { style: look, css: '', goal: { title: 'Mic', target: 'lots' } },
        'body.goal.target',
        /amount like 50/,
      ],
      [{ style: look, css: '', goal: { title: ' ', target: '5' } }, 'body.goal.title', /title/],
    ]
    for (const [body, field, message] of cases) {
      const response = await save('goal', body)
      expect(response.status, field).toBe(400)
      expect(response.json()).toMatchObject({ field })
      expect(response.json<{ message: string }>().message).toMatch(message)
    }
    const view = (
      await rawRequest({
        url: test.local('/api/overlays/settings/goal'),
        headers: test.adminHeaders(),
      })
    ).json<{ style: { fontSize: number }; goal: { title: string } }>()
    expect(view.style.fontSize).toBe(40)
    expect(view.goal.title).toBe('Stream goal')
  })

  it('refuses CSS that could end a <style> element', async () => {
    for (const css of ['.a{}</style><script>alert(1)</script>', '.a{}</STYLE >', '<!-- .a{} -->']) {
      const response = await save('alerts', { style: look, css })
      expect(response.status, css).toBe(400)
      expect(response.json()).toMatchObject({ error: 'css_markup', field: 'body.css' })
      const put = await rawRequest({
        method: 'PUT',
        url: test.local('/api/overlays/css/alerts'),
        headers: test.adminHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify({ css }),
      })
      expect(put.status, css).toBe(400)
    }
    expect(await pageCss('alerts')).not.toContain('<')
  })
})

describe('overlay sizes', () => {
  it('are the one recommendation of the registry, in the banner and the links', async () => {
    const banner = test.server.bannerLines().join('\n')
    const links = (
      await rawRequest({ url: test.local('/api/overlays/links'), headers: test.adminHeaders() })
    ).json<OverlayLinksResponse>()
    for (const id of OVERLAY_IDS) {
      const { title, width, height } = OVERLAY_REGISTRY[id]
      const link = links.overlays.find((entry) => entry.id === id)
      expect(link).toMatchObject({ title, width, height })
      expect(banner).toContain(`${title} (${width}×${height}):`)
      expect(banner).toContain(link!.url)
    }
  })
})
