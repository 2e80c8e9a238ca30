import { describe, expect, it } from 'vitest'
import { findDuplicateKey } from './strictJson.js'

describe('findDuplicateKey', () => {
  it('finds a duplicate at the top, nested in objects and inside arrays', () => {
    expect(findDuplicateKey('{"type":"CHAT","eventData":{},"type":"STREAM_STOPPED"}')).toEqual({
      path: 'body.type',
      key: 'type',
    })
    expect(findDuplicateKey('{"eventData":{"user":{"id":"a","id":"b"}}}')).toEqual({
      path: 'body.eventData.user.id',
      key: 'id',
    })
    expect(findDuplicateKey('{"a":[{"x":1},{"x":1,"y":2,"x":3}]}')?.path).toBe('body.a.1.x')
  })
  it('compares decoded keys: an escaped spelling is the same key', () => {
    expect(findDuplicateKey('{"type":1,"t\\u0079pe":2}')?.key).toBe('type')
  })
  it('accepts equal keys in different objects and keys that only appear inside strings', () => {
    expect(
      findDuplicateKey('{"a":{"id":1},"b":{"id":1},"c":"\\"a\\":1,","d":["a","a"]}'),
    ).toBeNull()
    expect(findDuplicateKey('[1,{"k":"}"},{"k":"{"}]')).toBeNull()
  })
})
