import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../storage/db.js'
import { createTipFlowRepository } from './tipFlowRepository.js'

let db: Db | undefined
afterEach(() => db?.close())

function setup() {
  db = openDatabase(':memory:')
  const repo = createTipFlowRepository(db)
  repo.insert({
    id: 'flow-1',
    state: 'created',
    streamId: null,
    viewerSessionId: null,
    tierId: null,
    amountValue: 9_007_199_254_740_993n,
    assetCode: 'EUR',
    assetScale: 2,
    viewerWallet: 'https://wallet.example/alice',
    viewerName: null,
    message: null,
    data: { clientNonce: 'n' },
    createdAt: 1000,
    expiresAt: 2000,
  })
  return repo
}

describe('tip flow repository (the state machine store)', () => {
  it('keeps amounts beyond 2^53 exact', () => {
    expect(setup().get('flow-1')?.amountValue).toBe(9_007_199_254_740_993n)
  })

  it('moves a flow only from an expected state: the second of two racing callers loses', () => {
    const repo = setup()
    expect(repo.transition('flow-1', ['created'], 'awaiting_consent', {}, 1100)).toBe(true)
    expect(
      repo.transition(
        'flow-1',
        ['awaiting_consent'],
        'authorized',
        { data: { interactRef: 'r' } },
        1200,
      ),
    ).toBe(true)
    expect(
      repo.transition('flow-1', ['awaiting_consent'], 'failed', { errorCode: 'late' }, 1300),
    ).toBe(false)
    const flow = repo.get('flow-1')!
    expect(flow).toMatchObject({ state: 'authorized', errorCode: null, updatedAt: 1200 })
    expect(flow.data).toEqual({ interactRef: 'r' })
  })

  it('patches without changing state, and lists flows by state', () => {
    const repo = setup()
    expect(
      repo.transition(
        'flow-1',
        ['created'],
        null,
        { incomingPaymentUrl: 'https://w/ip/1', nextCheckAt: 5 },
        1500,
      ),
    ).toBe(true)
    expect(repo.get('flow-1')).toMatchObject({
      state: 'created',
      incomingPaymentUrl: 'https://w/ip/1',
      nextCheckAt: 5,
    })
    expect(repo.listInStates(['created']).map((f) => f.id)).toEqual(['flow-1'])
    expect(repo.countInStates(['completed'])).toBe(0)
  })

  it('the database refuses a state outside the machine', () => {
    const repo = setup()
    expect(() => repo.transition('flow-1', ['created'], 'bogus' as never, {}, 1)).toThrow(/CHECK/)
  })
})
