import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import type { Mutation } from '../../core/sync/protocol.ts'
import { MERGE_SEPARATOR } from '../../core/sync/tables.ts'
import { HttpError } from '../lib/http-error.ts'
import { parse, parsePatch, patchColumns } from './table-module.ts'

const schemas = {
  title: v.pipe(v.string('标题应为文本'), v.minLength(1, '请填写标题'), v.title('标题')),
  notes: v.pipe(v.string(), v.title('备注')),
  memberIds: v.pipe(v.array(v.string()), v.title('人员')),
  createdAt: v.pipe(v.string(), v.title('创建时间')),
}
const columns = { title: 'title', notes: 'notes', memberIds: 'member_ids', createdAt: 'created_at' }

const mutation = (fields: Record<string, unknown>, base?: Record<string, unknown>): Mutation => ({
  id: '00000000-0000-7000-8000-000000000001',
  table: 'households',
  op: 'upsert',
  rowId: '00000000-0000-7000-8000-000000000002',
  fields,
  ...(base && { base }),
  clientTime: '2026-01-01T00:00:00.000Z',
  v: 1,
})

const refusal = (f: () => unknown): HttpError => {
  try {
    f()
  } catch (err) {
    if (err instanceof HttpError) return err
    throw err
  }
  throw new Error('not refused')
}

describe('the sync engine’s field parsing', () => {
  it('parse refuses with 422 and the schema’s Chinese message', () => {
    expect(parse(schemas.title, '学习')).toBe('学习')
    const err = refusal(() => parse(schemas.title, ''))
    expect([err.statusCode, err.code, err.message]).toEqual([422, 'validation', '请填写标题'])
  })

  it('parsePatch parses each named field and refuses a name it does not know, in the words given', () => {
    expect(parsePatch(schemas, { title: '学习', notes: '' })).toEqual({ title: '学习', notes: '' })
    expect(refusal(() => parsePatch(schemas, { colour: 'red' })).message).toBe('未知字段：colour')
    expect(refusal(() => parsePatch(schemas, { colour: 'red' }, '不能修改的字段')).message).toBe('不能修改的字段：colour')
  })

  it('patchColumns maps fields to columns, merges free texts, stores lists once as JSON and skips fixed fields', () => {
    const existing = { title: '旧', notes: '服务器上的', member_ids: '[]', created_at: 'then' }
    const m = mutation({ title: '新', notes: '我的', memberIds: ['a', 'b', 'a'], createdAt: 'now' }, { notes: '原来的' })
    expect(patchColumns(m, m.fields ?? {}, schemas, columns, ['notes'], existing)).toEqual({
      title: '新',
      notes: `服务器上的${MERGE_SEPARATOR}我的`,
      member_ids: '["a","b"]',
    })
    expect(refusal(() => patchColumns(m, { colour: 'red' }, schemas, columns, [], existing)).message).toBe('未知字段：colour')
  })
})
