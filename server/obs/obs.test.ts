import http from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ObsSettingsBody, ObsStatus, ObsView } from '../contracts/obs.js'
import { OBS_CLOSE, startFakeObsServer, type FakeObsServer } from '../testing/fakeObsServer.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let test: TestServer
let obs: FakeObsServer

async function waitFor<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 8000
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function overlayUrl(overlay: string): string {
  return `${test.server.localUrl}/overlay/${overlay}?key=${test.server.context.overlayKeys.current()}`
}

async function putObs(body: Partial<ObsSettingsBody>) {
  const full: ObsSettingsBody = {
    enabled: true,
    address: obs.url,
    holdAlertsWhileNotStreaming: false,
    timerTextSource: null,
    rules: [],
    ...body,
  }
  return rawRequest({
    method: 'PUT',
    url: test.local('/api/obs'),
    headers: test.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(full),
  })
}

const status = () => test.server.services.obs.status()

function tip(sourceKey: string, value: bigint, name: string) {
  test.server.context.ledger.record(
    {
      sourceKey,
      kind: 'tip',
      amountValue: value,
      assetCode: 'EUR',
      assetScale: 2,
      supporterName: name,
    },
    { tip: { flowId: sourceKey, tierName: 'Coffee', perk: null } },
  )
}

beforeEach(async () => {
  test = await startTestServer()
  obs = await startFakeObsServer({
    password: 'obs-secret-pass',
    scenes: [
      {
        sceneName: 'Main',
        items: [{ sourceName: 'WM Alerts' }, { sourceName: 'Confetti', enabled: false }],
      },
      { sceneName: 'Hype', items: [{ sourceName: 'WM Alerts' }] },
    ],
    inputs: [
      { inputName: 'WM Alerts', inputKind: 'browser_source', inputSettings: { url: '' } },
      {
        inputName: 'Chat page',
        inputKind: 'browser_source',
        inputSettings: { url: 'https://owncast.example/embed/chat' },
      },
      { inputName: 'Confetti', inputKind: 'image_source', inputSettings: {} },
      { inputName: 'Last tip', inputKind: 'text_ft2_source_v2', inputSettings: { text: '' } },
    ],
  })
  obs.input('WM Alerts')!.inputSettings.url = overlayUrl('alerts')
})

afterEach(async () => {
  await test.close()
  await obs.close()
})

describe('OBS control', () => {
  it('reports a wrong password, keeps the password secret, and refreshes only its own sources on connect', async () => {
    const wrong = await putObs({ password: 'not-it' })
    expect(wrong.status).toBe(200)
    await waitFor(() => status().state === 'auth_failed', 'auth failure')
    expect(obs.closeCodes).toContain(OBS_CLOSE.AuthenticationFailed)
    expect(status().lastError).toMatch(/refused the password/)

    const right = await putObs({ password: 'obs-secret-pass' })
    expect(right.body).not.toContain('obs-secret-pass')
    await waitFor(() => status().state === 'connected', 'connection')
    await waitFor(() => obs.refreshed.length === 1, 'refresh on connect')
    expect(obs.refreshed).toEqual(['WM Alerts'])
    expect(status().ownSources).toEqual(['WM Alerts'])

    const view = await rawRequest({ url: test.local('/api/obs'), headers: test.adminHeaders() })
    expect(view.json<ObsView>().passwordSaved).toBe(true)
    expect(view.body).not.toContain('obs-secret-pass')

    // A scene becoming active refreshes again: "Refresh browser when scene becomes active" heals too.
    obs.switchScene('Hype')
    await waitFor(() => obs.refreshed.length === 2, 'refresh on scene change')
    expect(status().currentScene).toBe('Hype')
  })

  it('switches scene for N seconds, shows a source and sets a text for a matching tip only', async () => {
    const saved = await putObs({
      password: 'obs-secret-pass',
      rules: [
        {
          id: 'big',
          tierId: null,
          minAmount: '5',
          maxAmount: null,
          action: { type: 'switchScene', sceneName: 'Hype', seconds: 1 },
        },
        {
          id: 'confetti',
          tierId: null,
          minAmount: '5',
          maxAmount: '10',
          action: {
            type: 'setSourceVisible',
            sceneName: 'Main',
            sourceName: 'Confetti',
            visible: true,
            seconds: null,
          },
        },
        {
          id: 'text',
          tierId: null,
          minAmount: null,
          maxAmount: null,
          action: { type: 'setText', inputName: 'Last tip', text: '{name} – {amount}' },
        },
      ],
    })
    expect(saved.status).toBe(200)
    await waitFor(() => status().state === 'connected', 'connection')

    tip('tip:small', 200n, 'Ada')
    await waitFor(
      () => obs.input('Last tip')!.inputSettings.text === 'Ada – €2.00',
      'small tip text',
    )
    expect(obs.requests.some((request) => request.requestType === 'SetCurrentProgramScene')).toBe(
      false,
    )
    expect(obs.sceneItem('Main', 'Confetti')!.sceneItemEnabled).toBe(false)

    tip('tip:big', 700n, 'Grace')
    await waitFor(() => obs.currentScene() === 'Hype', 'scene switch')
    await waitFor(() => obs.input('Last tip')!.inputSettings.text === 'Grace – €7.00', 'text')
    expect(obs.sceneItem('Main', 'Confetti')!.sceneItemEnabled).toBe(true)
    // ... and back to the scene that was live once the rule's seconds are over.
    await waitFor(() => obs.currentScene() === 'Main', 'switch back')
  })

  it('refuses an address that is not a WebSocket URL, naming the field', async () => {
    const response = await putObs({ address: 'http://127.0.0.1:4455' })
    expect(response.status).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_obs_address', field: 'body.address' })
  })

  it('recovers when OBS goes away and comes back, and holds alerts while it is not streaming', async () => {
    await putObs({ password: 'obs-secret-pass', holdAlertsWhileNotStreaming: true })
    await waitFor(() => status().state === 'connected', 'connection')
    expect(status().holdingAlerts).toBe(true)
    obs.setStreaming(true)
    await waitFor(() => status().streaming === true, 'streaming')
    expect(status().holdingAlerts).toBe(false)

    await obs.down()
    const lost = await waitFor(
      () => (status().state === 'disconnected' ? status() : undefined),
      'disconnect',
    )
    expect(lost).toMatchObject<Partial<ObsStatus>>({ streaming: null, holdingAlerts: true })
    await obs.up()
    await waitFor(() => status().state === 'connected', 'reconnection')
    await waitFor(() => obs.refreshed.length === 2, 'refresh after reconnect')
  })

  it("keeps a tip's alert in the queue until OBS starts streaming, then plays it", async () => {
    await putObs({ password: 'obs-secret-pass', holdAlertsWhileNotStreaming: true })
    await waitFor(() => status().state === 'connected', 'connection')
    // An alert box is open (as in OBS): without the hold the alert would start at once.
    const url = new URL(
      test.local(`/overlay/events?key=${test.server.context.overlayKeys.current()}&overlay=alerts`),
    )
    const overlay = http.get({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      agent: false,
    })
    overlay.on('error', () => undefined)
    await waitFor(() => test.server.services.overlayHub.count('alerts') === 1, 'alert overlay')
    try {
      tip('tip:held', 300n, 'Lin')
      const queue = test.server.services.alertQueue
      await waitFor(() => queue.view().queued.length === 1, 'queued alert')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(queue.view().current).toBeNull()

      obs.setStreaming(true)
      await waitFor(() => queue.view().current !== null, 'alert playing')
      expect(queue.view().current?.alert.name).toBe('Lin')
    } finally {
      overlay.destroy()
    }
  })
})
