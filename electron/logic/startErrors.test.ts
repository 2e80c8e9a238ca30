import { describe, expect, it } from 'vitest'
import { EXIT_CODES, explainBindingChoice, explainStartError } from './startErrors.js'

describe('explainStartError', () => {
  it('passes configuration problems through with exit code 2', () => {
    expect(explainStartError(new Error('WM_LOCAL_PORT must be a port number'), true)).toEqual({
      message: 'WM_LOCAL_PORT must be a port number',
      exitCode: EXIT_CODES.config,
    })
  })

  it('explains a better-sqlite3 build for the wrong runtime and how to fix it', () => {
    const error = Object.assign(
      new Error(
        "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 139.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    )
    const report = explainStartError(error, false)
    expect(report.exitCode).toBe(EXIT_CODES.nativeModule)
    expect(report.message).toMatch(/electron-rebuild/)
    expect(report.message).toMatch(/start:headless/)
  })

  it('reports anything else as a start failure with exit code 1', () => {
    expect(explainStartError(new Error('disk full'), false)).toEqual({
      message: 'failed to start: disk full',
      exitCode: EXIT_CODES.failure,
    })
    expect(explainStartError('weird', false).message).toBe('failed to start: weird')
  })
})

describe('explainBindingChoice', () => {
  const target = {
    electron: '45.4.1',
    abi: '150',
    platform: 'linux',
    arch: 'x64',
    sqliteVersion: '12.11.1',
  }

  it('lets the server start with the Node, packaged or cached build', () => {
    expect(explainBindingChoice({ kind: 'node' })).toBeNull()
    expect(explainBindingChoice({ kind: 'packaged' })).toBeNull()
    expect(explainBindingChoice({ kind: 'cached', target, path: '/cache/x.node' })).toBeNull()
  })

  it('stops with exit code 3 when no build for this Electron was prepared', () => {
    const report = explainBindingChoice({ kind: 'missing', target })
    expect(report?.exitCode).toBe(EXIT_CODES.nativeModule)
    expect(report?.message).toMatch(/needs a build for Electron 45\.4\.1 \(ABI 150\)/)
    expect(report?.message).toMatch(/npm start/)
    const stale = explainBindingChoice({
      kind: 'stale',
      target,
      found: { ...target, electron: '44.0.0', abi: '145' },
      changed: 'electron',
    })
    expect(stale?.message).toMatch(/for Electron 44\.0\.0/)
  })
})
