import { describe, expect, it } from 'vitest'
import { buildTrayMenu, trayTooltip, type TrayActions, type TrayMenuItem } from './trayMenu.js'

function recorder() {
  const calls: string[] = []
  const actions: TrayActions = {
    openDashboard: () => calls.push('open'),
    setAlertsPaused: (paused) => calls.push(`paused:${paused}`),
    sendTestAlert: () => calls.push('test'),
    copyOverlayUrl: () => calls.push('copy'),
    quit: () => calls.push('quit'),
  }
  return { calls, actions }
}

function item(menu: TrayMenuItem[], id: string) {
  const found = menu.find((entry) => entry.type !== 'separator' && entry.id === id)
  if (!found || found.type === 'separator') throw new Error(`no item ${id}`)
  return found
}

const ready = {
  alertsPaused: false,
  serverReady: true,
  version: '0.1.0',
  stream: { live: false, total: null },
}

describe('buildTrayMenu', () => {
  it('says whether the stream is live and what it raised, as information rather than an action', () => {
    const { calls, actions } = recorder()
    const live = {
      ...ready,
      locale: 'en-US',
      stream: { live: true, total: { value: '1250', assetCode: 'EUR', assetScale: 2 } },
    }
    const status = item(buildTrayMenu(live, actions), 'stream-status')
    expect(status).toMatchObject({ label: 'Live · €12.50 this stream', enabled: false })
    status.click(false)
    expect(calls).toEqual([])
    expect(item(buildTrayMenu(ready, actions), 'stream-status').label).toBe('Offline')
    expect(trayTooltip(live)).toBe('WM Companion 0.1.0 (Live · €12.50 this stream)')
  })

  it('offers the five actions in order', () => {
    const { actions } = recorder()
    const labels = buildTrayMenu(ready, actions).flatMap((entry) =>
      entry.type === 'separator' ? [] : [entry.label],
    )
    expect(labels).toEqual([
      'Offline',
      'Open dashboard',
      'Pause alerts',
      'Send test alert',
      'Copy overlay URL',
      'Quit WM Companion',
    ])
  })

  it('binds each item to its action', () => {
    const { calls, actions } = recorder()
    const menu = buildTrayMenu(ready, actions)
    item(menu, 'open-dashboard').click(false)
    item(menu, 'send-test-alert').click(false)
    item(menu, 'copy-overlay-url').click(false)
    item(menu, 'quit').click(false)
    expect(calls).toEqual(['open', 'test', 'copy', 'quit'])
  })

  it('shows pause as a checkbox bound to the setting, passing the new state', () => {
    const { calls, actions } = recorder()
    const pause = item(buildTrayMenu(ready, actions), 'pause-alerts')
    expect(pause.type).toBe('checkbox')
    expect(pause.type === 'checkbox' && pause.checked).toBe(false)
    pause.click(true)
    const paused = item(buildTrayMenu({ ...ready, alertsPaused: true }, actions), 'pause-alerts')
    expect(paused.type === 'checkbox' && paused.checked).toBe(true)
    paused.click(false)
    expect(calls).toEqual(['paused:true', 'paused:false'])
  })

  it('greys out the test alert while alerts are paused', () => {
    const { actions } = recorder()
    expect(item(buildTrayMenu(ready, actions), 'send-test-alert').enabled).toBe(true)
    expect(
      item(buildTrayMenu({ ...ready, alertsPaused: true }, actions), 'send-test-alert').enabled,
    ).toBe(false)
  })

  it('leaves only Quit usable before the server is up', () => {
    const { actions } = recorder()
    const menu = buildTrayMenu({ ...ready, serverReady: false }, actions)
    const enabled = menu.filter((entry) => entry.type !== 'separator' && entry.enabled)
    expect(enabled.map((entry) => entry.type !== 'separator' && entry.id)).toEqual(['quit'])
  })
})

describe('trayTooltip', () => {
  it('says when alerts are paused or the app is starting', () => {
    expect(trayTooltip(ready)).toBe('WM Companion 0.1.0')
    expect(trayTooltip({ ...ready, alertsPaused: true })).toMatch(/paused/)
    expect(trayTooltip({ ...ready, serverReady: false })).toMatch(/starting/)
  })
})
