import { afterEach, describe, expect, it } from 'vitest'
import type {
  GoalView,
  LeaderboardView,
  LevelUpEvent,
  SupporterProgress,
} from '../contracts/gamification.js'
import { rawRequest, startTestServer, type TestServer } from '../testing/harness.js'

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function start(): Promise<TestServer> {
  const server = await startTestServer()
  servers.push(server)
  return server
}

const json = { 'content-type': 'application/json' }

function admin(server: TestServer, method: string, path: string, body?: unknown) {
  return rawRequest({
    method,
    url: server.local(`/api/gamification${path}`),
    headers: server.adminHeaders(body === undefined ? {} : json),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

describe('gifter path, leaderboards and goals over the admin API', () => {
  it('announces a level-up once, and reports progress by the supporter id the leaderboard gives', async () => {
    const server = await start()
    const { ledger, bus } = server.server.context
    const levelUps: LevelUpEvent[] = []
    bus.on('supporter.levelUp', (event) => levelUps.push(event))
    const configured = await admin(server, 'PUT', '/gifter-path', {
      levelCount: 3,
      baseThreshold: '5',
      growthFactor: '2',
      naming: 'fantasy',
      icons: 'emoji',
      colors: 'dark',
    })
    expect(configured.status).toBe(200)
    const tip = (n: number, cents: bigint) => {
      ledger.record(
        {
          sourceKey: `lv-${n}`,
          kind: 'tip',
          amountValue: cents,
          assetCode: 'EUR',
          assetScale: 2,
          supporterKey: 'https://wallet.example/fan',
          supporterName: 'Fan',
        },
        { tip: { flowId: `f${n}`, tierName: null, perk: null } },
      )
    }
    tip(1, 499n)
    expect(levelUps).toHaveLength(0)
    tip(2, 1n)
    expect(levelUps).toHaveLength(1)
    expect(levelUps[0]).toMatchObject({
      displayName: 'Fan',
      previousLevel: 0,
      level: { level: 1, name: 'Villager' },
    })
    tip(3, 1600n)
    expect(levelUps.map((event) => event.level.level)).toEqual([1, 3])
    expect(JSON.stringify(levelUps)).not.toContain('wallet.example')

    const board = (
      await admin(server, 'GET', '/leaderboards?window=all&by=total')
    ).json<LeaderboardView>()
    expect(board.entries[0]).toMatchObject({
      rank: 1,
      displayName: 'Fan',
      total: { value: '2100' },
    })
    const progress = await admin(
      server,
      'GET',
      `/supporters/${board.entries[0]!.supporterId}/progress`,
    )
    expect(progress.json<SupporterProgress>()).toMatchObject({
      currentLevel: { level: 3 },
      nextLevel: null,
      fraction: 1,
      unlocked: [1, 2, 3],
    })
    expect((await admin(server, 'GET', '/supporters/sp_nobody/progress')).status).toBe(404)

    const badPath = await admin(server, 'PUT', '/gifter-path', {
      levelCount: 51,
      baseThreshold: '5',
      growthFactor: '2',
      naming: 'ranks',
      icons: 'emoji',
      colors: 'dark',
    })
    expect(badPath.status).toBe(400)
    expect(badPath.json()).toMatchObject({ field: 'body.levelCount' })
  })

  it('creates a goal and follows its progress from verified support', async () => {
    const server = await start()
    const { ledger } = server.server.context
    const created = await admin(server, 'POST', '/goals', { title: 'New mic', target: 25 })
    expect(created.status).toBe(201)
    const goal = created.json<GoalView>()
    expect(goal).toMatchObject({
      target: { value: '2500', assetCode: 'EUR' },
      raised: { value: '0' },
      reached: false,
    })
    ledger.record({
      sourceKey: 'g1',
      kind: 'tip',
      amountValue: 1000n,
      assetCode: 'EUR',
      assetScale: 2,
    })
    ledger.record({
      sourceKey: 'g2',
      kind: 'tip',
      amountValue: 1000n,
      assetCode: 'EUR',
      assetScale: 2,
      isTest: true,
    })
    const after = (await admin(server, 'GET', `/goals/${goal.id}`)).json<GoalView>()
    expect(after).toMatchObject({ raised: { value: '1000' }, fraction: 0.4 })
    const listed = (await admin(server, 'GET', '/goals')).json<{ goals: GoalView[] }>()
    expect(listed.goals.map((g) => g.id)).toEqual([goal.id])
    const bad = await admin(server, 'POST', '/goals', { title: 'x', target: '1.001' })
    expect(bad.json()).toMatchObject({ error: 'invalid_amount', field: 'body.target' })
    expect((await admin(server, 'DELETE', `/goals/${goal.id}`)).status).toBe(204)
    expect((await admin(server, 'GET', `/goals/${goal.id}`)).status).toBe(404)
  })
})

describe('live updates and overlay data', () => {
  it('puts goal and leaderboard updates on the bus after support, and serves them to overlays with the key', async () => {
    const server = await start()
    const { ledger, bus, overlayKeys } = server.server.context
    await admin(server, 'POST', '/goals', { title: 'Stream PC', target: '10' })
    const reached = new Promise<GoalView>((resolve) => bus.on('goal.reached', resolve))
    const boards = new Promise<LeaderboardView[]>((resolve) =>
      bus.on('leaderboard.updated', (event) => resolve(event.boards)),
    )
    ledger.record({
      sourceKey: 'live-1',
      kind: 'tip',
      amountValue: 1000n,
      assetCode: 'EUR',
      assetScale: 2,
      supporterKey: 'https://wallet.example/live',
      supporterName: 'Livia',
    })
    expect(await reached).toMatchObject({ title: 'Stream PC', reached: true, fraction: 1 })
    const [, allTime] = await boards
    expect(allTime!.entries[0]).toMatchObject({ displayName: 'Livia', total: { value: '1000' } })

    const key = encodeURIComponent(overlayKeys.current())
    const board = await rawRequest({
      url: server.local(`/plugins/wm/overlay/gamification/leaderboard?window=all&key=${key}`),
    })
    expect(board.json<LeaderboardView>().entries[0]!.displayName).toBe('Livia')
    const goalsData = await rawRequest({
      url: server.local(`/plugins/wm/overlay/gamification/goals?key=${key}`),
    })
    expect(goalsData.json<{ goals: GoalView[] }>().goals[0]).toMatchObject({ reached: true })
    const noKey = await rawRequest({
      url: server.local('/plugins/wm/overlay/gamification/leaderboard'),
    })
    expect(noKey.status).toBe(403)
    const noSession = await rawRequest({ url: server.local('/api/gamification/leaderboards') })
    expect(noSession.status).toBe(401)
    // Nothing of the admin API exists on the public listener.
    expect((await rawRequest({ url: server.public('/api/gamification/tiers') })).status).toBe(404)
  })
})

describe('the goal overlay shows a goal of the goal system', () => {
  it('reads and writes the display settings goal as the overlay goal, counted like every goal', async () => {
    const server = await start()
    const { ledger } = server.server.context
    const display = (method: string, body?: unknown) =>
      rawRequest({
        method,
        url: server.local('/api/overlays/display'),
        headers: server.adminHeaders(body === undefined ? {} : json),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    const before = (await display('GET')).json<{ goal: { title: string; target: string } }>()
    expect(before.goal).toMatchObject({ title: 'Stream goal', target: '100' })

    const goal = { title: 'New mic', target: '25.50', startAt: '2026-01-01T00:00:00.000Z' }
    const saved = await display('PATCH', { goal })
    expect(saved.status).toBe(200)
    expect(saved.json()).toMatchObject({ goal: { ...goal, target: '25.5' } })
    expect((await display('GET')).json()).toMatchObject({ goal: { ...goal, target: '25.5' } })
    ledger.record({
      sourceKey: 'overlay-goal-1',
      kind: 'tip',
      amountValue: 1275n,
      assetCode: 'EUR',
      assetScale: 2,
    })
    const goals = server.server.services.gamification.goals
    expect(goals.overlayGoal()).toMatchObject({
      title: 'New mic',
      raised: { value: '1275' },
      targetAmount: { value: '2550' },
    })
    // The streamer's list of goals is the Goals API's own.
    expect((await admin(server, 'GET', '/goals')).json()).toEqual({ goals: [] })

    const zero = await display('PATCH', { goal: { ...goal, target: '0' } })
    expect(zero.status).toBe(400)
    expect(zero.json()).toMatchObject({ error: 'invalid_amount', field: 'body.goal.target' })
  })
})
