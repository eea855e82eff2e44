import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { formatCursor, parseCursor } from './protocol.ts'
import { Mutation, PushRequest } from './protocol-schema.ts'
import { newId } from '../ids.ts'

describe('cursor', () => {
  it('round-trips', () => {
    const epoch = '0196f0e2-7a4b-7c3d-8e9f-0a1b2c3d4e5f'
    expect(parseCursor(formatCursor(epoch, 42))).toEqual({ epoch, seq: 42, scope: 0, schema: 1 })
    expect(parseCursor(formatCursor(epoch, 42, 3))).toEqual({ epoch, seq: 42, scope: 3, schema: 1 })
    expect(parseCursor(formatCursor(epoch, 42, 0, 2))).toEqual({ epoch, seq: 42, scope: 0, schema: 2 })
    expect(parseCursor(formatCursor(epoch, 42, 3, 2))).toEqual({ epoch, seq: 42, scope: 3, schema: 2 })
  })
  it('reads cursors issued before the schema version as version 1, and writes them unchanged', () => {
    const epoch = '0196f0e2-7a4b-7c3d-8e9f-0a1b2c3d4e5f'
    expect(parseCursor(`${epoch}:7:2`)).toEqual({ epoch, seq: 7, scope: 2, schema: 1 })
    expect(formatCursor(epoch, 7, 2, 1)).toBe(`${epoch}:7:2`)
    expect(formatCursor(epoch, 7)).toBe(`${epoch}:7`)
  })
  it('rejects anything else', () => {
    for (const bad of [
      '',
      '42',
      'x:1',
      `${'a'.repeat(36)}:-1`,
      `${'a'.repeat(36)}:1e3`,
      `${'a'.repeat(36)}:1:0:0`,
      `${'a'.repeat(36)}:1:0:x`,
    ])
      expect(parseCursor(bad)).toBeNull()
  })
})

describe('mutation schema', () => {
  const ok = { id: newId(), table: 'study_records', op: 'upsert', rowId: newId(), fields: {}, clientTime: '', v: 1 }
  it('accepts a well-formed mutation', () => {
    expect(v.safeParse(Mutation, ok).success).toBe(true)
  })
  it('refuses unknown tables and operations with Chinese messages', () => {
    const r = v.safeParse(Mutation, { ...ok, table: 'branches' })
    expect(r.success).toBe(false)
    expect(r.issues?.[0]?.message).toBe('不支持的数据表')
    expect(v.safeParse(Mutation, { ...ok, op: 'drop' }).success).toBe(false)
    expect(v.safeParse(Mutation, { ...ok, id: 'nope' }).success).toBe(false)
  })
  it('caps a batch', () => {
    expect(v.safeParse(PushRequest, { clientId: newId(), mutations: Array(501).fill(ok) }).success).toBe(false)
  })
})
