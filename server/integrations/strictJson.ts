/**
 * JSON.parse keeps the last of two equal keys, so `{"type":"CHAT",…,"type":"STREAM_STOPPED"}` reads as
 * whatever the last writer chose, while a signature or a log shows the first. The webhooks refuse such
 * bodies: this finds the first duplicate key at any depth of text that JSON.parse already accepted.
 */

import { IntegrationError, IntegrationErrorCode } from './errors.js'

/** Where a duplicate key is: its path as `body.eventData.user.id`, and the key itself. */
export interface DuplicateKey {
  path: string
  key: string
}

interface Frame {
  /** null for an array. */
  keys: Set<string> | null
  path: string
  /** The key whose value is being read in this object (for the paths of nested values). */
  pending: string | null
  index: number
}

/** Reads the string literal starting at `start` (a `"`); returns its decoded value and the index after it. */
function readString(text: string, start: number): { value: string; end: number } {
  let index = start + 1
  while (index < text.length) {
    const char = text.charCodeAt(index)
    if (char === 0x5c) index += 2
    else if (char === 0x22) break
    else index += 1
  }
  const end = index + 1
  return { value: JSON.parse(text.slice(start, end)) as string, end }
}

/** The first duplicate key in valid JSON text, or null. Linear in the text's length. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = []
  let expectKey = false
  let index = 0
  const childPath = (frame: Frame | undefined): string => {
    if (!frame) return 'body'
    return frame.keys ? `${frame.path}.${frame.pending ?? ''}` : `${frame.path}.${frame.index}`
  }
  while (index < text.length) {
    const char = text[index]
    const top = stack[stack.length - 1]
    if (char === '"') {
      const { value, end } = readString(text, index)
      if (expectKey && top?.keys) {
        if (top.keys.has(value)) return { path: `${top.path}.${value}`, key: value }
        top.keys.add(value)
        top.pending = value
        expectKey = false
      }
      index = end
      continue
    }
    if (char === '{') {
      stack.push({ keys: new Set(), path: childPath(top), pending: null, index: 0 })
      expectKey = true
    } else if (char === '[') {
      stack.push({ keys: null, path: childPath(top), pending: null, index: 0 })
    } else if (char === '}' || char === ']') {
      stack.pop()
    } else if (char === ',' && top) {
      if (top.keys) expectKey = true
      else top.index += 1
    }
    index += 1
  }
  return null
}

/** Throws the webhooks' 400 when valid JSON text has a duplicate key. */
export function refuseDuplicateKeys(text: string): void {
  const duplicate = findDuplicateKey(text)
  if (duplicate) {
    throw new IntegrationError(
      IntegrationErrorCode.DuplicateKey,
      `The body has the key "${duplicate.key}" twice (at ${duplicate.path}): a webhook body must name each key once.`,
      duplicate.path,
    )
  }
}
