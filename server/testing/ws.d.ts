/**
 * The few parts of the `ws` package (a dependency of obs-websocket-js, without bundled types) that the
 * fake OBS server uses. Test-only: the app itself talks to OBS through obs-websocket-js.
 */
declare module 'ws' {
  import type { EventEmitter } from 'node:events'
  import type { IncomingMessage, Server } from 'node:http'

  export class WebSocket extends EventEmitter {
    static readonly OPEN: number
    readonly readyState: number
    readonly protocol: string
    send(data: string): void
    close(code?: number, reason?: string): void
    terminate(): void
    on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this
    on(event: 'error', listener: (error: Error) => void): this
  }

  export interface WebSocketServerOptions {
    server?: Server
    port?: number
    host?: string
    handleProtocols?: (protocols: Set<string>, request: IncomingMessage) => string | false
  }

  export class WebSocketServer extends EventEmitter {
    constructor(options: WebSocketServerOptions)
    readonly clients: Set<WebSocket>
    close(callback?: (error?: Error) => void): void
    on(event: 'connection', listener: (socket: WebSocket, request: IncomingMessage) => void): this
    on(event: 'error', listener: (error: Error) => void): this
  }
}
