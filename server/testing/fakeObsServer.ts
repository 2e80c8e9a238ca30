/**
 * A strict stand-in for OBS Studio's obs-websocket 5.x server, for tests (OBS itself cannot run here).
 * It follows obs-websocket's protocol document (docs/generated/protocol.md):
 * - Hello (op 0) with `authentication: {challenge, salt}` when a password is set; Identify (op 1) must
 *   carry base64(sha256(base64(sha256(password + salt)) + challenge)), else the socket is closed with
 *   4009 AuthenticationFailed; Identified (op 2) with the negotiated rpcVersion.
 * - Anything but Identify before identification closes with 4007 NotIdentified; a second Identify with
 *   4008 AlreadyIdentified; undecodable JSON with 4002; an unknown op code with 4006; rpcVersion other
 *   than 1 with 4010.
 * - Request (op 6) / RequestResponse (op 7) with the real request names, `requestStatus {result, code,
 *   comment}` and the real status codes (100 Success, 204 UnknownRequestType, 300 MissingRequestField,
 *   600 ResourceNotFound, ...).
 * - Events (op 5) by their real names and intents (Scenes = 1 << 2, Outputs = 1 << 6, SceneItems = 1 << 7),
 *   sent only to clients subscribed to their category.
 * Only the JSON sub-protocol (`obswebsocket.json`) is spoken; msgpack is refused at the handshake.
 */
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export const OBS_CLOSE = {
  MessageDecodeError: 4002,
  MissingDataField: 4003,
  InvalidDataFieldType: 4004,
  UnknownOpCode: 4006,
  NotIdentified: 4007,
  AlreadyIdentified: 4008,
  AuthenticationFailed: 4009,
  UnsupportedRpcVersion: 4010,
} as const

export const OBS_STATUS = {
  Success: 100,
  UnknownRequestType: 204,
  MissingRequestField: 300,
  InvalidRequestFieldType: 401,
  ResourceNotFound: 600,
  InvalidInputKind: 605,
} as const

const EVENT_INTENT = {
  Scenes: 1 << 2,
  Inputs: 1 << 3,
  Outputs: 1 << 6,
  SceneItems: 1 << 7,
} as const
/** EventSubscription::All: every non-high-volume category (protocol.md, EventSubscription). */
const ALL_EVENTS = 0b111_1111_1111

export interface FakeObsInput {
  inputName: string
  inputKind: string
  inputSettings: Record<string, unknown>
}

export interface FakeObsSceneItem {
  sceneItemId: number
  sourceName: string
  sceneItemEnabled: boolean
}

export interface FakeObsRequest {
  requestType: string
  requestData: Record<string, unknown> | undefined
  status: number
}

export interface FakeObsOptions {
  /** null: authentication off (OBS's "Enable Authentication" unchecked). */
  password: string | null
  scenes: { sceneName: string; items: { sourceName: string; enabled?: boolean }[] }[]
  inputs: FakeObsInput[]
  currentScene?: string
  streaming?: boolean
}

