/**
 * At debug level every Open Payments request and answer is logged (method, URL, status, time, error
 * code) through the real SDK against the sandbox, and never a token, a signature or a key; the
 * listeners log each request they answer, with secrets cut from the URL.
 */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandboxWallet, type SandboxWallet } from '../sandbox/sandboxWallet.js'
import { openDatabase } from '../storage/db.js'
import { rawRequest, startTestServer } from '../testing/harness.js'
import { createGrantRepository } from './grantRepository.js'
import { createOpenPaymentsGateway, INCOMING_PAYMENT_ACCESS } from './openPayments.js'

let sandbox: SandboxWallet
beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0 })
})
afterAll(async () => {
  await sandbox.close()
})

describe('debug logging', () => {
  it('logs each Open Payments request and answer without tokens, signatures or keys', async () => {
    const lines: Record<string, unknown>[] = []
    const db = openDatabase(':memory:')
    const gateway = createOpenPaymentsGateway({
      grants: createGrantRepository(db),
      identity: {
        clientWalletAddress: sandbox.client.walletAddress,
        keyId: sandbox.client.keyId,
        privateKey: sandbox.client.privateKey,
      },
      log: { debug: (obj, msg) => lines.push({ ...obj, msg }) },
    })
    await gateway.walletAddress(sandbox.streamer.address)
    const token = await gateway.withGrant(
      'incoming-payment',
      `${sandbox.url}/auth`,
      INCOMING_PAYMENT_ACCESS,
      async (accessToken) => accessToken,
    )
    const op = await gateway.client()
    await op.incomingPayment
      .get({
        url: `${sandbox.url}/incoming-payments/00000000-0000-0000-0000-000000000000`,
        accessToken: token,
      })
      .catch(() => undefined)

    const answers = lines.filter((l) => l.msg === 'open payments answer')
    expect(answers.map((l) => [l.method, l.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
      ['GET', 404],
    ])
    for (const answer of answers) {
      expect(answer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
      expect(typeof answer.ms).toBe('number')
    }
    expect(answers[2]).toMatchObject({ code: 'not_found' })
    expect(lines.filter((l) => l.msg === 'open payments request')).toHaveLength(3)
    const all = JSON.stringify(lines)
    expect(all).not.toContain(token)
    expect(all).not.toMatch(/signature|PRIVATE KEY|access_token|"body"/i)
    db.close()
  })

  it('the listeners log each answered request at debug, with secrets cut from the URL', async () => {
    const lines: Record<string, unknown>[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n'))
          if (line) lines.push(JSON.parse(line) as Record<string, unknown>)
        done()
      },
    })
    const server = await startTestServer({ logLevel: 'debug' }, { logDestination: sink })
    try {
      await rawRequest({ url: server.public('/healthz?token=very-secret') })
      const line = lines.find(
        (l) => l.msg === 'request answered' && JSON.stringify(l.req).includes('/healthz'),
      )
      expect(line).toMatchObject({ statusCode: 200, req: { method: 'GET' } })
      expect(JSON.stringify(line)).not.toContain('very-secret')
    } finally {
      await server.close()
    }
  })
})
