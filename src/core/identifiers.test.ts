import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { normalizeActivationCode, normalizePhone } from './identifiers.ts'
import { Phone } from './schemas/common.ts'
import { ActivationCode } from './schemas/people.ts'
import { LoginRequest } from './schemas/auth.ts'

describe('normalizePhone', () => {
  it.each([
    ['13900000101'],
    [' 13900000101'],
    ['13900000101 '],
    ['\t13900000101\n'],
    ['\u300013900000101\u3000'], // ideographic space (Chinese IME)
    ['\u00a013900000101'], // no-break space
    ['\ufeff13900000101'], // BOM from a paste
    ['\u200b139\u200b00000101'], // zero-width space
    ['１３９０００００１０１'], // full-width digits
    ['１３９\u3000００００\u3000０１０１'],
    ['139 0000 0101'],
    ['139-0000-0101'],
    ['139－0000－0101'], // full-width hyphen
    ['139—0000—0101'], // dash
    ['+86 139 0000 0101'],
    ['+8613900000101'],
    ['0086 13900000101'],
    ['8613900000101'],
  ])('%j is 13900000101', (typed) => {
    expect(normalizePhone(typed)).toBe('13900000101')
  })

  it('leaves what is not a phone number for the schema to refuse', () => {
    expect(normalizePhone('86123')).toBe('86123')
    expect(normalizePhone('1390000010a')).toBe('1390000010a')
    expect(normalizePhone('')).toBe('')
    // Arabic-Indic digits are digits to NFKC's eyes, not to the schema's.
    expect(v.safeParse(Phone, '١٣٩٠٠٠٠٠١٠١').success).toBe(false)
  })

  it('is what the shared schemas give to both ends', () => {
    expect(v.parse(Phone, '\u3000１３９ ００００ ０１０１')).toBe('13900000101')
    expect(v.parse(LoginRequest, { phone: ' 139-0000-0101', password: 'x' }).phone).toBe('13900000101')
    expect(v.safeParse(Phone, '1390000010').success).toBe(false)
    expect(v.safeParse(Phone, '23900000101').success).toBe(false)
  })

  it('is idempotent', () => {
    for (const s of [' １３９ 0000-0101', '+86 139', 'abc']) expect(normalizePhone(normalizePhone(s))).toBe(normalizePhone(s))
  })
})

describe('normalizeActivationCode', () => {
  it.each([
    ['ABCD2345'],
    ['abcd2345'],
    [' ABCD 2345 '],
    ['ABCD-2345'],
    ['ＡＢＣＤ２３４５'],
    ['ａｂｃｄ\u3000２３４５'],
    ['\tabcd\u00a02345\n'],
  ])('%j is ABCD2345', (typed) => {
    expect(normalizeActivationCode(typed)).toBe('ABCD2345')
    expect(v.parse(ActivationCode, typed)).toBe('ABCD2345')
  })

  it('refuses look-alikes the alphabet leaves out', () => {
    expect(v.safeParse(ActivationCode, 'ABCD0123').success).toBe(false)
    expect(v.safeParse(ActivationCode, 'ABCD 234').success).toBe(false)
  })
})
