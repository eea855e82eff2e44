import { describe, expect, it } from 'vitest'
import { wrapText } from './birthday-image.ts'
import { OATH } from '../../../core/domain/political-birthday.ts'

describe('wrapText', () => {
  const measure = (s: string) => [...s].length * 10
  it('breaks at the width and loses no character', () => {
    const lines = wrapText(measure, OATH, 200)
    expect(lines.join('')).toBe(OATH)
    expect(lines.every((l) => [...l].length <= 20)).toBe(true)
  })
  it('never starts a line with closing punctuation', () => {
    const lines = wrapText(measure, '一二三四五，六七八九十。', 50)
    expect(lines.join('')).toBe('一二三四五，六七八九十。')
    expect(lines.some((l) => /^[，。]/.test(l))).toBe(false)
  })
})