export interface FakeObsServer {
  url: string
  port: number
  /** Every request an identified client made, in order, with the status it got. */
  requests: FakeObsRequest[]
  /** Close codes the server sent, in order (4009 after a wrong password, ...). */
  closeCodes: number[]
  /** Browser sources refreshed with "Refresh cache of current page" (`refreshnocache`), in order. */
  refreshed: string[]
  identifiedClients(): number
  currentScene(): string
  input(name: string): FakeObsInput | undefined
  sceneItem(sceneName: string, sourceName: string): FakeObsSceneItem | undefined
  /** The streamer switches scenes in OBS: CurrentProgramSceneChanged goes out. */
  switchScene(sceneName: string): void
  /** The streamer presses Start/Stop Streaming: StreamStateChanged (STARTING, STARTED / STOPPING, STOPPED). */
  setStreaming(active: boolean): void
  /** OBS quits: every client is dropped and nothing listens on the port. */
  down(): Promise<void>
  /** OBS starts again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

interface Client {
  socket: WebSocket
  identified: boolean
  subscriptions: number
  challenge: string
}

const sha256Base64 = (text: string) => createHash('sha256').update(text).digest('base64')

/** The Identify authentication string of protocol.md "Creating an authentication string". */
export function obsAuthString(password: string, salt: string, challenge: string): string {
  return sha256Base64(sha256Base64(password + salt) + challenge)
}

export async function startFakeObsServer(options: FakeObsOptions): Promise<FakeObsServer> {
  const salt = randomBytes(24).toString('base64')
  let sceneItemIds = 0
  const scenes = new Map(
    options.scenes.map((scene) => [
      scene.sceneName,
      scene.items.map((item): FakeObsSceneItem => ({
        sceneItemId: ++sceneItemIds,
        sourceName: item.sourceName,
        sceneItemEnabled: item.enabled ?? true,
      })),
    ]),
  )
  const inputs = new Map(options.inputs.map((input) => [input.inputName, structuredClone(input)]))
  let current = options.currentScene ?? options.scenes[0]?.sceneName ?? 'Scene'
  let streaming = options.streaming ?? false
  const clients = new Set<Client>()
  let port = 0
  let httpServer: http.Server | undefined
  let wss: WebSocketServer | undefined

  const state: FakeObsServer = {
    url: '',
    port: 0,
    requests: [],
    closeCodes: [],
    refreshed: [],
    identifiedClients: () => [...clients].filter((client) => client.identified).length,
    currentScene: () => current,
    input: (name) => inputs.get(name),
    sceneItem: (sceneName, sourceName) =>
      scenes.get(sceneName)?.find((item) => item.sourceName === sourceName),
    switchScene(sceneName) {
      if (!scenes.has(sceneName)) throw new Error(`No scene ${sceneName}`)
      current = sceneName
      broadcast('CurrentProgramSceneChanged', EVENT_INTENT.Scenes, {
        sceneName,
        sceneUuid: uuidOf(sceneName),
      })
    },
    setStreaming(active) {
      const steps = active
        ? ['OBS_WEBSOCKET_OUTPUT_STARTING', 'OBS_WEBSOCKET_OUTPUT_STARTED']
        : ['OBS_WEBSOCKET_OUTPUT_STOPPING', 'OBS_WEBSOCKET_OUTPUT_STOPPED']
      broadcast('StreamStateChanged', EVENT_INTENT.Outputs, {
        outputActive: !active,
        outputState: steps[0],
      })
      streaming = active
      broadcast('StreamStateChanged', EVENT_INTENT.Outputs, {
        outputActive: active,
        outputState: steps[1],
      })
    },
    down,
    up,
    async close() {
      await down()
    },
  }

  function uuidOf(name: string): string {
    return createHash('sha1').update(name).digest('hex').slice(0, 32)
  }

  function send(client: Client, op: number, d: unknown): void {
    client.socket.send(JSON.stringify({ op, d }))
  }

  function closeWith(client: Client, code: number, reason: string): void {
    state.closeCodes.push(code)
    client.socket.close(code, reason)
  }

  function broadcast(eventType: string, eventIntent: number, eventData: unknown): void {
    for (const client of clients)
      if (client.identified && (client.subscriptions & eventIntent) !== 0)
        send(client, 5, { eventType, eventIntent, eventData })
  }

  type Result = { status: number; comment?: string; data?: Record<string, unknown> }
  const ok = (data?: Record<string, unknown>): Result => ({ status: OBS_STATUS.Success, data })
  const fail = (status: number, comment: string): Result => ({ status, comment })

  function field<T extends 'string' | 'number' | 'boolean' | 'object'>(
    data: Record<string, unknown> | undefined,
    name: string,
    type: T,
  ): Result | { value: unknown } {
    const value = data?.[name]
    if (value === undefined)
      return fail(OBS_STATUS.MissingRequestField, `Your request is missing the \`${name}\` field.`)
    if (typeof value !== type || (type === 'object' && (value === null || Array.isArray(value))))
      return fail(
        OBS_STATUS.InvalidRequestFieldType,
        `The field value of \`${name}\` must be ${type}.`,
      )
    return { value }
  }
  const isResult = (value: Result | { value: unknown }): value is Result => 'status' in value

  function handleRequest(requestType: string, data: Record<string, unknown> | undefined): Result {
    switch (requestType) {
      case 'GetVersion':
        return ok({
          obsVersion: '30.2.0',
          obsWebSocketVersion: '5.5.0',
          rpcVersion: 1,
          availableRequests: [],
          supportedImageFormats: ['png'],
          platform: 'linux',
          platformDescription: 'Fake OBS',
        })
      case 'GetSceneList':
        return ok({
          currentProgramSceneName: current,
          currentProgramSceneUuid: uuidOf(current),
          currentPreviewSceneName: null,
          currentPreviewSceneUuid: null,
          scenes: [...scenes.keys()].reverse().map((sceneName, index) => ({
            sceneIndex: index,
            sceneName,
            sceneUuid: uuidOf(sceneName),
          })),
        })
      case 'GetCurrentProgramScene':
        return ok({
          sceneName: current,
          sceneUuid: uuidOf(current),
          currentProgramSceneName: current,
          currentProgramSceneUuid: uuidOf(current),
        })
      case 'SetCurrentProgramScene': {
        const name = field(data, 'sceneName', 'string')
        if (isResult(name)) return name
        if (!scenes.has(name.value as string))
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No source was found by the name of `sceneName`.',
          )
        state.switchScene(name.value as string)
        return ok()
      }
      case 'GetInputList': {
        const kind = data?.inputKind
        return ok({
          inputs: [...inputs.values()]
            .filter((input) => kind === undefined || input.inputKind === kind)
            .map((input) => ({
              inputName: input.inputName,
              inputUuid: uuidOf(input.inputName),
              inputKind: input.inputKind,
              unversionedInputKind: input.inputKind.replace(/_v\d+$/, ''),
            })),
        })
      }
      case 'GetInputSettings': {
        const name = field(data, 'inputName', 'string')
        if (isResult(name)) return name
        const input = inputs.get(name.value as string)
        if (!input)
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No source was found by the name of `inputName`.',
          )
        return ok({
          inputSettings: structuredClone(input.inputSettings),
          inputKind: input.inputKind,
        })
      }
      case 'SetInputSettings': {
        const name = field(data, 'inputName', 'string')
        if (isResult(name)) return name
        const settings = field(data, 'inputSettings', 'object')
        if (isResult(settings)) return settings
        const input = inputs.get(name.value as string)
        if (!input)
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No source was found by the name of `inputName`.',
          )
        const overlay = data?.overlay ?? true
        input.inputSettings =
          overlay === false
            ? structuredClone(settings.value as Record<string, unknown>)
            : { ...input.inputSettings, ...(settings.value as Record<string, unknown>) }
        return ok()
      }
      case 'PressInputPropertiesButton': {
        const name = field(data, 'inputName', 'string')
        if (isResult(name)) return name
        const property = field(data, 'propertyName', 'string')
        if (isResult(property)) return property
        const input = inputs.get(name.value as string)
        if (!input)
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No source was found by the name of `inputName`.',
          )
        if (input.inputKind !== 'browser_source' || property.value !== 'refreshnocache')
          return fail(OBS_STATUS.ResourceNotFound, 'Unable to find a property by that name.')
        state.refreshed.push(input.inputName)
        return ok()
      }
      case 'GetSceneItemId': {
        const sceneName = field(data, 'sceneName', 'string')
        if (isResult(sceneName)) return sceneName
        const sourceName = field(data, 'sourceName', 'string')
        if (isResult(sourceName)) return sourceName
        const items = scenes.get(sceneName.value as string)
        if (!items)
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No source was found by the name of `sceneName`.',
          )
        const item = items.find((candidate) => candidate.sourceName === sourceName.value)
        if (!item)
          return fail(
            OBS_STATUS.ResourceNotFound,
            'No scene items were found in the specified scene by that name or offset.',
          )
        return ok({ sceneItemId: item.sceneItemId })
      }
      case 'SetSceneItemEnabled': {
        const sceneName = field(data, 'sceneName', 'string')
        if (isResult(sceneName)) return sceneName
        const itemId = field(data, 'sceneItemId', 'number')
        if (isResult(itemId)) return itemId
        const enabled = field(data, 'sceneItemEnabled', 'boolean')
        if (isResult(enabled)) return enabled
        const item = scenes
          .get(sceneName.value as string)
          ?.find((candidate) => candidate.sceneItemId === itemId.value)
        if (!item) return fail(OBS_STATUS.ResourceNotFound, 'No scene item was found by that id.')
        item.sceneItemEnabled = enabled.value as boolean
        broadcast('SceneItemEnableStateChanged', EVENT_INTENT.SceneItems, {
          sceneName: sceneName.value,
          sceneUuid: uuidOf(sceneName.value as string),
          sceneItemId: item.sceneItemId,
          sceneItemEnabled: item.sceneItemEnabled,
        })
        return ok()
      }
      case 'GetStreamStatus':
        return ok({
          outputActive: streaming,
          outputReconnecting: false,
          outputTimecode: '00:00:00.000',
          outputDuration: 0,
          outputCongestion: 0,
          outputBytes: 0,
          outputSkippedFrames: 0,
          outputTotalFrames: 0,
        })
      default:
        return fail(OBS_STATUS.UnknownRequestType, 'Your request type is not valid.')
    }
  }

  function onMessage(client: Client, raw: Buffer, isBinary: boolean): void {
    let message: { op?: unknown; d?: unknown }
    try {
      if (isBinary) throw new Error('binary frame on the JSON sub-protocol')
      message = JSON.parse(raw.toString('utf8')) as typeof message
    } catch {
      return closeWith(client, OBS_CLOSE.MessageDecodeError, 'Unable to decode the message.')
    }
    if (typeof message !== 'object' || message === null || typeof message.op !== 'number')
      return closeWith(client, OBS_CLOSE.MissingDataField, 'Your payload is missing an `op`.')
    const d = message.d as Record<string, unknown> | undefined
    if (typeof d !== 'object' || d === null)
      return closeWith(client, OBS_CLOSE.MissingDataField, 'Your payload is missing `d`.')
    switch (message.op) {
      case 1: {
        if (client.identified)
          return closeWith(client, OBS_CLOSE.AlreadyIdentified, 'You are already Identified.')
        if (typeof d.rpcVersion !== 'number')
          return closeWith(client, OBS_CLOSE.MissingDataField, 'Missing `rpcVersion`.')
        if (d.rpcVersion !== 1)
          return closeWith(client, OBS_CLOSE.UnsupportedRpcVersion, 'Unsupported rpcVersion.')
        if (options.password !== null) {
          const expected = obsAuthString(options.password, salt, client.challenge)
          if (typeof d.authentication !== 'string' || d.authentication !== expected)
            return closeWith(client, OBS_CLOSE.AuthenticationFailed, 'Authentication failed.')
        }
        if (d.eventSubscriptions !== undefined && typeof d.eventSubscriptions !== 'number')
          return closeWith(client, OBS_CLOSE.InvalidDataFieldType, '`eventSubscriptions` type.')
        client.identified = true
        client.subscriptions = (d.eventSubscriptions as number | undefined) ?? ALL_EVENTS
        return send(client, 2, { negotiatedRpcVersion: 1 })
      }
      case 3:
        if (!client.identified) break
        if (typeof d.eventSubscriptions === 'number') client.subscriptions = d.eventSubscriptions
        return send(client, 2, { negotiatedRpcVersion: 1 })
      case 6: {
        if (!client.identified) break
        if (typeof d.requestType !== 'string' || typeof d.requestId !== 'string')
          return closeWith(client, OBS_CLOSE.MissingDataField, 'Missing `requestType`/`requestId`.')
        const requestData = d.requestData as Record<string, unknown> | undefined
        const result = handleRequest(d.requestType, requestData)
        state.requests.push({ requestType: d.requestType, requestData, status: result.status })
        return send(client, 7, {
          requestType: d.requestType,
          requestId: d.requestId,
          requestStatus: {
            result: result.status === OBS_STATUS.Success,
            code: result.status,
            ...(result.comment ? { comment: result.comment } : {}),
          },
          ...(result.data ? { responseData: result.data } : {}),
        })
      }
      default:
        if (!client.identified) break
        return closeWith(client, OBS_CLOSE.UnknownOpCode, `Unknown OpCode ${message.op}.`)
    }
    closeWith(client, OBS_CLOSE.NotIdentified, 'You must identify first.')
  }

  async function up(): Promise<void> {
    httpServer = http.createServer((_request, response) => response.writeHead(426).end())
    wss = new WebSocketServer({
      server: httpServer,
      handleProtocols: (protocols) =>
        protocols.size === 0 || protocols.has('obswebsocket.json') ? 'obswebsocket.json' : false,
    })
    wss.on('connection', (socket) => {
      if (socket.protocol !== '' && socket.protocol !== 'obswebsocket.json') {
        socket.close(4002, 'Only the JSON sub-protocol is supported.')
        return
      }
      const client: Client = {
        socket,
        identified: false,
        subscriptions: 0,
        challenge: randomBytes(24).toString('base64'),
      }
      clients.add(client)
      socket.on('message', (raw, isBinary) => onMessage(client, raw, isBinary))
      socket.on('close', () => clients.delete(client))
      socket.on('error', () => clients.delete(client))
      send(client, 0, {
        obsWebSocketVersion: '5.5.0',
        rpcVersion: 1,
        ...(options.password !== null
          ? { authentication: { challenge: client.challenge, salt } }
          : {}),
      })
    })
    const server = httpServer
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    state.port = port
    state.url = `ws://127.0.0.1:${port}`
  }

  async function down(): Promise<void> {
    for (const client of clients) client.socket.terminate()
    clients.clear()
    const socketServer = wss
    const server = httpServer
    wss = undefined
    httpServer = undefined
    if (socketServer) await new Promise<void>((resolve) => socketServer.close(() => resolve()))
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  await up()
  return state
}
