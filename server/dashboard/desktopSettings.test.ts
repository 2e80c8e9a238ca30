/**
 * The desktop app's two switches on the Settings page go through the dashboard's settings API: a
 * real server, a real session, and the desktop actions service the Electron shell listens to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppSettings } from '../contracts/dashboard.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.close()
})

const patch = (body: unknown) =>
  rawRequest({
    method: 'PATCH',
    url: t.local('/api/settings'),
    headers: t.adminHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  })

describe('Settings: start at login and automatic updates', () => {
  it('starts with "start at login" off and automatic updates on', async () => {
    const res = await rawRequest({ url: t.local('/api/settings'), headers: t.adminHeaders() })
    expect(res.status).toBe(200)
    expect(res.json<AppSettings>()).toMatchObject({ openAtLogin: false, autoUpdate: true })
  })

  it('stores each switch as the desktop preference and tells the shell, which applies it', async () => {
    const changes: Array<[string, boolean]> = []
    const off = t.server.desktop.onPreferenceChange((key, value) => changes.push([key, value]))
    try {
      const on = await patch({ openAtLogin: true })
      expect(on.status).toBe(200)
      expect(on.json<AppSettings>()).toMatchObject({ openAtLogin: true, autoUpdate: true })
      expect(t.server.desktop.preference('desktop.openAtLogin')).toBe(true)

      const noUpdates = await patch({ autoUpdate: false })
      expect(noUpdates.json<AppSettings>()).toMatchObject({ openAtLogin: true, autoUpdate: false })
      expect(t.server.desktop.preference('desktop.autoUpdate')).toBe(false)
      expect(changes).toEqual([
        ['desktop.openAtLogin', true],
        ['desktop.autoUpdate', false],
      ])

      const read = await rawRequest({ url: t.local('/api/settings'), headers: t.adminHeaders() })
      expect(read.json<AppSettings>()).toMatchObject({ openAtLogin: true, autoUpdate: false })
    } finally {
      off()
    }
  })

  it('refuses a value that is not a boolean with a 400 naming the field, changing nothing', async () => {
    const before = t.server.desktop.preference('desktop.openAtLogin')
    const res = await patch({ openAtLogin: 'yes' })
    expect(res.status).toBe(400)
    expect(res.json<{ message: string }>().message).toMatch(/body\.openAtLogin/)
    expect(t.server.desktop.preference('desktop.openAtLogin')).toBe(before)
  })
})
