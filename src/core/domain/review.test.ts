import { describe, expect, it } from 'vitest'
import { ballotMayMove, excellentLimit, TALLY_NOTICE, tooManyExcellent } from './review.ts'

describe('民主评议党员', () => {
  it('warns when 优秀 exceeds one third of those assessed, and only then', () => {
    expect(tooManyExcellent(['excellent', 'qualified', 'qualified'], 3)).toBe(false)
    expect(tooManyExcellent(['excellent', 'excellent', 'qualified'], 3)).toBe(true)
    expect(tooManyExcellent(['excellent', 'excellent', null, null, null, null, null], 7)).toBe(false)
    expect(tooManyExcellent(['excellent', 'excellent', 'excellent', null, null, null, null], 7)).toBe(true)
    expect(tooManyExcellent([], 0)).toBe(false)
    expect(excellentLimit(7)).toBe(2)
    expect(excellentLimit(2)).toBe(0)
  })

  it('a ballot opens once and closes once; closed is final', () => {
    expect(ballotMayMove('none', 'open')).toBe(true)
    expect(ballotMayMove('none', 'closed')).toBe(true)
    expect(ballotMayMove('open', 'closed')).toBe(true)
    expect(ballotMayMove('open', 'none')).toBe(false)
    expect(ballotMayMove('closed', 'open')).toBe(false)
    expect(ballotMayMove('closed', 'none')).toBe(false)
    expect(ballotMayMove('closed', 'closed')).toBe(true)
  })

  it('says that a 网络投票 is never the basis of the assessment', () => {
    expect(TALLY_NOTICE).toContain('不得以网络投票结果作为民主评议党员的评定依据')
  })
})
