import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config/config.js'
import { configArgs } from './argv.js'

describe('configArgs', () => {
  it('drops the executable, the app path and Chromium switches, keeping our flags', () => {
    const argv = [
      '/opt/electron/electron',
      '.',
      '--no-sandbox',
      '--local-port',
      '9100',
      '--enable-logging',
      '--public-url=https://tips.example',
      '--sandbox',
      '-psn_0_12345',
    ]
    const args = configArgs(argv, true)
    expect(args).toEqual(['--local-port', '9100', '--public-url=https://tips.example', '--sandbox'])
    const config = loadConfig({}, args)
    expect(config.localPort).toBe(9100)
    expect(config.publicUrl).toBe('https://tips.example')
    expect(config.sandbox).toBe(true)
  })

  it('keeps the first argument of a packaged app, which is not the app path', () => {
    expect(configArgs(['/opt/WM Companion/wm-companion', '--public-port=9200'], false)).toEqual([
      '--public-port=9200',
    ])
  })

  it('leaves a flag without its value for loadConfig to report', () => {
    const args = configArgs(['/app/wm-companion', '--local-port', '--enable-logging'], false)
    expect(args).toEqual(['--local-port'])
    expect(() => loadConfig({}, args)).toThrow(/--local-port needs a value/)
  })

  it('passes a bad value through so the user hears about it', () => {
    const args = configArgs(['/app/wm-companion', '--local-port', 'abc'], false)
    expect(() => loadConfig({}, args)).toThrow(/--local-port must be a port number/)
  })
})
