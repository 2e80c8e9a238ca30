/**
 * Test helpers for the integrations feature (outside the production build): the shared fixtures
 * (../shared/fixtures beside the checkout, as CI clones it), and small wrappers over the admin API a
 * streamer's dashboard uses.
 */
import fs from 'node:fs'
import path from 'node:path'
import { findAppRoot } from '../app/appRoot.js'
import type { Feature } from '../app/feature.js'
import type { Infrastructure } from '../app/infrastructure.js'
import type {
  IntegrationsOverview,
  OutboxResponse,
  PlatformEventsResponse,
  StreamSessionsResponse,
} from '../contracts/integrations.js'
import { createIntegrationsFeature } from '../integrations/feature.js'
import {
  createIntegrationsService,
  type IntegrationsOptions,
  type IntegrationsService,
} from '../integrations/integrationsService.js'
import { rawRequest, type RawResponse, type TestServer } from './harness.js'

export const FIXTURES_DIR = path.join(findAppRoot(), '..', 'shared', 'fixtures')

export function fixture(relative: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES_DIR, relative))
}

export function fixtureFiles(relativeDir: string): string[] {
  return fs
    .readdirSync(path.join(FIXTURES_DIR, relativeDir), { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.posix.join(relativeDir, entry.name))
    .sort()
}

export async function adminGet<T>(t: TestServer, pathname: string): Promise<T> {
  const response = await rawRequest({ url: t.local(pathname), headers: t.adminHeaders() })
  if (response.status !== 200)
    throw new Error(`GET ${pathname}: ${response.status} ${response.body}`)
  return response.json<T>()
}

export async function adminSend(
  t: TestServer,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<RawResponse> {
  return rawRequest({
    method,
    url: t.local(pathname),
    headers: t.adminHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

export function overview(t: TestServer): Promise<IntegrationsOverview> {
  return adminGet<IntegrationsOverview>(t, '/api/integrations')
}

/** The Owncast webhook URL as the dashboard shows it, on the test server's public listener. */
export async function owncastWebhookUrl(t: TestServer): Promise<string> {
  return (await overview(t)).owncast.webhookUrl
}

export function postJson(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1', ...headers },
    body,
  })
}

export async function events(
  t: TestServer,
  query = 'limit=500',
): Promise<PlatformEventsResponse['events']> {
  return (await adminGet<PlatformEventsResponse>(t, `/api/integrations/events?${query}`)).events
}

export async function streams(t: TestServer): Promise<StreamSessionsResponse> {
  return adminGet(t, '/api/integrations/streams')
}

export async function outbox(t: TestServer): Promise<OutboxResponse> {
  return adminGet(t, '/api/integrations/outbox')
}

/**
 * A second integrations service and feature over a running server's database, built as the composition
 * root builds them (with a frozen clock, say), for tests that need their own.
 */
export function integrationsFor(
  ctx: Infrastructure,
  options: IntegrationsOptions = {},
): { service: IntegrationsService; feature: Feature } {
  const service = createIntegrationsService(
    {
      db: ctx.db,
      settings: ctx.settings,
      secrets: ctx.secrets,
      bus: ctx.bus,
      log: ctx.log,
      publicUrl: ctx.urls.public,
      publicUrlConfigured: ctx.config.publicUrl !== null,
    },
    options,
  )
  return {
    service,
    feature: createIntegrationsFeature({ integrations: service, ledger: ctx.ledger, log: ctx.log }),
  }
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Waits until every stored event has been processed (stream sessions applied). */
export function allProcessed(t: TestServer): Promise<PlatformEventsResponse['events']> {
  return waitFor(async () => {
    const list = await events(t)
    return list.every((event) => event.processed) ? list : undefined
  }, 'events to be processed')
}
