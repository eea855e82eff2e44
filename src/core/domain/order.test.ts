import { describe, expect, it } from 'vitest'
import { chineseNumeral, numberInName, sortByName, sortOrgUnits } from './order.ts'

describe('the order lists are shown in', () => {
  it('sorts people by pinyin, not by code point (何、冯、刘 → 冯、何、刘)', () => {
    const people = ['何雪梅', '冯志远', '刘芳', '陈志强', '王建国'].map((name, i) => ({ id: String(i), name }))
    expect(sortByName(people).map((p) => p.name)).toEqual(['陈志强', '冯志远', '何雪梅', '刘芳', '王建国'])
  })

  it('reads Chinese numerals', () => {
    expect([
      chineseNumeral('一'),
      chineseNumeral('十'),
      chineseNumeral('十二'),
      chineseNumeral('二十三'),
      chineseNumeral('一百零五'),
      chineseNumeral('甲'),
    ]).toEqual([1, 10, 12, 23, 105, null])
    expect([numberInName('机关第三党支部'), numberInName('第12党小组'), numberInName('机关二支部'), numberInName('办公室党支部')]).toEqual([
      3,
      12,
      2,
      null,
    ])
  })

  it('sorts branches in the organisation order: 第一、第二、第三……第十, unnumbered after, in the order they were set up', () => {
    const branches = [
      { id: '01', name: '机关第一党支部' },
      { id: '02', name: '机关第三党支部' },
      { id: '03', name: '办公室党支部' },
      { id: '04', name: '机关第二党支部' },
      { id: '05', name: '机关第十党支部' },
      { id: '00', name: '审理室党支部' },
    ]
    expect(sortOrgUnits(branches).map((b) => b.name)).toEqual([
      '机关第一党支部',
      '机关第二党支部',
      '机关第三党支部',
      '机关第十党支部',
      '审理室党支部',
      '办公室党支部',
    ])
  })
})
