/**
 * The consent page a viewer sees, and clients hosted elsewhere: their name and keys are fetched over
 * HTTP like a real auth server does, and whatever they call themselves is shown escaped.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateJwk } from '@interledger/http-signature-utils'
import {
  createAuthenticatedClient,
  isPendingGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeHtml } from '../http/html.js'
import { renderConsentPage } from './consentPage.js'
import { startSandboxWallet, type SandboxWallet } from './sandboxWallet.js'

const HOSTILE_NAME = '<img src=x onerror="alert(1)"> & <script>alert(2)</script>'

let sandbox: SandboxWallet
let foreign: http.Server
let foreignUrl = ''
const { privateKey } = generateKeyPairSync('ed25519')
const keyId = 'foreign-key-1'

beforeAll(async () => {
  sandbox = await startSandboxWallet({ port: 0, continueWaitSec: 0 })
  // A client wallet address hosted by another provider: one with a hostile public name, one with none.
  foreign = http.createServer((request, response) => {
    const base = foreignUrl
    const doc = (publicName?: string) => ({
      id: `${base}${request.url}`,
      ...(publicName !== undefined ? { publicName } : {}),
      assetCode: 'EUR',
      assetScale: 2,
      authServer: `${base}/auth`,
      resourceServer: base,
    })
    let body: unknown = null
    if (request.url === '/hostile') body = doc(HOSTILE_NAME)
    else if (request.url === '/nameless') body = doc()
    else if (request.url === '/hostile/jwks.json' || request.url === '/nameless/jwks.json') {
      body = { keys: [generateJwk({ privateKey, keyId })] }
    }
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body ?? { error: 'not found' }))
  })
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve))
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`
})

afterAll(async () => {
  await sandbox.close()
  await new Promise((resolve) => foreign.close(resolve))
})

function foreignClient(name: string): Promise<AuthenticatedClient> {
  return createAuthenticatedClient({
    walletAddressUrl: `${foreignUrl}/${name}`,
    keyId,
    privateKey,
  })
}

async function interactiveGrant(client: AuthenticatedClient, nonce = randomUUID()) {
  const alice = sandbox.viewers[0]
  if (!alice) throw new Error('no viewer')
  return client.grant.request(
    { url: `${sandbox.url}/auth` },
    {
      access_token: {
        access: [
          {
            type: 'outgoing-payment',
            actions: ['create', 'read'],
            identifier: alice.address,
            limits: { debitAmount: { value: '1234', assetCode: 'EUR', assetScale: 2 } },
          },
        ],
      },
      interact: {
        start: ['redirect'],
        finish: { method: 'redirect', uri: 'http://127.0.0.1:9/tip/callback/x', nonce },
      },
    },
  )
}

describe('sandbox consent page', () => {
  it('escapes every name it renders', () => {
    const html = renderConsentPage({
      clientName: HOSTILE_NAME,
      clientAddress: 'http://example/"><script>',
      amount: '1.00 EUR',
      receiverName: '<b>streamer</b>',
      receiverAddress: 'http://example/streamer',
      viewerName: "O'Brien",
      viewerAddress: 'http://example/viewer',
      balance: '10.00 EUR',
      action: '/interact/a/b',
      expiresAt: Date.parse('2030-01-01T00:10:00.000Z'),
      now: Date.parse('2030-01-01T00:00:00.000Z'),
    })
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>streamer')
    expect(html).toContain(escapeHtml(HOSTILE_NAME))
    expect(html).toContain('O&#39;Brien')
    // A person reads how long is left, not an ISO timestamp.
    expect(html).toContain(
      'expires <time datetime="2030-01-01T00:10:00.000Z">in 10 minutes (at 00:10 UTC)</time>',
    )
    expect(html).not.toMatch(/>[^<]*\d{4}-\d{2}-\d{2}T/)
  })

  it('shows a foreign client by its published name, escaped, with the amount, under a strict CSP', async () => {
    const client = await foreignClient('hostile')
    const grant = await interactiveGrant(client)
    if (!isPendingGrant(grant)) throw new Error('expected an interactive grant')
    const page = await fetch(grant.interact.redirect)
    expect(page.status).toBe(200)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain('form-action')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const html = await page.text()
    expect(html).toContain(escapeHtml(HOSTILE_NAME))
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('12.34 EUR')
    expect(html).toContain('Approve')
    expect(html).toContain('Reject')
  })

  it('answers the Approve button with a 303 to the finish URI carrying hash and interact_ref', async () => {
    const client = await foreignClient('hostile')
    const grant = await interactiveGrant(client)
    if (!isPendingGrant(grant)) throw new Error('expected an interactive grant')
    const response = await fetch(grant.interact.redirect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
      redirect: 'manual',
    })
    expect(response.status).toBe(303)
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.pathname).toBe('/tip/callback/x')
    expect(location.searchParams.get('hash')).toBeTruthy()
    expect(location.searchParams.get('interact_ref')).toBeTruthy()
    // A second answer is refused.
    const again = await fetch(grant.interact.redirect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=reject',
      redirect: 'manual',
    })
    expect(again.status).toBe(409)
  })

  it('refuses interactive grants to a client wallet without a publicName', async () => {
    const client = await foreignClient('nameless')
    await expect(interactiveGrant(client)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_client',
    })
  })

  it('answers an unknown consent URL with 404', async () => {
    const response = await fetch(`${sandbox.url}/interact/${randomUUID()}/nonce`)
    expect(response.status).toBe(404)
  })
})
