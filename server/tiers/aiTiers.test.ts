import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { tierServiceFor } from '../testing/tiers.js'
import { THEME_IDS } from './themes.js'

type Mode = 'good' | 'malformed' | 'wrong-count' | 'error' | 'slow'

/** A small OpenAI-compatible chat endpoint: answers /v1/chat/completions the way the mode says. */
async function startModelServer(mode: Mode) {
  const requests: {
    auth: string | undefined
    body: { model: string; messages: { content: string }[] }
  }[] = []
  let aborted = 0
  let onAbort: () => void = () => {}
  const abortedOnce = new Promise<void>((resolve) => (onAbort = resolve))
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = JSON.parse(
        Buffer.concat(chunks).toString('utf8'),
      ) as (typeof requests)[number]['body']
      requests.push({ auth: req.headers.authorization, body })
      const count = Number(/Name (\d+) tip tiers/.exec(body.messages[1]!.content)?.[1])
      const reply = (content: string) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }),
        )
      }
      const tiers = Array.from({ length: count }, (_, i) => ({
        emoji: '🦄',
        name: `Unicorn ${i + 1}`,
        perk: `Magic perk ${i + 1}`,
      }))
      switch (mode) {
        case 'good':
          return reply('```json\n' + JSON.stringify({ tiers }) + '\n```')
        case 'malformed':
          return reply('Sure! Here are some tiers: Unicorn, Pegasus, Dragon.')
        case 'wrong-count':
          return reply(JSON.stringify({ tiers: tiers.slice(1) }))
        case 'error':
          res.writeHead(500, { 'content-type': 'application/json' })
          return res.end('{"error":"model not loaded"}')
        case 'slow':
          res.on('close', () => {
            if (!res.writableEnded) {
              aborted += 1
              onAbort()
            }
          })
          // Never answers in time; the client gives up.
          setTimeout(() => reply(JSON.stringify({ tiers })), 20_000).unref()
          return undefined
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    aborted: () => aborted,
    /** Settles once the client hung up on an unanswered request. */
    abortedOnce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function serviceAgainst(
  mode: Mode,
  timeoutMs = 5_000,
  extra: Parameters<typeof tierServiceFor>[0] = {},
) {
  const model = await startModelServer(mode)
  closers.push(model.close)
  const fallbacks: string[] = []
  const tiers = tierServiceFor({
    ...extra,
    aiTimeoutMs: timeoutMs,
    onAiFallback: (reason) => fallbacks.push(reason),
  })
  tiers.setAiSettings({ baseUrl: model.baseUrl, model: 'tiny-model', apiKey: 'sk-test' })
  return { model, tiers, fallbacks }
}

const request = {
  theme: 'fun',
  currency: 'EUR',
  minAmount: 0.5,
  maxAmount: 20,
  viewerSegment: 'all-viewers' as const,
  useAI: true,
}

describe('AI tier suggestions', () => {
  it('uses a good answer: names and perks from the model, amounts from the generator', async () => {
    const { model, tiers } = await serviceAgainst('good')
    const builtin = await tiers.suggest({ ...request, useAI: false })
    const result = await tiers.suggest(request)
    expect(result.source).toBe('ai')
    expect(result.set.tiers.map((tier) => tier.name)).toEqual(
      builtin.set.tiers.map((_, i) => `Unicorn ${i + 1}`),
    )
    expect(result.set.tiers.map((tier) => tier.amount)).toEqual(
      builtin.set.tiers.map((tier) => tier.amount),
    )
    expect(result.set.tiers[0]).toMatchObject({
      emoji: '🦄',
      perk: 'Magic perk 1',
      currency: 'EUR',
      theme: 'fun',
    })
    expect(model.requests[0]).toMatchObject({
      auth: 'Bearer sk-test',
      body: { model: 'tiny-model' },
    })
    // The settings view never gives the key back.
    expect(tiers.aiSettings()).toEqual({
      baseUrl: model.baseUrl,
      model: 'tiny-model',
      apiKeyConfigured: true,
    })
  })

  for (const mode of ['malformed', 'wrong-count', 'error'] as const) {
    it(`falls back to the built-in tiers on a ${mode} answer`, async () => {
      const { tiers, fallbacks } = await serviceAgainst(mode)
      const builtin = await tiers.suggest({ ...request, useAI: false })
      const result = await tiers.suggest(request)
      expect(result).toEqual({ set: builtin.set, source: 'builtin' })
      expect(fallbacks).toHaveLength(1)
    })
  }

  it('falls back when the model is too slow, and stops waiting for it', async () => {
    const { model, tiers, fallbacks } = await serviceAgainst('slow', 200)
    const result = await tiers.suggest(request)
    expect(result.source).toBe('builtin')
    expect(result.set.tiers[0]!.name).toBe('Spark')
    expect(fallbacks[0]).toMatch(/abort|timeout/i)
    await model.abortedOnce
    expect(model.aborted()).toBe(1)
  })

  it('calls the model no more than its budget a minute and a day, whoever asks', async () => {
    let clock = 1_000_000
    const { model, tiers, fallbacks } = await serviceAgainst('good', 5_000, {
      aiCallsPerMinute: 3,
      aiCallsPerDay: 5,
      now: () => clock,
    })
    // Every request differs (no cache hit), as 150 clients with their own keys would.
    const ask = (i: number) =>
      tiers.suggest({ ...request, theme: THEME_IDS[i % THEME_IDS.length]!, minAmount: 1 + i })
    const sources = []
    for (let i = 0; i < 6; i += 1) sources.push((await ask(i)).source)
    expect(sources).toEqual(['ai', 'ai', 'ai', 'builtin', 'builtin', 'builtin'])
    expect(model.requests).toHaveLength(3)
    expect(fallbacks.at(-1)).toMatch(/3 calls a minute/)
    clock += 61_000
    for (let i = 6; i < 10; i += 1) sources.push((await ask(i)).source)
    expect(model.requests).toHaveLength(5) // the day's 5, not the next minute's 3 + 3
    expect(fallbacks.at(-1)).toMatch(/5 calls a day/)
  })

  it('is never required: useAI without an endpoint answers with the built-in tiers', async () => {
    const tiers = tierServiceFor()
    expect((await tiers.suggest(request)).source).toBe('builtin')
  })
})
