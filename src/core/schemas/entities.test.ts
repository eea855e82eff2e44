import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { StudyRecordInput } from './entities.ts'
import { IsoDate } from './common.ts'

const good = {
  kind: 'self_study',
  title: '学习党章',
  date: '2026-11-20',
  minutes: 45,
  notes: '',
  sourceUrl: '',
  createdAt: '2026-11-20T08:00:00.000Z',
}

describe('study record input', () => {
  it('accepts a complete record and trims the title', () => {
    const r = v.safeParse(StudyRecordInput, { ...good, title: '  学习党章 ' })
    expect(r.success && r.output.title).toBe('学习党章')
  })
  it.each([
    [{ title: '   ' }, '请填写学习内容'],
    [{ minutes: 0 }, '时长至少 1 分钟'],
    [{ minutes: 1.5 }, '时长应为整数分钟'],
    [{ minutes: 24 * 60 + 1 }, '时长不能超过 24 小时'],
    [{ kind: 'gaming' }, '请选择学习类型'],
    [{ sourceUrl: 'javascript:alert(1)' }, '来源链接应以 http:// 或 https:// 开头'],
    [{ date: '2026-02-30' }, '日期不存在'],
  ])('refuses %o with "%s"', (patch, message) => {
    const r = v.safeParse(StudyRecordInput, { ...good, ...patch })
    expect(r.success).toBe(false)
    expect(r.issues?.map((i) => i.message)).toContain(message)
  })
  it('knows leap days', () => {
    expect(v.safeParse(IsoDate, '2028-02-29').success).toBe(true)
    expect(v.safeParse(IsoDate, '2026-02-29').success).toBe(false)
  })
})
