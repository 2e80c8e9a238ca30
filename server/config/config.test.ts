import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'
import { defaultDataDir } from './dataDir.js'

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({}, [])
    expect(config).toMatchObject({
      localPort: 8085,
      publicPort: 8086,
      publicHost: '127.0.0.1',
      publicUrl: null,
      sandbox: false,
      sandboxPort: 8087,
      opInsecureHttp: false,
    })
    expect(config.dataDir).toBe(defaultDataDir())
  })

  it('reads every WM_ variable', () => {
    const config = loadConfig(
      {
        WM_DATA_DIR: 'relative/dir',
        WM_LOCAL_PORT: '9001',
        WM_PUBLIC_PORT: '9002',
        WM_PUBLIC_HOST: '0.0.0.0',
        WM_PUBLIC_URL: 'https://tips.example.net/',
        WM_SANDBOX: '1',
        WM_SANDBOX_PORT: '9003',
        WM_OP_INSECURE_HTTP: 'true',
      },
      [],
    )
    expect(config).toMatchObject({
      dataDir: path.resolve('relative/dir'),
      localPort: 9001,
      publicPort: 9002,
      publicHost: '0.0.0.0',
      publicUrl: 'https://tips.example.net',
      sandbox: true,
      sandboxPort: 9003,
      opInsecureHttp: true,
    })
  })

  it('lets command-line flags override the environment', () => {
    const config = loadConfig({ WM_LOCAL_PORT: '9001' }, [
      '--local-port',
      '9100',
      '--public-url=https://a.example',
      '--sandbox',
    ])
    expect(config.localPort).toBe(9100)
    expect(config.publicUrl).toBe('https://a.example')
    expect(config.sandbox).toBe(true)
  })

  it.each([
    [{ WM_LOCAL_PORT: 'abc' }, 'WM_LOCAL_PORT'],
    [{ WM_PUBLIC_PORT: '70000' }, 'WM_PUBLIC_PORT'],
    [{ WM_PUBLIC_PORT: '-1' }, 'WM_PUBLIC_PORT'],
    [{ WM_PUBLIC_HOST: 'example.com' }, 'WM_PUBLIC_HOST'],
    [{ WM_PUBLIC_URL: 'not a url' }, 'WM_PUBLIC_URL'],
    [{ WM_PUBLIC_URL: 'ftp://x.example' }, 'WM_PUBLIC_URL'],
    [{ WM_PUBLIC_URL: 'https://x.example/?a=1' }, 'WM_PUBLIC_URL'],
    [{ WM_SANDBOX: 'maybe' }, 'WM_SANDBOX'],
  ])('rejects %o naming %s', (env, variable) => {
    let caught: unknown
    try {
      loadConfig(env, [])
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).variable).toBe(variable)
    expect((caught as ConfigError).message).toContain(variable)
    expect((caught as ConfigError).message).not.toContain('\n')
  })

  it('names the flag when the flag is wrong', () => {
    expect(() => loadConfig({}, ['--local-port', 'x'])).toThrow(
      /--local-port must be a port number/,
    )
    expect(() => loadConfig({}, ['--nope'])).toThrow(/unknown option --nope/)
  })
})

describe('defaultDataDir', () => {
  it("follows each OS's per-user app data folder", () => {
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/wm-companion')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ann')).toBe(
      '/xdg/wm-companion',
    )
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/wm-companion',
    )
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann'),
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\wm-companion')
  })
})
