import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../testing/harness.js'
import { fixture, fixtureFiles, owncastWebhookUrl, postJson } from '../../testing/integrations.js'
import { normalizeOwncastEvent } from './normalize.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every path to a value in a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value)
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))]
}

function replaced(doc: Json, path: (string | number)[], next: Json): Json {
  if (path.length === 0) return next
  const copy = structuredClone(doc) as Record<string | number, Json>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>
  node[path[path.length - 1] as string | number] = next
  return copy as Json
}

const SUBSTITUTES: Json[] = [null, 0, -1.5, '', 'x', true, [], {}, ['a'], { a: 1 }]

describe('Owncast webhook robustness', () => {
  let t: TestServer
  let url: string
  beforeAll(async () => {
    t = await startTestServer()
    url = await owncastWebhookUrl(t)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('normalizes or refuses (never throws anything else) every type-confused fixture', () => {
    let cases = 0
    for (const file of [...fixtureFiles('owncast'), ...fixtureFiles('owncast/v0.1')]) {
      if (!file.endsWith('.json')) continue
      const doc = JSON.parse(fixture(file).toString('utf8')) as Json
      for (const path of paths(doc)) {
        for (const substitute of SUBSTITUTES) {
          const mutated = replaced(doc, path, substitute)
          cases += 1
          try {
            normalizeOwncastEvent(mutated)
          } catch (error) {
            expect((error as { statusCode?: number }).statusCode, `${file} ${path.join('.')}`).toBe(
              400,
            )
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(1000)
  })

  it('answers type-confused deliveries over HTTP with 2xx or a clear 400, never 5xx', async () => {
    const doc = JSON.parse(fixture('owncast/chat.json').toString('utf8')) as Json
    const statuses = new Set<number>()
    let n = 0
    for (const path of paths(doc)) {
      for (const substitute of [null, 7, 'x', [], {}] as Json[]) {
        let mutated = replaced(doc, path, substitute)
        // A fresh id so duplicates do not hide anything.
        const data = (mutated as { eventData?: Json } | null)?.eventData
        if (
          path.join('.') !== 'eventData.id' &&
          typeof data === 'object' &&
          data !== null &&
          !Array.isArray(data)
        ) {
          mutated = replaced(mutated, ['eventData', 'id'], `robust-${(n += 1)}`)
        }
        const response = await postJson(url, JSON.stringify(mutated))
        statuses.add(response.status)
        expect(response.status, `${path.join('.')} = ${JSON.stringify(substitute)}`).toBeLessThan(
          500,
        )
        if (response.status >= 400) expect(response.json()).toHaveProperty('message')
      }
    }
    expect([...statuses].sort()).toEqual([202, 400])
  })
})
