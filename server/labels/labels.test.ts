import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LabelsResponse } from '../contracts/labels.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'
import { writeFileAtomic } from './labelService.js'

let test: TestServer
const read = (id: string) => fs.readFileSync(path.join(test.dataDir, 'labels', `${id}.txt`), 'utf8')

function support(
  sourceKey: string,
  kind: 'tip' | 'web-monetization',
  value: bigint,
  name?: string,
) {
  test.server.context.ledger.record(
    {
      sourceKey,
      kind,
      amountValue: value,
      assetCode: 'EUR',
      assetScale: 2,
      supporterName: name ?? null,
      supporterKey: name ? `wallet:${name}` : null,
    },
    kind === 'tip' ? { tip: { flowId: sourceKey, tierName: null, perk: null } } : {},
  )
}

beforeEach(async () => {
  test = await startTestServer()
})
afterEach(async () => {
  await test.close()
})

describe('stream labels', () => {
  it('are written at start and rewritten after each kind of event', async () => {
    expect(read('latest-tipper')).toBe('')
    expect(read('session-total')).toBe('€0.00')

    support('tip:1', 'tip', 700n, 'Grace')
    expect(read('latest-tipper')).toBe('Grace')
    expect(read('latest-tip')).toBe('Grace – €7.00')
    expect(read('top-supporter')).toBe('Grace – €7.00')
    expect(read('session-total')).toBe('€7.00')
    expect(read('web-monetization')).toBe('€0.00')

    support('wm:1', 'web-monetization', 50n)
    expect(read('web-monetization')).toBe('€0.50')
    expect(read('session-total')).toBe('€7.50')
    expect(read('latest-tip')).toBe('Grace – €7.00')

    support('tip:2', 'tip', 200n, 'Ada')
    expect(read('latest-tip')).toBe('Ada – €2.00')
    expect(read('top-supporter')).toBe('Grace – €7.00')
    expect(read('goal-progress')).toMatch(/^€9\.50 \/ €/)

    const patched = await rawRequest({
      method: 'PATCH',
      url: test.local('/api/labels/formats'),
      headers: test.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ 'latest-tip': 'Last: {amount} from {name}' }),
    })
    expect(patched.status).toBe(200)
    expect(read('latest-tip')).toBe('Last: €2.00 from Ada')
    const list = patched.json<LabelsResponse>()
    expect(list.labels.find((label) => label.id === 'latest-tip')).toMatchObject({
      path: path.join(test.dataDir, 'labels', 'latest-tip.txt'),
      text: 'Last: €2.00 from Ada',
    })
    expect(fs.readdirSync(path.join(test.dataDir, 'labels')).sort()).toEqual(
      list.labels.map((label) => `${label.id}.txt`).sort(),
    )
  })

  it('refuses an unknown label format with a 400', async () => {
    const response = await rawRequest({
      method: 'PATCH',
      url: test.local('/api/labels/formats'),
      headers: test.adminHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ 'no-such-label': '{name}' }),
    })
    expect(response.status).toBe(400)
  })
})

describe('writeFileAtomic', () => {
  it('replaces the file by rename: a reader of the old file sees it whole, never a mix', () => {
    const dir = fs.mkdtempSync(path.join(test.dataDir, 'atomic-'))
    const file = path.join(dir, 'label.txt')
    const before = 'A'.repeat(100_000)
    writeFileAtomic(file, before)
    const reader = fs.openSync(file, 'r')
    const inodeBefore = fs.fstatSync(reader).ino
    writeFileAtomic(file, 'B'.repeat(10))
    // A write in place would have truncated what the open reader sees.
    expect(fs.readFileSync(reader, 'utf8')).toBe(before)
    fs.closeSync(reader)
    expect(fs.statSync(file).ino).not.toBe(inodeBefore)
    expect(fs.readFileSync(file, 'utf8')).toBe('B'.repeat(10))
    expect(fs.readdirSync(dir)).toEqual(['label.txt'])
  })
})
