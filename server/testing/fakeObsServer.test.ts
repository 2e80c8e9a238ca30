import { OBSWebSocket, OBSWebSocketError } from 'obs-websocket-js/json'
import { afterEach, describe, expect, it } from 'vitest'
import { OBS_CLOSE, startFakeObsServer, type FakeObsServer } from './fakeObsServer.js'

let obs: FakeObsServer | undefined
let client: OBSWebSocket | undefined
afterEach(async () => {
  await client?.disconnect().catch(() => undefined)
  await obs?.close()
  obs = client = undefined
})

async function start() {
  obs = await startFakeObsServer({
    password: 'hunter2',
    scenes: [
      { sceneName: 'Main', items: [{ sourceName: 'WM Alerts' }] },
      { sceneName: 'BRB', items: [] },
    ],
    inputs: [
      {
        inputName: 'WM Alerts',
        inputKind: 'browser_source',
        inputSettings: { url: 'http://127.0.0.1:8085/overlay/alerts?key=k' },
      },
    ],
  })
  return obs
}

describe('fake OBS WebSocket server', () => {
  it('refuses a wrong password with close code 4009 and accepts the right one', async () => {
    const server = await start()
    client = new OBSWebSocket()
    const refused = await client.connect(server.url, 'wrong').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(OBSWebSocketError)
    expect((refused as OBSWebSocketError).code).toBe(OBS_CLOSE.AuthenticationFailed)
    expect(server.closeCodes).toEqual([OBS_CLOSE.AuthenticationFailed])

    const identified = await client.connect(server.url, 'hunter2')
    expect(identified.negotiatedRpcVersion).toBe(1)
    expect(server.identifiedClients()).toBe(1)
  })

  it('answers requests by their real names and emits the real events', async () => {
    const server = await start()
    client = new OBSWebSocket()
    await client.connect(server.url, 'hunter2')
    const list = await client.call('GetSceneList')
    expect(list.currentProgramSceneName).toBe('Main')
    const changed = new Promise<string>((resolve) =>
      client!.once('CurrentProgramSceneChanged', ({ sceneName }) => resolve(sceneName)),
    )
    await client.call('SetCurrentProgramScene', { sceneName: 'BRB' })
    expect(await changed).toBe('BRB')
    await client.call('PressInputPropertiesButton', {
      inputName: 'WM Alerts',
      propertyName: 'refreshnocache',
    })
    expect(server.refreshed).toEqual(['WM Alerts'])
    const missing = await client
      .call('SetCurrentProgramScene', { sceneName: 'Nope' })
      .catch((error: unknown) => error)
    expect((missing as OBSWebSocketError).code).toBe(600)
  })
})
