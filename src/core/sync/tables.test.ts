import { describe, expect, it } from 'vitest'
import { MERGE_SEPARATOR, mergeText } from './tables.ts'

describe('mergeText (concurrent edits of the same free text)', () => {
  it('takes the incoming text when nobody else changed it', () => {
    expect(mergeText('a', 'a', 'b')).toBe('b')
    expect(mergeText(undefined, 'a', 'b')).toBe('b')
  })
  it('keeps the current text when the writer did not change it', () => {
    expect(mergeText('a', 'c', 'a')).toBe('c')
  })
  it('keeps both versions, current first, when both changed it', () => {
    expect(mergeText('a', 'b', 'c')).toBe(`b${MERGE_SEPARATOR}c`)
  })
  it('is idempotent when both wrote the same text', () => {
    expect(mergeText('a', 'b', 'b')).toBe('b')
  })
})
